import assert from "node:assert/strict";
import { join } from "node:path";
import { WriteFileError } from "../../lib/errors.ts";
import { explainError } from "../../lib/explain_error.ts";
import { atomicWriteTextFile, writeFailure } from "../../lib/util/atomic_write.ts";
import { makeReadOnly, withTempDir } from "../_fixtures/fs.ts";

/** The error `fn` rejects with. */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail("expected a rejection");
}

Deno.test("atomicWriteTextFile() replaces the file, mode 0600, and leaves no temp file", async () => {
  await withTempDir("atomic-", async (dir) => {
    const path = join(dir, "a.json");
    await atomicWriteTextFile(path, "one\n");
    await atomicWriteTextFile(path, "two\n");
    assert.equal(await Deno.readTextFile(path), "two\n");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a.json"]);
  });
});

Deno.test("atomicWriteTextFile() into a missing directory names the target's directory, not the temp file", async () => {
  await withTempDir("atomic-", async (dir) => {
    const missing = join(dir, "nodir");
    const path = join(missing, "x.tar.gz");
    const error = await failure(() => atomicWriteTextFile(path, "x"));
    assert.ok(error instanceof WriteFileError, `${error.name}: ${error.message}`);
    assert.equal(
      error.message,
      `cannot write ${path}: the directory ${missing} does not exist: create it ` +
        `(\`mkdir -p ${missing}\`), or choose another location`,
    );
    assert.doesNotMatch(error.message, /\.tmp\b/);
    assert.ok(error.cause instanceof Deno.errors.NotFound, "the OS error stays as the cause");
    // the explanation every caller (status, health, logs) uses is the same line
    assert.equal(explainError(error), error.message);
  });
});

Deno.test("atomicWriteTextFile() under a file names the directory that is not one", async () => {
  await withTempDir("atomic-", async (dir) => {
    const file = join(dir, "data");
    await Deno.writeTextFile(file, "");
    const path = join(file, "sync.lock.json");
    const error = await failure(() => atomicWriteTextFile(path, "x"));
    assert.equal(
      error.message,
      `cannot write ${path}: a part of ${file} is a file where a directory belongs: move that ` +
        "file away, or choose another location",
    );
  });
});

Deno.test("atomicWriteTextFile() in a read-only directory names the target and the directory", async () => {
  await withTempDir("atomic-", async (root) => {
    const dir = join(root, "data");
    await Deno.mkdir(dir);
    // root ignores permission bits: makeReadOnly sets the immutable flag (chattr +i) then
    const undo = await makeReadOnly(dir);
    if (undo === null) return; // no way to make it read-only here (see makeReadOnly)
    const path = join(dir, "sync.lock.json");
    try {
      const error = await failure(() => atomicWriteTextFile(path, "x"));
      assert.ok(error instanceof WriteFileError, `${error.name}: ${error.message}`);
      assert.equal(
        error.message,
        `cannot write ${path}: permission denied in ${dir}: give this user write access to it ` +
          `(check \`ls -ld ${dir}\`, and \`lsattr -d\` for the immutable flag), or choose ` +
          "another location",
      );
      assert.doesNotMatch(error.message, /\.tmp\b/);
    } finally {
      await undo();
    }
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no temp file left behind");
  });
});

Deno.test("writeFailure() says a full disk and a read-only file system plainly", () => {
  const full = writeFailure(
    "/data/status/active_processes.json",
    new Error("No space left on device (os error 28): write '/data/status/x.1.ab.tmp'"),
  );
  assert.ok(full instanceof WriteFileError);
  assert.equal(
    full.message,
    "cannot write /data/status/active_processes.json: the disk holding /data/status is full: " +
      "free some space (`df -h /data/status`), then run the command again",
  );
  const readOnly = writeFailure("/mnt/x.json", new Error("Read-only file system (os error 30)"));
  assert.match(
    (readOnly as Error).message,
    /^cannot write \/mnt\/x\.json: \/mnt is on a read-only/,
  );
  // a createNew refusal stays what callers check for
  const exists = new Deno.errors.AlreadyExists("File exists (os error 17)");
  assert.equal(writeFailure("/x", exists), exists);
});
