import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Store } from "../../lib/store/store.ts";
import { conversation, HOUR, part, T0, withStore } from "./_fixtures.ts";

Deno.test("getConversation() returns the row with the source first and parts by created_at, id", async () => {
  await withStore((store) => {
    store.replaceAdmins([{
      id: "7",
      name: "Ada Admin",
      email: "ada@team.test",
      job_title: null,
      away_mode_enabled: false,
      team_ids: [],
    }]);
    store.replaceTeams([{ id: "8", name: "Support", admin_ids: [] }]);
    store.upsertConversation(
      conversation({
        id: "c1",
        subject: "Help",
        body: "first message",
        admin_assignee_id: 7,
        team_assignee_id: 8,
        parts: [
          part({ id: "30", body: "third", created_at: T0 + 2 * HOUR }),
          part({ id: "20", body: "second-b", created_at: T0 + HOUR }),
          part({ id: "10", body: "second-a", created_at: T0 + HOUR }),
        ],
      }),
      T0 + 5,
    );
    const conv = store.getConversation("c1");
    assert.ok(conv !== null);
    assert.deepEqual(conv.parts.map((p) => [p.id, p.part_type, p.body]), [
      ["src-c1", "source", "first message"],
      ["10", "comment", "second-a"],
      ["20", "comment", "second-b"],
      ["30", "comment", "third"],
    ]);
    assert.equal(conv.parts[0]?.author_email, "uma@customer.test");
    assert.equal(conv.admin_assignee_id, "7");
    assert.equal(conv.admin_assignee_name, "Ada Admin");
    assert.equal(conv.team_assignee_name, "Support");
    assert.equal(conv.synced_at, T0 + 5);
    assert.deepEqual(conv.custom_attributes, { channel: "chat" });
    assert.deepEqual(conv.statistics, { count_conversation_parts: 4 });
    assert.equal(conv.rating, null);
    assert.equal(conv.open, true);
    assert.equal(store.getConversation("missing"), null);
  });
});

Deno.test("getConversationPage() reads one page of the same sequence, with the thread's length", async () => {
  await withStore((store) => {
    const parts = [1, 2, 3, 4].map((n) => part({ id: `p${n}`, created_at: T0 + n }));
    store.upsertConversation(conversation({ id: "c1", parts }), T0);
    const sourceless = conversation({ id: "c2", parts });
    sourceless.source = null;
    sourceless.conversation_parts.conversation_parts = parts.map((p) => ({ ...p, id: `q${p.id}` }));
    store.upsertConversation(sourceless, T0);
    const full = store.getConversation("c1")!;
    const page = (id: string, offset: number, limit: number) => {
      const got = store.getConversationPage(id, { offset, limit })!;
      return [got.conversation.parts.map((p) => p.id), got.total, got.hasSource, got.offset];
    };
    assert.deepEqual(page("c1", 0, 2), [["src-c1", "p1"], 5, true, 0]);
    assert.deepEqual(page("c1", 2, 2), [["p2", "p3"], 5, true, 2]);
    assert.deepEqual(page("c1", 4, 100), [["p4"], 5, true, 4]);
    assert.deepEqual(page("c1", 9, 100), [[], 5, true, 9]);
    assert.deepEqual(page("c2", 0, 2), [["qp1", "qp2"], 4, false, 0]);
    assert.deepEqual(page("c2", 3, 2), [["qp4"], 4, false, 3]);
    const { parts: _parts, ...header } = full;
    const { parts: _page, ...pageHeader } = store.getConversationPage("c1", {
      offset: 1,
      limit: 1,
    })!.conversation;
    assert.deepEqual(pageHeader, header);
    assert.equal(store.getConversationPage("missing", { offset: 0, limit: 10 }), null);
  });
});

Deno.test("getParts() pages through the same sequence, source first", async () => {
  await withStore((store) => {
    const parts = [1, 2, 3, 4].map((n) => part({ id: `p${n}`, created_at: T0 + n }));
    store.upsertConversation(conversation({ id: "c1", parts }), T0);
    const all = store.getParts("c1").map((p) => p.id);
    assert.deepEqual(all, ["src-c1", "p1", "p2", "p3", "p4"]);
    assert.deepEqual(store.getParts("c1", { limit: 2 }).map((p) => p.id), ["src-c1", "p1"]);
    assert.deepEqual(store.getParts("c1", { limit: 2, offset: 2 }).map((p) => p.id), ["p2", "p3"]);
    assert.deepEqual(store.getParts("c1", { offset: 4 }).map((p) => p.id), ["p4"]);
    assert.deepEqual(store.getParts("c1", { limit: 0 }), []);
    assert.deepEqual(store.getParts("missing"), []);
  });
});

Deno.test("stats() and coverage() report counts, period and size", async () => {
  await withStore((store) => {
    const empty = store.stats();
    assert.deepEqual({ ...empty, sizeBytes: 0 }, {
      conversations: 0,
      parts: 0,
      contacts: 0,
      admins: 0,
      teams: 0,
      tags: 0,
      oldestCreatedAt: null,
      newestUpdatedAt: null,
      sizeBytes: 0,
      truncatedConversations: 0,
    });
    assert.ok(empty.sizeBytes > 0);
    store.upsertConversation(
      conversation({ id: "a", created_at: T0, updated_at: T0 + 50, parts: [part({ id: "1" })] }),
      T0,
    );
    store.upsertConversation(
      conversation({ id: "b", created_at: T0 - 10, updated_at: T0 + 20, total_count: 3 }),
      T0,
    );
    const stats = store.stats();
    assert.equal(stats.conversations, 2);
    assert.equal(stats.parts, 1);
    assert.equal(stats.oldestCreatedAt, T0 - 10);
    assert.equal(stats.newestUpdatedAt, T0 + 50);
    assert.equal(stats.truncatedConversations, 1);
    assert.deepEqual(store.coverage(), {
      oldestCreatedAt: T0 - 10,
      newestUpdatedAt: T0 + 50,
      cursor: null,
      lastCompletedRunAt: null,
    });
  });
});

Deno.test("quickCheck(), integrityCheck(), orphanParts() and ftsIntegrityCheck() pass on a sound store", async () => {
  await withStore((store) => {
    store.upsertConversation(conversation({ id: "c1", parts: [part({ id: "p1" })] }), T0);
    assert.deepEqual(store.quickCheck(), []);
    assert.deepEqual(store.integrityCheck(), []);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.equal(store.orphanParts(), 0);
  });
});

Deno.test("ftsIntegrityCheck() reports text changed behind the index and rebuildFullText() repairs it", async () => {
  await withStore((store, path) => {
    store.upsertConversation(
      conversation({ id: "c1", parts: [part({ id: "p1", body: "original words" })] }),
      T0,
    );
    const raw = new DatabaseSync(path);
    try {
      raw.exec("UPDATE conversation_parts SET body = 'tampered text' WHERE id = 'p1'");
    } finally {
      raw.close();
    }
    const problems = store.ftsIntegrityCheck();
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? "", /full-text index does not match/);
    store.rebuildFullText();
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.equal(store.searchConversations({ text: "tampered" }).total, 1);
    assert.equal(store.searchConversations({ text: "original" }).total, 0);
  });
});

Deno.test("ftsIntegrityCheck() on a read-only store finds conversations missing from the index", async () => {
  await withStore((store, path) => {
    store.upsertConversation(conversation({ id: "c1" }), T0);
    store.upsertConversation(conversation({ id: "c2" }), T0);
    using reader = Store.open(path, { readOnly: true });
    assert.deepEqual(reader.ftsIntegrityCheck(), []);
    const raw = new DatabaseSync(path);
    try {
      raw.exec(
        "INSERT INTO conversations_fts (conversations_fts, rowid, subject, title, body, facets) " +
          "SELECT 'delete', doc_id, subject, title, body, facets FROM conversation_documents " +
          "WHERE doc_id = (SELECT doc_id FROM conversations WHERE id = 'c2')",
      );
    } finally {
      raw.close();
    }
    assert.deepEqual(reader.ftsIntegrityCheck(), [
      "1 conversations are missing from the full-text index",
    ]);
    assert.equal(store.ftsIntegrityCheck().length, 1);
  });
});
