import assert from "node:assert/strict";
import { join } from "node:path";
import { ReadStore } from "../../lib/mcp/read_store.ts";
import { Store } from "../../lib/store/store.ts";
import { conversation, T0, withTempDir } from "../store/_fixtures.ts";

Deno.test("ReadStore.stats() and lastRuns() count once, and again after another connection commits", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    using writer = Store.open(path);
    writer.upsertConversation(conversation({ id: "1" }), T0);
    let counted = 0;
    using reader = new ReadStore(path, {
      open: (p) => {
        const store = Store.open(p, { readOnly: true });
        const stats = store.stats.bind(store);
        store.stats = () => (counted++, stats());
        return store;
      },
    });
    assert.equal(reader.stats().conversations, 1);
    assert.equal(reader.stats().conversations, 1);
    assert.equal(reader.lastRuns(10).length, 0);
    assert.equal(counted, 1, "no commit in between: counted once");
    writer.upsertConversation(conversation({ id: "2" }), T0);
    assert.equal(reader.stats().conversations, 2, "a commit elsewhere: counted again");
    assert.equal(counted, 2);
  });
});
