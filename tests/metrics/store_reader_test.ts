import assert from "node:assert/strict";
import { join } from "node:path";
import type { StoreSample } from "../../lib/metrics/sample.ts";
import { cachedStoreReader } from "../../lib/metrics/store_reader.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("cachedStoreReader() reuses a sample until the file or its WAL changes", async () => {
  await withTempDir("reader-", async (dir) => {
    const path = join(dir, "store.db");
    await Deno.writeTextFile(path, "v1");
    let reads = 0;
    const read = cachedStoreReader(() => {
      reads++;
      return { conversations: reads } as unknown as StoreSample;
    });
    assert.equal(read(path)?.conversations, 1);
    assert.equal(read(path)?.conversations, 1);
    assert.equal(reads, 1);
    await Deno.writeTextFile(`${path}-wal`, "commit");
    assert.equal(read(path)?.conversations, 2);
    await Deno.writeTextFile(path, "v2 longer");
    assert.equal(read(path)?.conversations, 3);
    assert.equal(read(path)?.conversations, 3);
  });
});
