import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { explainError, osErrorTarget, sqliteCondition } from "../lib/explain_error.ts";
import { withTempDir } from "./_fixtures/fs.ts";

/** The error `fn` throws (real Deno and SQLite errors, not hand-made ones). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

Deno.test("osErrorTarget() reads the operation and path of Deno's OS errors", () => {
  assert.deepEqual(osErrorTarget("File exists (os error 17): mkdir '/x/logs'"), {
    op: "mkdir",
    path: "/x/logs",
  });
  assert.deepEqual(osErrorTarget("Address already in use (os error 98)"), { op: null, path: null });
  assert.deepEqual(osErrorTarget("Not a directory (os error 20): rename '/a' -> '/b/c'"), {
    op: "rename",
    path: "/b/c",
  });
});

Deno.test("explainError() names the path and the fix for file-system errors", async () => {
  await withTempDir("explain-", (dir) => {
    const file = join(dir, "logs");
    Deno.writeTextFileSync(file, "");
    const exists = thrown(() => Deno.mkdirSync(file));
    assert.equal(
      explainError(exists),
      `${file} is a file where a directory belongs: move it away or choose another directory ` +
        "(--data-dir, FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR)",
    );
    const below = thrown(() => Deno.mkdirSync(join(file, "x")));
    assert.match(
      explainError(below)!,
      new RegExp(`^a part of ${file}/x is a file where a directory belongs`),
    );
    const dirRead = thrown(() => Deno.readTextFileSync(dir));
    assert.match(explainError(dirRead)!, new RegExp(`^${dir} is a directory where a file belongs`));
    assert.equal(
      explainError(
        new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/d/x'"),
      ),
      "permission denied on /d/x (open): give this user access to it (check `ls -ld /d/x`) or " +
        "choose another directory (--data-dir, FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR)",
    );
  });
});

Deno.test("explainError() names a busy port and suggests --port 0", () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const busy = thrown(() => Deno.listen({ hostname: "127.0.0.1", port }));
    assert.equal(
      explainError(busy, { port }),
      `port ${port} is already in use by another program: stop it, or pass --port 0 to listen ` +
        "on any free port",
    );
  } finally {
    listener.close();
  }
});

Deno.test("explainError() turns Deno's --allow-all advice into a directory to choose", () => {
  const error = new Deno.errors.NotCapable(
    'Requires all access to "/dev/shm/x/config.json", run again with the --allow-all flag',
  );
  const text = explainError(error)!;
  assert.match(text, /^Deno refuses read|^Deno refuses all access to \/dev\/shm\/x\/config\.json/);
  assert.doesNotMatch(text, /run again with the --allow-all flag/);
  assert.match(text, /--data-dir, FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR/);
});

Deno.test("explainError() says a damaged or read-only store plainly, with the fix", async () => {
  await withTempDir("explain-", (dir) => {
    const path = join(dir, "data.db");
    Deno.writeTextFileSync(
      path,
      "this is not a database, but it is long enough to be read".repeat(30),
    );
    const db = new DatabaseSync(path);
    try {
      const damaged = thrown(() => db.prepare("SELECT * FROM sqlite_schema").all());
      assert.equal(sqliteCondition(damaged), "damaged");
      assert.equal(
        explainError(damaged, { storePath: path }),
        `${path} is damaged: run \`fast-intercom-mcp debug diagnose --test-database\` for the ` +
          "details; to start over, `fast-intercom-mcp reset` and sync again",
      );
      const wrapped = new Error("outer", { cause: damaged });
      assert.equal(sqliteCondition(wrapped), "damaged", "found in the cause chain");
    } finally {
      db.close();
    }
    const good = join(dir, "good.db");
    new DatabaseSync(good).close();
    const ro = new DatabaseSync(good, { readOnly: true });
    try {
      const readonly = thrown(() => ro.exec("CREATE TABLE t (a)"));
      assert.equal(sqliteCondition(readonly), "readonly");
      assert.match(explainError(readonly)!, /^the store \(data\.db\) is read-only for this user/);
    } finally {
      ro.close();
    }
  });
  assert.equal(explainError(new TypeError("boom")), null);
  assert.equal(sqliteCondition(new Error("database disk image is malformed")), null);
});

Deno.test("explainError() says running out of file descriptors or disk space, with the fix", () => {
  // as Deno reports them: no error class of their own, the OS text in the message
  const emfile = new Error("Too many open files (os error 24)");
  emfile.name = "Http";
  assert.equal(
    explainError(new Error("accept failed", { cause: emfile })),
    "this process ran out of file descriptors (too many open files): raise the limit " +
      "(`ulimit -n 65536` in its shell, LimitNOFILE=65536 in a systemd unit), then run it again",
  );
  assert.equal(
    explainError(new Error("No space left on device (os error 28): write '/data/logs/main.log'")),
    "the disk holding /data/logs/main.log is full: free some space (`df -h /data/logs/main.log`), " +
      "then run the command again",
  );
  assert.match(
    explainError(new Error("No space left on device (os error 28)"))!,
    /^the disk holding the data or log directory is full: free some space \(`df -h`\)/,
  );
});
