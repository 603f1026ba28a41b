import assert from "node:assert/strict";
import { join } from "node:path";
import { directoryCheck } from "../../lib/health/dir_checks.ts";
import { makeReadOnly, withTempDir } from "../_fixtures/fs.ts";

Deno.test("directoryCheck() passes a writable directory, or one that can be created", async () => {
  await withTempDir("dir-check-", async (root) => {
    assert.deepEqual(await directoryCheck("log_dir", root), {
      name: "log_dir",
      status: "ok",
      detail: `${root} writable`,
    });
    const later = join(root, "not", "yet");
    assert.equal((await directoryCheck("status_dir", later)).detail, `${later} can be created`);
    assert.deepEqual([...Deno.readDirSync(root)], [], "the probe file is removed, nothing created");
  });
});

Deno.test("directoryCheck() fails a regular file where the directory belongs, or above it", async () => {
  await withTempDir("dir-check-", async (root) => {
    const file = join(root, "logs");
    await Deno.writeTextFile(file, "");
    const direct = await directoryCheck("log_dir", file);
    assert.equal(direct.status, "fail");
    assert.equal(
      direct.detail,
      `${file} is a file, not a directory: move it away or choose another directory ` +
        "(--data-dir, FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR)",
    );
    const below = await directoryCheck("status_dir", join(file, "status"));
    assert.equal(below.status, "fail");
    assert.match(below.detail, new RegExp(`cannot be created: ${file} is a file, not a directory`));
  });
});

Deno.test("directoryCheck() fails a directory this user cannot write in", async () => {
  await withTempDir("dir-check-", async (root) => {
    const dir = join(root, "data");
    await Deno.mkdir(dir);
    const undo = await makeReadOnly(dir);
    if (undo === null) return; // no way to make it read-only here (see makeReadOnly)
    try {
      const result = await directoryCheck("data_dir", dir);
      assert.equal(result.status, "fail");
      assert.match(
        result.detail,
        new RegExp(
          `^${dir} is not writable \\((permission denied|.+)\\): give this user write access`,
        ),
      );
      const inside = await directoryCheck("log_dir", join(dir, "logs"));
      assert.equal(inside.status, "fail");
      assert.match(inside.detail, new RegExp(`logs cannot be created: ${dir} is not writable`));
    } finally {
      await undo();
    }
  });
});
