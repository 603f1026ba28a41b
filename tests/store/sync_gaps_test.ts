import assert from "node:assert/strict";
import { join } from "node:path";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { MIGRATIONS } from "../../lib/store/migrations.ts";
import { Store } from "../../lib/store/store.ts";
import { clockAt, contact, conversation, T0, withStore, withTempDir } from "./_fixtures.ts";

Deno.test("quarantine() records a record once, counts later failures, and clearQuarantine() takes it out", async () => {
  let now = T0;
  await withStore((store) => {
    const entry = { kind: "conversation", id: "c1", reason: "bad", endpoint: "GET /x" } as const;
    store.quarantine(entry);
    now = T0 + 60;
    store.quarantine({ ...entry, reason: "still bad" });
    store.quarantine({ kind: "contact", id: "u1", reason: "odd" });
    assert.deepEqual(store.quarantined("conversation"), [{
      kind: "conversation",
      id: "c1",
      reason: "still bad",
      endpoint: "GET /x",
      firstSeenAt: T0,
      lastSeenAt: T0 + 60,
      attempts: 2,
    }]);
    assert.deepEqual(store.quarantined().map((q) => q.id), ["c1", "u1"]);
    assert.deepEqual(store.gapCounts(), { quarantined: 2, missingContacts: 0 });
    assert.equal(store.clearQuarantine("conversation", ["c1", "u1"]), 1, "by kind");
    assert.deepEqual(store.quarantined().map((q) => q.id), ["u1"]);
  }, { clock: () => now * 1000 });
});

Deno.test("settleMissingContacts() drops contacts now stored and those no conversation names", async () => {
  await withStore((store) => {
    store.upsertConversation(conversation({ id: "c1", contacts: ["u1", "u2"] }), T0);
    store.recordMissingContacts([
      { id: "u1", reason: "not found" },
      { id: "u2", reason: "timeout" },
      { id: "u9", reason: "not found" },
    ]);
    store.recordMissingContacts([{ id: "u1", reason: "not found again" }]);
    assert.deepEqual(
      store.missingContacts().map((m) => [m.id, m.reason, m.attempts]),
      [["u1", "not found again", 2], ["u2", "timeout", 1], ["u9", "not found", 1]],
    );
    assert.deepEqual(store.conversationsNaming(["u1", "u9"]), ["c1"]);
    store.upsertContacts([contact("u2", "two@x.test")], { fetchedAt: T0 + 5 });
    assert.equal(store.settleMissingContacts(["u2"]), 2, "u2 stored, u9 named by nothing");
    assert.deepEqual(store.missingContacts().map((m) => m.id), ["u1"]);
    assert.deepEqual(store.contactFetchTimes(["u1", "u2"]), new Map([["u2", T0 + 5]]));
  });
});

Deno.test("the quarantine and missing contacts read as empty in a store older than their tables", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    const conn = openConnection(path);
    migrate(conn, { migrations: MIGRATIONS.slice(0, 3), clock: clockAt(T0) });
    conn.close();
    using store = Store.open(path, { readOnly: true });
    assert.deepEqual(store.quarantined(), []);
    assert.deepEqual(store.missingContacts(), []);
    assert.deepEqual(store.gapCounts(), { quarantined: 0, missingContacts: 0 });
    assert.equal(store.syncState().searchUnsortedAt, null);
  });
});
