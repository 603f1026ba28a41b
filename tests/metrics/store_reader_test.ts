import assert from "node:assert/strict";
import { join } from "node:path";
import type { StoreSample } from "../../lib/metrics/sample.ts";
import { cachedStoreReader, StoreHandle } from "../../lib/metrics/store_reader.ts";
import { Store } from "../../lib/store/store.ts";
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

Deno.test("StoreHandle keeps one connection and reopens it when the file is replaced", async () => {
  await withTempDir("reader-", async (dir) => {
    const path = join(dir, "store.db");
    using handle = new StoreHandle(path);
    assert.equal(handle.get(), null, "no file: no store");
    Store.open(path).close();
    const first = handle.get();
    assert.ok(first !== null);
    assert.equal(handle.get(), first, "the same connection while the file stays");
    await Deno.remove(path);
    const replacement = Store.open(path);
    replacement.startRun({ mode: "full", windowStart: 0, windowEnd: 1, startedAt: 1 });
    replacement.close();
    const second = handle.get();
    assert.ok(second !== null && second !== first);
    assert.equal(second.lastRuns(5).length, 1);
  });
});
