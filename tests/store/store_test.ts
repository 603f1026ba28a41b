import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { StoreError } from "../../lib/errors.ts";
import { Store } from "../../lib/store/store.ts";
import { conversation, DAY, part, T0, withStore, withTempDir } from "./_fixtures.ts";

Deno.test("Store.open() creates and migrates a store, and re-opening changes nothing", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "a", "b", "store.db");
    const first = Store.open(path);
    assert.equal(first.path, path);
    assert.equal(first.schemaVersion(), Store.SCHEMA_VERSION);
    first.upsertConversation(conversation({ id: "c1" }), T0);
    first.close();
    first.close();
    using again = Store.open(path);
    assert.equal(again.schemaVersion(), Store.SCHEMA_VERSION);
    assert.equal(again.stats().conversations, 1);
  });
});

Deno.test("Store.open() refuses a store with a newer schema, read-only or not", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "store.db");
    Store.open(path).close();
    const raw = new DatabaseSync(path);
    raw.exec("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)");
    raw.close();
    const message = `store at ${path} has schema version 99, newer than this program supports ` +
      `(${Store.SCHEMA_VERSION}): upgrade fast-intercom-mcp or use another --data-dir`;
    assert.throws(() => Store.open(path), new StoreError(message));
    assert.throws(() => Store.open(path, { readOnly: true }), new StoreError(message));
  });
});

Deno.test("Store.open() rejects a file that is not a database and suggests reset", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "store.db");
    Deno.writeTextFileSync(path, "garbage ".repeat(1000));
    assert.throws(() => Store.open(path), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.ok(error.message.includes(path) && error.message.includes("reset"));
      return true;
    });
    assert.equal(Deno.readTextFileSync(path), "garbage ".repeat(1000), "file left untouched");
  });
});

Deno.test("Store.open({ readOnly }) reads a store without writing and refuses writes", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "store.db");
    const writer = Store.open(path);
    writer.upsertConversation(conversation({ id: "c1", body: "readable" }), T0);
    writer.close();
    using reader = Store.open(path, { readOnly: true });
    assert.equal(reader.searchConversations({ text: "readable" }).total, 1);
    assert.equal(reader.getConversation("c1")?.id, "c1");
    assert.throws(() => reader.upsertConversation(conversation({ id: "c2" }), T0), /readonly/i);
  });
});

Deno.test("a second Store reads committed data while the first holds a write transaction", async () => {
  await withStore((writer, path) => {
    writer.upsertConversation(conversation({ id: "old", body: "committed" }), T0);
    for (const readOnly of [true, false]) {
      assert.throws(() =>
        writer.transaction(() => {
          writer.upsertConversation(
            conversation({ id: "new", body: "uncommitted", parts: [part({ id: "p1" })] }),
            T0,
          );
          const started = performance.now();
          using reader = Store.open(path, { readOnly, busyTimeoutMs: 5000 });
          assert.equal(reader.stats().conversations, 1);
          assert.equal(reader.searchConversations({ text: "committed" }).total, 1);
          assert.equal(reader.searchConversations({ text: "uncommitted" }).total, 0);
          assert.equal(reader.getConversation("new"), null);
          assert.equal(reader.getConversation("old")?.id, "old");
          assert.ok(performance.now() - started < 1000, "reads did not wait for the writer");
          throw new RangeError("roll back so the next round starts clean");
        }), RangeError);
    }
    assert.equal(writer.getConversation("new"), null);
  });
});

Deno.test("a second Store sees a transaction's writes once it commits", async () => {
  await withStore((writer, path) => {
    using reader = Store.open(path, { readOnly: true });
    writer.transaction(() => {
      writer.upsertConversation(conversation({ id: "c1", body: "fresh words" }), T0);
      assert.equal(reader.searchConversations({ text: "fresh" }).total, 0);
    });
    assert.equal(reader.searchConversations({ text: "fresh" }).total, 1);
  });
});

Deno.test("Store[Symbol.dispose]() closes the connection", async () => {
  await withTempDir((dir) => {
    let escaped: Store | undefined;
    {
      using store = Store.open(join(dir, "s.db"));
      escaped = store;
    }
    assert.throws(() => escaped?.stats());
    escaped?.close();
  });
});

Deno.test("clearSyncData() empties synced data and the sync position but keeps the schema", async () => {
  await withStore((store) => {
    store.upsertConversation(conversation({ id: "c1", parts: [part({ id: "p1" })] }), T0);
    const run = store.startRun({ mode: "full", windowStart: null, windowEnd: T0, startedAt: T0 });
    store.finishRun(run, { status: "completed", finishedAt: T0 });
    store.completeCursor(T0);
    store.quarantine({ kind: "conversation", id: "c9", reason: "bad" });
    store.recordMissingContacts([{ id: "u1", reason: "not found" }]);
    store.markSearchUnsorted(T0);
    store.clearSyncData();
    assert.deepEqual(store.gapCounts(), { quarantined: 0, missingContacts: 0 });
    assert.equal(store.syncState().searchUnsortedAt, null);
    assert.equal(store.stats().conversations, 0);
    assert.equal(store.stats().parts, 0);
    assert.deepEqual(store.lastRuns(), []);
    assert.equal(store.syncState().cursor, null);
    assert.equal(store.searchConversations({ text: "question" }).total, 0);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    store.upsertConversation(conversation({ id: "c1" }), T0);
    assert.equal(store.searchConversations({ text: "question" }).total, 1);
  });
});

Deno.test("the store keeps Unix seconds and inclusive windows whatever the TZ", async () => {
  const probe = fileURLToPath(new URL("./_tz_probe.ts", import.meta.url));
  const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
  const outputs: unknown[] = [];
  for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--config", config, probe],
      env: { TZ: tz },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    outputs.push(JSON.parse(new TextDecoder().decode(stdout)));
  }
  const expected = {
    created: T0 + 23 * 3600,
    updated: T0 + DAY,
    part: T0 + DAY,
    inDay: 1,
    beforeDay: 0,
    createdWindow: 1,
    stateUpdatedAt: T0 + 7,
  };
  assert.deepEqual(outputs, [expected, expected, expected]);
});
