import assert from "node:assert/strict";
import { CUSTOMER_AUTHOR_TYPES, TEAMMATE_AUTHOR_TYPES } from "../../lib/store/conversations.ts";
import type { Store } from "../../lib/store/store.ts";
import { conversation, DAY, HOUR, part, T0, withStore } from "./_fixtures.ts";

function snapshot(store: Store, id: string) {
  const conv = store.getConversation(id);
  assert.ok(conv !== null);
  const { synced_at: _synced, ...rest } = conv;
  return rest;
}

Deno.test("upsertConversation() twice changes nothing but synced_at", async () => {
  await withStore((store) => {
    const conv = conversation({
      id: "c1",
      subject: "Billing",
      tags: [{ id: "1", name: "VIP" }],
      parts: [part({ id: "p1", body: "first reply" }), part({ id: "p2", body: "second reply" })],
    });
    store.upsertConversation(conv, T0);
    const before = snapshot(store, "c1");
    const statsBefore = store.stats();
    const result = store.upsertConversation(conv, T0 + DAY);
    assert.deepEqual(result, { partsUpserted: 2 });
    assert.deepEqual(snapshot(store, "c1"), before);
    assert.equal(store.getConversation("c1")?.synced_at, T0 + DAY);
    const statsAfter = store.stats();
    assert.deepEqual(
      { ...statsAfter, sizeBytes: 0 },
      { ...statsBefore, sizeBytes: 0 },
    );
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.equal(store.searchConversations({ text: "second" }).total, 1);
  });
});

Deno.test("upsertConversation() keeps parts the API no longer returns past the 500 cap", async () => {
  await withStore((store) => {
    const early = [1, 2, 3, 4, 5].map((n) =>
      part({ id: `p${n}`, body: `message ${n}`, created_at: T0 + n * HOUR })
    );
    store.upsertConversation(conversation({ id: "c1", parts: early }), T0);
    assert.equal(store.getConversation("c1")?.parts_truncated, false);
    // Later the API returns only the newest parts of a longer thread.
    const newest = [4, 5, 6, 7].map((n) =>
      part({ id: `p${n}`, body: `message ${n}`, created_at: T0 + n * HOUR })
    );
    const result = store.upsertConversation(
      conversation({ id: "c1", updated_at: T0 + 8 * HOUR, parts: newest, total_count: 9 }),
      T0 + DAY,
    );
    assert.equal(result.partsUpserted, 4);
    const stored = store.getConversation("c1");
    assert.ok(stored !== null);
    assert.deepEqual(stored.parts.map((p) => p.id), [
      "src-c1",
      "p1",
      "p2",
      "p3",
      "p4",
      "p5",
      "p6",
      "p7",
    ]);
    assert.equal(stored.parts_total, 9);
    assert.equal(stored.parts_stored, 7);
    assert.equal(stored.parts_truncated, true);
    assert.equal(store.stats().truncatedConversations, 1);
    assert.equal(
      store.searchConversations({ text: '"message 1"' }).total,
      1,
      "old part searchable",
    );
  });
});

Deno.test("upsertConversation() updates a changed part and re-indexes its text", async () => {
  await withStore((store) => {
    store.upsertConversation(
      conversation({ id: "c1", parts: [part({ id: "p1", body: "apples and pears" })] }),
      T0,
    );
    assert.equal(store.searchConversations({ text: "apples" }).total, 1);
    store.upsertConversation(
      conversation({
        id: "c1",
        updated_at: T0 + HOUR,
        subject: "Fresh subject",
        parts: [part({ id: "p1", body: "bananas only" })],
      }),
      T0 + HOUR,
    );
    assert.equal(store.searchConversations({ text: "apples" }).total, 0, "old text gone");
    assert.equal(store.searchConversations({ text: "bananas" }).total, 1, "new text found");
    assert.equal(store.searchConversations({ text: "fresh" }).total, 1, "new subject found");
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.equal(store.stats().conversations, 1);
  });
});

Deno.test("upsertConversation() stores HTML bodies as plain text", async () => {
  await withStore((store) => {
    store.upsertConversation(
      conversation({
        id: "c1",
        body: "<p>Hi &amp; hello</p><p>Line <b>two</b></p>",
        parts: [part({ id: "p1", body: "<p>Thanks&nbsp;a lot</p>" })],
      }),
      T0,
    );
    const stored = store.getConversation("c1");
    assert.equal(stored?.source_body, "Hi & hello\nLine two");
    assert.equal(stored?.parts[1]?.body, "Thanks a lot");
  });
});

Deno.test("upsertConversation() counts customer and teammate messages by the documented rule", async () => {
  assert.deepEqual(CUSTOMER_AUTHOR_TYPES, ["user", "lead", "contact"]);
  assert.deepEqual(TEAMMATE_AUTHOR_TYPES, ["admin", "team", "bot"]);
  await withStore((store) => {
    const user = { type: "user", id: "u1", name: "Uma", email: "uma@customer.test" };
    const lead = { type: "lead", id: "l1", name: null, email: null };
    const admin = { type: "admin", id: "a1", name: "Ada", email: "ada@team.test" };
    const bot = { type: "bot", id: "b1", name: "Fin", email: null };
    store.upsertConversation(
      conversation({
        id: "c1",
        author: user,
        parts: [
          part({ id: "1", author: user }),
          part({ id: "2", author: lead }),
          part({ id: "3", author: admin }),
          part({ id: "4", author: admin, part_type: "note" }),
          part({ id: "5", author: bot }),
          part({ id: "6", author: admin, part_type: "assignment", body: null }),
          part({ id: "7", author: user, part_type: "close", body: null }),
        ],
      }),
      T0,
    );
    const stored = store.getConversation("c1");
    assert.equal(stored?.customer_messages, 3, "source + 2 customer comments");
    assert.equal(stored?.teammate_messages, 3, "admin comment, admin note, bot comment");
  });
});

Deno.test("upsertConversation() replaces tag and contact links", async () => {
  await withStore((store) => {
    store.upsertConversation(
      conversation({ id: "c1", tags: [{ id: "1", name: "Billing" }], contacts: ["u1", "u2"] }),
      T0,
    );
    assert.equal(store.searchConversations({ tag: "billing" }).total, 1);
    store.upsertConversation(
      conversation({
        id: "c1",
        updated_at: T0 + 1,
        tags: [{ id: "2", name: "Urgent" }],
        contacts: ["u3"],
      }),
      T0,
    );
    assert.equal(store.searchConversations({ tag: "billing" }).total, 0);
    assert.equal(store.searchConversations({ tag: "urgent" }).total, 1);
    assert.deepEqual(store.getConversation("c1")?.contact_ids, ["u3"]);
    assert.deepEqual(store.getConversation("c1")?.tag_names, ["Urgent"]);
    assert.deepEqual(store.missingContactIds(["u1", "u3"]), ["u1", "u3"]);
  });
});

Deno.test("upsertConversation() inside a caller's transaction is undone when it rolls back", async () => {
  await withStore((store) => {
    assert.throws(() =>
      store.transaction(() => {
        store.upsertConversation(conversation({ id: "c1", parts: [part({ id: "p1" })] }), T0);
        throw new Error("sync failed");
      }), /sync failed/);
    assert.equal(store.getConversation("c1"), null);
    assert.equal(store.stats().parts, 0);
    assert.equal(store.searchConversations({ text: "question" }).total, 0);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});

Deno.test("upsertConversation() leaves a part stored under another conversation where it is", async () => {
  await withStore((store) => {
    store.upsertConversation(
      conversation({ id: "c1", parts: [part({ id: "p1", body: "one" })] }),
      T0,
    );
    store.upsertConversation(
      conversation({ id: "c2", parts: [part({ id: "p1", body: "two" })] }),
      T0,
    );
    assert.equal(store.getConversation("c1")?.parts[1]?.body, "one");
    assert.equal(store.getConversation("c2")?.parts_stored, 0);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});

Deno.test("storedCopies() returns updated_at and the fetch second for the stored ids only", async () => {
  await withStore((store) => {
    store.upsertConversation(conversation({ id: "c1", updated_at: T0 + 5 }), T0);
    store.upsertConversation(conversation({ id: "c2", updated_at: T0 + 9 }), T0, {
      fetchedAt: T0 + 9,
    });
    assert.deepEqual(
      store.storedCopies(["c1", "c2", "c3"]),
      new Map([
        ["c1", { updatedAt: T0 + 5, fetchedAt: null }],
        ["c2", { updatedAt: T0 + 9, fetchedAt: T0 + 9 }],
      ]),
    );
    // an upsert without a fetch time keeps the older one (conservative: fetch again, never skip)
    store.upsertConversation(conversation({ id: "c2", updated_at: T0 + 12 }), T0 + 20);
    assert.deepEqual(store.storedCopies(["c2"]).get("c2"), {
      updatedAt: T0 + 12,
      fetchedAt: T0 + 9,
    });
    assert.deepEqual(store.storedCopies([]), new Map());
  });
});

Deno.test("upsertConversation() keeps every character around a NUL, and search finds words after it", async () => {
  await withStore((store) => {
    const conv = conversation({
      id: "n1",
      title: "Refund\0request",
      subject: "Invoice\0March",
      body: "<p>before\0afterword in the source</p>",
      author: { type: "user", id: "u1", name: "Ann\0Lee", email: "ann@x.test" },
      tags: [{ id: "t1", name: "vip\0gold" }],
      parts: [
        part({
          id: "np1",
          body: "first\0secondword in a reply",
          author: { type: "admin", id: "a1", name: "Bo\0Admin", email: "bo@x.test" },
        }),
      ],
    });
    conv.custom_attributes = { "Order\0number": "A\0-42", plain: "ok" };
    store.upsertConversation(conv, T0);
    const stored = store.getConversation("n1")!;
    assert.equal(stored.title, "Refund\uFFFDrequest");
    assert.equal(stored.source_subject, "Invoice\uFFFDMarch");
    assert.equal(stored.source_body, "before\uFFFDafterword in the source");
    assert.equal(stored.source_author_name, "Ann\uFFFDLee");
    assert.deepEqual(stored.tag_names, ["vip\uFFFDgold"]);
    assert.deepEqual(stored.custom_attributes, { "Order\uFFFDnumber": "A\uFFFD-42", plain: "ok" });
    const reply = stored.parts.find((p) => p.id === "np1")!;
    assert.equal(reply.body, "first\uFFFDsecondword in a reply");
    assert.equal(reply.author_name, "Bo\uFFFDAdmin");
    for (const word of ["afterword", "secondword", "request", "March"]) {
      const found = store.searchConversations({ text: word });
      assert.equal(found.total, 1, word);
      assert.match(found.hits[0]!.snippet ?? stored.title!, new RegExp(word, "i"), word);
    }
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});

Deno.test("upsertConversation() takes parts_total from statistics.count_conversation_parts, else total_count", async () => {
  await withStore((store) => {
    const parts = [1, 2, 3].map((n) => part({ id: `q${n}`, created_at: T0 + n }));
    // total_count agrees with the parts returned, but the statistics count 10 (source + 9 parts)
    const capped = conversation({ id: "s1", parts });
    capped.statistics = { count_conversation_parts: 10 };
    store.upsertConversation(capped, T0);
    const stored = store.getConversation("s1")!;
    assert.equal(stored.parts_total, 9);
    assert.equal(stored.parts_truncated, true);
    const noStats = conversation({ id: "s2", parts, total_count: 5 });
    noStats.statistics = {};
    store.upsertConversation(noStats, T0);
    assert.equal(store.getConversation("s2")!.parts_total, 5);
    assert.equal(store.getConversation("s2")!.parts_truncated, true);
  });
});
