import assert from "node:assert/strict";
import { join } from "node:path";
import { type Connection, migrate, openConnection } from "../../lib/store/database.ts";
import { upsertConversation } from "../../lib/store/conversations.ts";
import { replaceAdmins, replaceTeams, upsertContacts } from "../../lib/store/entities.ts";
import { normalizeSearch } from "../../lib/store/search_filters.ts";
import {
  candidatePage,
  COUNT_LIMIT,
  ftsPage,
  RANK_LIMIT,
  sqlCappedCount,
  sqlCount,
  sqlPage,
} from "../../lib/store/search_plans.ts";
import type { ConversationSearch } from "../../lib/store/types.ts";
import { contact, conversation, HOUR, T0, withTempDir } from "./_fixtures.ts";

const STATES = ["open", "closed", "snoozed"] as const;
const TAGS = ["Billing", "VIP", "Ärger"];
const WORDS = ["refund", "invoice", "login", "export", "thanks"];

/** A deterministic mix of conversations; many share an updated_at second. */
function fill(conn: Connection): void {
  replaceAdmins(conn, [{
    id: "a1",
    name: "Ada",
    email: "ada@team.test",
    job_title: null,
    away_mode_enabled: false,
    team_ids: [],
  }]);
  replaceTeams(conn, [{ id: "t1", name: "Support", admin_ids: [] }]);
  upsertContacts(conn, [contact("u1", "one@x.test"), contact("u2", "two@x.test")]);
  conn.transaction(() => {
    for (let i = 0; i < 90; i++) {
      upsertConversation(
        conn,
        conversation({
          id: `c${String(i).padStart(3, "0")}`,
          created_at: T0 + (i % 7) * HOUR,
          updated_at: T0 + (i % 11) * HOUR,
          state: STATES[i % 3] ?? "open",
          body: `${WORDS[i % 5]} ${WORDS[(i * 3) % 5]} text`,
          tags: i % 4 === 0 ? [] : [{ id: `g${i % 3}`, name: TAGS[i % 3] ?? "x" }],
          admin_assignee_id: i % 2 === 0 ? "a1" : null,
          team_assignee_id: i % 5 === 0 ? "t1" : null,
          contacts: [i % 2 === 0 ? "u1" : "u2"],
          author: { type: "user", id: "u9", name: null, email: i % 6 === 0 ? "one@x.test" : null },
        }),
        T0,
      );
    }
  });
}

function run(conn: Connection, plan: "sql" | "fts" | "candidates", search: ConversationSearch) {
  const normalized = normalizeSearch(conn, search);
  assert.ok(normalized !== null);
  const page = plan === "sql"
    ? sqlPage(conn, normalized, { total: sqlCount(conn, normalized) })
    : plan === "fts"
    ? ftsPage(conn, normalized)
    : candidatePage(conn, normalized, normalized.match ?? "");
  return { total: page.total, docIds: page.rows.map((r) => r.docId) };
}

Deno.test("ftsPage() and sqlPage() agree on every facet and window filter", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      fill(conn);
      const searches: ConversationSearch[] = [
        { state: "open" },
        { tag: "billing" },
        { tag: "ärger", state: "closed" },
        { assignee: "a1" },
        { assignee: "Support" },
        { assignee: "ada@team.test", state: "snoozed" },
        { state: "open", updatedSince: T0 + 3 * HOUR, updatedUntil: T0 + 6 * HOUR },
        { tag: "vip", createdSince: T0 + 2 * HOUR, createdUntil: T0 + 4 * HOUR },
        { state: "closed", customerEmail: "ONE@x.test" },
      ];
      for (const search of searches) {
        for (const page of [{ limit: 7, offset: 0 }, { limit: 7, offset: 5 }, { limit: 100 }]) {
          const query = { ...search, ...page };
          assert.deepEqual(run(conn, "fts", query), run(conn, "sql", query), JSON.stringify(query));
        }
      }
    } finally {
      conn.close();
    }
  });
});

Deno.test("candidatePage() and ftsPage() agree on text with an email filter", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      fill(conn);
      for (const text of ["refund", "thanks text", "login*"]) {
        for (const customerEmail of ["one@x.test", "two@x.test"]) {
          const query = { text, customerEmail, limit: 100 };
          const viaFts = run(conn, "fts", query);
          assert.ok(viaFts.total > 0, JSON.stringify(query));
          assert.deepEqual(run(conn, "candidates", query), viaFts, JSON.stringify(query));
        }
      }
    } finally {
      conn.close();
    }
  });
});

/** Every match of `text` by bm25 then id, as the joined statement orders them. */
function rankedReference(conn: Connection, text: string, tag?: string): number[] {
  const normalized = normalizeSearch(conn, tag === undefined ? { text } : { text, tag });
  assert.ok(normalized !== null && normalized.match !== null);
  const facet = tag === undefined
    ? ""
    : ` AND facets : "zzg${
      [...new TextEncoder().encode(tag.toLowerCase())]
        .map((b) => b.toString(16).padStart(2, "0")).join("")
    }"`;
  return conn.all(
    "SELECT f.rowid AS doc_id FROM conversations_fts f CROSS JOIN conversations c " +
      "ON c.doc_id = f.rowid WHERE conversations_fts MATCH ? " +
      "ORDER BY bm25(conversations_fts, 4.0, 4.0, 1.0, 0.0), c.id",
    normalized.match + facet,
  ).map((row) => Number(row.doc_id));
}

Deno.test("ftsPage() ranks ties by id on every page, with small and large tie groups", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      fill(conn);
      conn.transaction(() => {
        // 70 identical documents: one tie group larger than a page plus the slack.
        for (let i = 0; i < 70; i++) {
          upsertConversation(
            conn,
            conversation({
              id: `z${String((i * 37) % 70).padStart(2, "0")}`,
              updated_at: T0 + (i % 3) * HOUR,
              body: "quartz",
            }),
            T0,
          );
        }
      });
      const cases: { text: string; tag?: string }[] = [
        { text: "refund" },
        { text: "thanks text" },
        { text: "login*" },
        { text: "invoice", tag: "billing" },
        { text: "quartz" },
      ];
      for (const { text, tag } of cases) {
        const expected = rankedReference(conn, text, tag);
        assert.ok(expected.length > 0, text);
        for (const page of [{ limit: 5 }, { limit: 7, offset: 3 }, { limit: 20, offset: 40 }]) {
          const query = { text, ...(tag === undefined ? {} : { tag }), ...page };
          const offset = page.offset ?? 0;
          const result = run(conn, "fts", query);
          assert.equal(result.total, expected.length, JSON.stringify(query));
          assert.deepEqual(
            result.docIds,
            expected.slice(offset, offset + page.limit),
            JSON.stringify(query),
          );
        }
      }
    } finally {
      conn.close();
    }
  });
});

Deno.test("ftsPage() and sqlPage() stop counting past COUNT_LIMIT unless asked for an exact total", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      conn.transaction(() => {
        for (let i = 0; i < COUNT_LIMIT + 30; i++) {
          upsertConversation(
            conn,
            conversation({ id: `m${i}`, updated_at: T0 + i, body: "common words here" }),
            T0,
          );
        }
      });
      const capped = ftsPage(conn, normalizeSearch(conn, { text: "common", limit: 5 }));
      assert.deepEqual([capped.total, capped.more], [COUNT_LIMIT, true]);
      assert.equal(capped.rows.length, 5);
      assert.ok(capped.rows.every((r) => r.rank === null), "past the limit: newest first");
      const exact = ftsPage(conn, normalizeSearch(conn, { text: "common", exactTotal: true }));
      assert.deepEqual([exact.total, exact.more], [COUNT_LIMIT + 30, false]);
      const deep = ftsPage(
        conn,
        normalizeSearch(conn, { text: "common", offset: 1010, limit: 10 }),
      );
      assert.equal(deep.rows.length, 10, "a page past the limit is still served");
      const all = sqlPage(
        conn,
        normalizeSearch(conn, {}),
        sqlCappedCount(conn, normalizeSearch(conn, {})),
      );
      assert.deepEqual([all.total, all.more], [COUNT_LIMIT, true]);
    } finally {
      conn.close();
    }
  });
});

Deno.test("ftsPage() pages matches past the rank limit newest first, ids breaking ties, up to the count limit", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      const total = COUNT_LIMIT + 30;
      conn.transaction(() => {
        for (let i = 0; i < total; i++) {
          // tie groups of 40 conversations per second: larger than the slack read past a page
          upsertConversation(
            conn,
            conversation({
              id: `r${String((i * 7919) % total).padStart(4, "0")}`,
              updated_at: T0 + Math.floor(i / 40),
              created_at: T0 - HOUR,
              body: i % 2 === 0 ? "widget broken" : "widget fine", // 515 broken: past the rank limit
            }),
            T0,
          );
        }
      });
      const reference = (where: string, params: (string | number)[]) =>
        conn.all(
          `SELECT doc_id FROM conversations WHERE ${where} ORDER BY updated_at DESC, id`,
          ...params,
        ).map((r) => Number(r.doc_id));
      const cases: [ConversationSearch, number[]][] = [
        [{ text: "widget" }, reference("1", [])],
        [{ text: "broken" }, reference("source_body LIKE '%broken%'", [])],
        [
          { text: "widget", updatedSince: T0 + 5, updatedUntil: T0 + 20 },
          reference("updated_at BETWEEN ? AND ?", [T0 + 5, T0 + 20]),
        ],
        // created_at is checked on the row (another statement): the same answer
        [{ text: "widget", createdSince: T0 - HOUR }, reference("1", [])],
      ];
      for (const [search, expected] of cases) {
        for (const page of [[0, 5], [13, 20], [38, 4], [990, 10], [1005, 20]] as const) {
          const [offset, limit] = page;
          const query = { ...search, offset, limit };
          const result = ftsPage(conn, normalizeSearch(conn, query));
          const label = JSON.stringify(query);
          const cap = Math.max(COUNT_LIMIT, offset + limit);
          assert.equal(result.total, Math.min(expected.length, cap), label);
          assert.equal(result.more ?? false, expected.length > cap, label);
          assert.ok(expected.length > RANK_LIMIT, label);
          assert.ok(result.rows.every((r) => r.rank === null), label);
          assert.deepEqual(
            result.rows.map((r) => r.docId),
            expected.slice(offset, offset + limit),
            label,
          );
        }
      }
    } finally {
      conn.close();
    }
  });
});
