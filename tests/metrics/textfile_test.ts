import assert from "node:assert/strict";
import { join } from "node:path";
import { AppError, InputError } from "../../lib/errors.ts";
import { TEXTFILE_NAME, writeTextfile } from "../../lib/metrics/textfile.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("writeTextfile() replaces <dir>/fast_intercom_mcp.prom and leaves no temp file", async () => {
  await withTempDir("textfile-", async (dir) => {
    assert.equal(await writeTextfile(dir, "a 1\n"), join(dir, TEXTFILE_NAME));
    assert.equal(await writeTextfile(dir, "a 2\n"), join(dir, TEXTFILE_NAME));
    assert.equal(await Deno.readTextFile(join(dir, TEXTFILE_NAME)), "a 2\n");
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, [TEXTFILE_NAME]);
  });
});

Deno.test("writeTextfile() names the directory when it is missing or a file", async () => {
  await withTempDir("textfile-", async (dir) => {
    await assert.rejects(
      () => writeTextfile(join(dir, "nope"), "a 1\n"),
      (e: unknown) =>
        e instanceof InputError && e.message.includes(`"${join(dir, "nope")}" does not exist`),
    );
    await Deno.writeTextFile(join(dir, "file"), "");
    await assert.rejects(
      () => writeTextfile(join(dir, "file"), "a 1\n"),
      (e: unknown) => e instanceof InputError && e.message.includes("is not a directory"),
    );
  });
});

Deno.test({
  name: "writeTextfile() in a read-only directory fails with the path, not an OS message",
  ignore: Deno.uid() === 0, // root writes anywhere
  async fn() {
    await withTempDir("textfile-", async (dir) => {
      await Deno.chmod(dir, 0o500);
      try {
        await assert.rejects(
          () => writeTextfile(dir, "a 1\n"),
          (e: unknown) => e instanceof AppError && e.message.includes("permission denied"),
        );
      } finally {
        await Deno.chmod(dir, 0o700);
      }
    });
  },
});
