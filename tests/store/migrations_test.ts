import assert from "node:assert/strict";
import { join } from "node:path";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { upsertConversation } from "../../lib/store/conversations.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../../lib/store/migrations.ts";
import { Store } from "../../lib/store/store.ts";
import { hasTool, nameUnless } from "../_fixtures/tools.ts";
import { clockAt, conversation, HOUR, part, T0, withTempDir } from "./_fixtures.ts";
import { apiTicket, loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";
import { upsertTicket } from "../../lib/store/tickets.ts";

Deno.test("MIGRATIONS are numbered 1, 2, … and SCHEMA_VERSION is the last", () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  assert.equal(SCHEMA_VERSION, MIGRATIONS.at(-1)?.version);
});

Deno.test("MIGRATIONS never drop or rename a table", () => {
  for (const migration of MIGRATIONS) {
    assert.doesNotMatch(migration.sql, /DROP\s+TABLE|RENAME\s+TO/i, migration.name);
  }
});

/** Conversations that exercise every branch of the documents view (NULLs, empty text, order). */
const SAMPLES = [
  conversation({
    id: "1",
    subject: "Refund",
    body: "<p>first</p>",
    admin_assignee_id: "900",
    team_assignee_id: "77",
    tags: [{ id: "t2", name: "VIP" }, { id: "t1", name: "billing" }],
    parts: [
      part({ id: "p3", body: "third", created_at: T0 + 3 * HOUR }),
      part({ id: "p1", body: "one", created_at: T0 + HOUR }),
      part({ id: "p2b", body: null, created_at: T0 + 2 * HOUR }),
      part({ id: "p2a", body: "two", created_at: T0 + 2 * HOUR }),
    ],
  }),
  conversation({ id: "2", body: null, parts: [part({ id: "q1", body: "only a reply" })] }),
  conversation({ id: "3", body: null, author: null, parts: [] }),
  conversation({ id: "4", body: "", parts: [part({ id: "r1", body: "" })], state: "closed" }),
  conversation({ id: "5", body: "<p>no replies</p>", admin_assignee_id: "900" }),
];

/** The program's newest schema, applied on top of a store that schema 1 wrote. */
function storeMadeBySchema1(path: string): void {
  const conn = openConnection(path);
  try {
    migrate(conn, { migrations: MIGRATIONS.slice(0, 1), clock: clockAt(T0) });
    for (const c of SAMPLES) upsertConversation(conn, c, T0);
  } finally {
    conn.close();
  }
}

Deno.test("migration 2 keeps every full-text document of a store made by schema 1 as it was", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    storeMadeBySchema1(path);
    const documents = (conn: ReturnType<typeof openConnection>) =>
      conn.all("SELECT * FROM conversation_documents ORDER BY doc_id").map((r) => ({ ...r }));
    const conn = openConnection(path);
    try {
      const before = documents(conn);
      assert.equal(before.length, SAMPLES.length);
      assert.equal(migrate(conn, { clock: clockAt(T0) }), SCHEMA_VERSION);
      assert.deepEqual(documents(conn), before);
      const view = conn.get(
        "SELECT sql FROM sqlite_schema WHERE name = 'conversation_documents'",
      );
      assert.doesNotMatch(String(view?.sql), /concat_ws|group_concat\([^)]*ORDER BY/i);
    } finally {
      conn.close();
    }
    using store = Store.open(path, { clock: clockAt(T0) });
    // FTS5's own check compares the index with the view's text: equal documents, valid index
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    store.upsertConversation(
      conversation({ id: "1", updated_at: T0 + 5 * HOUR, body: "<p>changed</p>" }),
      T0,
    );
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.deepEqual(store.searchConversations({ text: "changed" }).hits.map((h) => h.id), ["1"]);
    assert.deepEqual(store.searchConversations({ text: "reply" }).hits.map((h) => h.id), ["2"]);
  });
});

Deno.test("migration 6 indexes the unspaced-script text a store already holds", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    const conn = openConnection(path);
    try {
      migrate(conn, { migrations: MIGRATIONS.slice(0, 5), clock: clockAt(T0) });
      for (const c of SAMPLES) upsertConversation(conn, c, T0);
      upsertConversation(
        conn,
        conversation({
          id: "9",
          body: "<p>hello</p>",
          parts: [part({ id: "j1", body: "請求書を送ってください" })],
        }),
        T0,
      );
    } finally {
      conn.close();
    }
    using store = Store.open(path, { clock: clockAt(T0) });
    assert.deepEqual(store.searchConversations({ text: "請求書" }).hits.map((h) => h.id), ["9"]);
    assert.deepEqual(store.searchConversations({ text: "送って" }).hits.map((h) => h.id), ["9"]);
    assert.deepEqual(store.searchConversations({ text: "first" }).hits.map((h) => h.id), ["1"]);
  });
});

const sqlite3 = await hasTool("sqlite3");

async function sqliteCli(path: string, sql: string): Promise<string> {
  const out = await new Deno.Command("sqlite3", { args: ["-bail", path, sql] }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `sqlite3 ${path} "${sql}" failed: ${text}`);
  return text;
}

Deno.test({
  name: nameUnless(
    sqlite3,
    "a store opens in the sqlite3 CLI (SQLite ≥ 3.37): every table and the documents view read",
    "sqlite3",
    "apt-get install sqlite3",
  ),
  ignore: !sqlite3,
  fn: async () => {
    await withTempDir(async (dir) => {
      const fresh = join(dir, "fresh.db");
      const old = join(dir, "old.db");
      using store = Store.open(fresh, { clock: clockAt(T0) });
      for (const c of SAMPLES) store.upsertConversation(c, T0);
      store.upsertConversation(conversation({ id: "9", body: "<p>お客様の請求書</p>" }), T0);
      store.close();
      storeMadeBySchema1(old);
      Store.open(old, { clock: clockAt(T0) }).close();
      for (const path of [fresh, old]) {
        const tables = (await sqliteCli(
          path,
          "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name",
        )).trim().split("\n");
        assert.ok(tables.includes("conversations_fts"), tables.join(","));
        for (const name of tables) await sqliteCli(path, `SELECT count(*) FROM "${name}"`);
        assert.equal(
          await sqliteCli(
            path,
            "SELECT body FROM conversation_documents WHERE doc_id = " +
              "(SELECT doc_id FROM conversations WHERE id = '1')",
          ),
          "first\none\ntwo\nthird\n",
        );
        assert.equal(
          (await sqliteCli(
            path,
            "SELECT count(*) FROM conversations_fts WHERE " +
              "conversations_fts MATCH 'third'",
          )).trim(),
          "1",
        );
      }
      assert.equal(
        (await sqliteCli(
          fresh,
          "SELECT count(*) FROM conversations_unspaced_fts WHERE " +
            "conversations_unspaced_fts MATCH '\"請求書\"'",
        )).trim(),
        "1",
        "the trigram index reads in the CLI's SQLite",
      );
    });
  },
});

Deno.test("a read-only open reads a schema-1 store as it is: migration 2 changes no read", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    storeMadeBySchema1(path);
    using store = Store.open(path, { readOnly: true });
    assert.equal(store.schemaVersion(), 1, "nothing was written");
    assert.equal(store.stats().conversations, SAMPLES.length);
    assert.deepEqual(store.searchConversations({ text: "third" }).hits.map((h) => h.id), ["1"]);
  });
});

Deno.test("a read-only open refuses a store that lacks a migration its reads need", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    storeMadeBySchema1(path);
    const conn = openConnection(path, { readOnly: true });
    try {
      const needed = [...MIGRATIONS, {
        version: SCHEMA_VERSION + 1,
        name: "a new table reads use",
        sql: "CREATE TABLE extra (a INTEGER);",
      }];
      assert.throws(
        () => migrate(conn, { migrations: needed }),
        /has schema version 1, older than this program .*open it once for writing/,
      );
    } finally {
      conn.close();
    }
  });
});

/** A copy of the store schema 5 wrote (see `_fixtures/README.md`), in `dir`. */
async function storeMadeBySchema5(dir: string): Promise<string> {
  const path = join(dir, "schema5.db");
  const gz = await Deno.open(new URL("./_fixtures/schema5_store.db.gz", import.meta.url));
  const bytes = await new Response(gz.readable.pipeThrough(new DecompressionStream("gzip")))
    .arrayBuffer();
  await Deno.writeFile(path, new Uint8Array(bytes), { mode: 0o600 });
  return path;
}

Deno.test("a store made by schema 5 (before tickets) is read as it is, then migrated with its data intact", async () => {
  await withTempDir(async (dir) => {
    const path = await storeMadeBySchema5(dir);
    let conversations: { id: string; parts: number }[];
    {
      using old = Store.open(path, { readOnly: true });
      assert.equal(old.schemaVersion(), 5);
      assert.equal(old.stats().conversations, 12);
      assert.deepEqual(old.support.counts(), {
        tickets: 0,
        ticketParts: 0,
        companies: 0,
        ticketTypes: 0,
      });
      assert.deepEqual(old.support.searchTickets({ text: "invoice" }), { total: 0, hits: [] });
      assert.equal(old.support.getCompany("x"), null);
      assert.deepEqual(old.support.streams(), []);
      const hits = old.searchConversations({ limit: 50 }).hits;
      conversations = hits.map((h) => ({
        id: h.id,
        parts: old.getConversation(h.id)!.parts.length,
      }));
      assert.equal(old.support.conversationExtras(hits[0]!.id), null);
    }
    using store = Store.open(path, { clock: clockAt(T0) });
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.deepEqual(store.integrityCheck(), []);
    assert.deepEqual(
      store.searchConversations({ limit: 50 }).hits.map((h) => ({
        id: h.id,
        parts: store.getConversation(h.id)!.parts.length,
      })),
      conversations,
    );
    const extras = store.support.conversationExtras(conversations[0]!.id)!;
    assert.deepEqual([extras.sla, extras.topics, extras.ai_agent_participated], [null, [], null]);
    // The new tables work on the migrated store.
    const ws = simulatedWorkspace(21, 12);
    loadWorkspace(store, ws);
    assert.equal(store.support.counts().tickets, ws.tickets.length);
    assert.ok(store.support.searchCompanies({}).total > 0);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});

Deno.test("migration 9 indexes the unspaced-script text of tickets a store already holds", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "s.db");
    const ws = simulatedWorkspace(8, 200);
    const japanese = ws.tickets.filter((t) =>
      String(t.attributes._default_title_).includes("請求書")
    );
    assert.ok(japanese.length > 0);
    const before = MIGRATIONS.findIndex((m) => m.name === "substring index of tickets");
    const conn = openConnection(path);
    try {
      // The store as the schema before left it: tickets written without a substring index.
      migrate(conn, { migrations: MIGRATIONS.slice(0, before), clock: clockAt(T0) });
      for (const t of ws.tickets) upsertTicket(conn, apiTicket(ws, t.id), T0);
    } finally {
      conn.close();
    }
    using store = Store.open(path, { clock: clockAt(T0) });
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    const found = new Set(
      store.support.searchTickets({ text: "請求書", limit: 100 }).hits.map((h) => h.id),
    );
    for (const t of japanese) assert.ok(found.has(t.id), `ticket ${t.id} found after the backfill`);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});
