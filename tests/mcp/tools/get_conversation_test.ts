import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";
import { syncSupport } from "./_support.ts";
import { referenceGetConversation } from "./_get_conversation_reference.ts";
import { getConversation } from "../../../lib/mcp/tools/get_conversation.ts";
import type { Conversation } from "../../../lib/intercom/types.ts";
import { Store } from "../../../lib/store/store.ts";
import { isoFromSeconds } from "../../../lib/util/clock.ts";
import { conversation, DAY, HOUR, part, T0 } from "../../store/_fixtures.ts";

Deno.test("get_conversation returns whole threads in order, within budgets", async (t) => {
  // a parts cap of 8 makes the longer threads "truncated by Intercom"
  await using fx = await syncedFixture({ conversations: 40, seed: 21, partsCap: 8 });
  await using c = await memoryClient(fx);
  const get = async (args: Record<string, unknown>) =>
    dataOf(await c.call("get_conversation", args));
  const hits = fx.store.searchConversations({ limit: 100 }).hits;
  const longest = [...hits].sort((a, b) => b.parts_total - a.parts_total)[0]!;
  const stored = fx.store.getConversation(longest.id)!;

  await t.step("the thread: source first, then every part, with authors and times", async () => {
    const r = await get({ conversation_id: longest.id, max_parts: 1000 });
    assert.equal(r.total_messages, stored.parts.length);
    assert.deepEqual(
      r.messages.map((m: { id: string; type: string; body: string | null; index: number }) => [
        m.index,
        m.id,
        m.type,
        m.body,
      ]),
      stored.parts.map((p, i) => [i, p.id, p.part_type, p.body]),
    );
    assert.equal(r.messages[0].type, "source");
    assert.equal(r.messages[0].author.email, stored.source_author_email);
    assert.equal(r.next_offset, null);
    assert.equal(r.conversation.state, stored.state);
    assert.deepEqual(
      r.conversation.contacts.map((x: { id: string }) => x.id),
      stored.contact_ids,
    );
    assert.equal(
      r.conversation.contacts[0].email,
      fx.store.getContact(stored.contact_ids[0]!)?.email,
    );
  });

  await t.step("Intercom's part cap is noted", async () => {
    assert.equal(stored.parts_truncated, true);
    const r = await c.call("get_conversation", { conversation_id: longest.id });
    assert.equal(dataOf(r).truncated_by_intercom, true);
    assert.match(dataOf(r).note, /at most the newest 500 parts/);
    assert.match(textOf(r), /Note: Intercom returns at most the newest 500 parts/);
    const short = hits.find((h) => !fx.store.getConversation(h.id)!.parts_truncated)!;
    assert.equal((await get({ conversation_id: short.id })).note, null);
  });

  await t.step("max_parts and offset page through the thread", async () => {
    const collected: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const r = await get({ conversation_id: longest.id, max_parts: 3, offset });
      assert.ok(r.returned_messages <= 3);
      collected.push(...r.messages.map((m: { id: string }) => m.id));
      offset = r.next_offset;
      pages++;
    }
    assert.deepEqual(collected, stored.parts.map((p) => p.id));
    assert.equal(pages, Math.ceil(stored.parts.length / 3));
  });

  await t.step("max_chars bounds the text, cutting a single huge message", async () => {
    const r = await get({ conversation_id: longest.id, max_chars: 1000 });
    const chars = r.messages.reduce(
      (n: number, m: { body: string | null }) => n + (m.body?.length ?? 0),
      0,
    );
    assert.ok(r.returned_messages >= 1);
    assert.ok(chars <= 1000 + 60, `${chars} characters`);
  });

  await t.step(
    "numeric ids are accepted; unknown ids and bad offsets are tool errors",
    async () => {
      assert.equal(
        (await get({ conversation_id: Number(longest.id) })).conversation.id,
        longest.id,
      );
      const missing = await c.call("get_conversation", { conversation_id: "999" });
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /conversation "999" is not in the local store/);
      const past = await c.call("get_conversation", {
        conversation_id: longest.id,
        offset: 10_000,
      });
      assert.match(textOf(past), /offset 10000 is past the end/);
      const empty = await c.call("get_conversation", { conversation_id: "" });
      assert.equal(empty.isError, true);
      const none = await c.call("get_conversation", {});
      assert.equal(none.isError, true);
      assert.match(textOf(none), /conversation_id/);
    },
  );
});

Deno.test("selectMessages() keeps the budget, cutting only a message that alone exceeds it", async () => {
  const { selectMessages } = await import("../../../lib/mcp/tools/get_conversation.ts");
  const part = (id: string, body: string) => ({
    id,
    conversation_id: "1",
    part_type: "comment",
    author_type: "user",
    author_id: "u",
    author_name: null,
    author_email: null,
    body,
    created_at: 1767225600,
    updated_at: null,
    redacted: false,
  });
  const conv = {
    parts: [part("a", "x".repeat(400)), part("b", "y".repeat(400)), part("c", "z".repeat(5000))],
  } as Parameters<typeof selectMessages>[0];
  const first = selectMessages(conv, { offset: 0, maxParts: 10, maxChars: 1000 });
  assert.deepEqual(first.messages.map((m) => m.id), ["a", "b"]);
  assert.equal(first.nextOffset, 2);
  const huge = selectMessages(conv, { offset: 2, maxParts: 10, maxChars: 1000 });
  assert.equal(huge.messages.length, 1);
  assert.equal(huge.messages[0]!.body, `${"z".repeat(1000)}… [message cut at 1000 characters]`);
  assert.equal(huge.nextOffset, null);
  assert.deepEqual(
    selectMessages(conv, { offset: 0, maxParts: 1, maxChars: 99999 }).messages.map((m) => m.index),
    [0],
  );
});

Deno.test("get_conversation and search_conversations keep the text after a NUL (synced from the simulator)", async () => {
  const { generateWorkspace } = await import("../../../lib/simulator/generator.ts");
  const { addPart } = await import("../../../lib/simulator/edits.ts");
  const { Prng } = await import("../../../lib/simulator/prng.ts");
  const now = Math.floor(Date.now() / 1000);
  const workspace = generateWorkspace({ seed: 5, conversations: 12, days: 5, now });
  const target = workspace.conversations[3]!;
  addPart(workspace, new Prng(1), target.id, {
    at: target.updated_at,
    body: "<p>before\0zanzibarword after the NUL</p>",
  });
  target.source.subject = "Subject\0tail";
  await using fx = await syncedFixture({ workspace });
  await using c = await memoryClient(fx);
  const r = dataOf(await c.call("get_conversation", { conversation_id: target.id }));
  const bodies = r.messages.map((m: { body: string | null }) => m.body);
  assert.ok(bodies.includes("before\uFFFDzanzibarword after the NUL"), JSON.stringify(bodies));
  const found = dataOf(await c.call("search_conversations", { query: "zanzibarword" }));
  assert.deepEqual(found.conversations.map((x: { id: string }) => x.id), [target.id]);
  assert.match(found.conversations[0].snippet, /zanzibarword/);
  assert.match(found.conversations[0].snippet, /before\uFFFD/);
});

Deno.test("get_conversation accepts every printed form of an id: 123, #123, conversation_123, inbox links", async () => {
  await using fx = await syncedFixture({ conversations: 5, seed: 22 });
  await using c = await memoryClient(fx);
  const id = fx.store.searchConversations({ limit: 1 }).hits[0]!.id;
  const forms = [
    id,
    Number(id),
    `#${id}`,
    `conversation_${id}`,
    `https://app.intercom.com/a/inbox/ws1/inbox/conversation/${id}?view=List`,
    `https://app.eu.intercom.com/a/inbox/ws1/inbox/shared/all/conversation/${id}`,
  ];
  for (const form of forms) {
    const r = await c.call("get_conversation", { conversation_id: form });
    assert.equal(dataOf(r).conversation.id, id, String(form));
  }
  const bad = await c.call("get_conversation", { conversation_id: "the refund one" });
  assert.equal(bad.isError, true);
  assert.match(
    textOf(bad),
    /cannot read a conversation id from "the refund one": give 215468132456/,
  );
});

Deno.test("get_conversation shows custom attributes by the labels their definitions give them", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 23 });
  // a label that differs from the name, as real workspaces have; the next sync stores it
  const definition = fx.sim.workspace.dataAttributes.find((a) =>
    a.model === "conversation" && a.name === "Order number"
  )!;
  definition.label = "Shop order no.";
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const sim = fx.sim.workspace.conversations.find((x) =>
    typeof x.custom_attributes["Order number"] === "string"
  )!;
  const got = await c.call("get_conversation", { conversation_id: sim.id });
  const attributes = dataOf(got).conversation.custom_attributes;
  assert.deepEqual(
    attributes.find((a: { name: string }) => a.name === "Order number"),
    { name: "Order number", label: "Shop order no.", value: sim.custom_attributes["Order number"] },
  );
  assert.deepEqual(
    attributes.find((a: { name: string }) => a.name === "Language"),
    { name: "Language", label: "Language", value: sim.custom_attributes.Language },
  );
  assert.ok(
    textOf(got).includes(`Shop order no.: ${sim.custom_attributes["Order number"]}`),
    textOf(got),
  );
});

const file = (name: string) => ({
  name,
  url: `https://files.test/${name}`,
  content_type: "application/pdf",
  filesize: 1234,
});

/**
 * A 480-part thread whose Fin answer (part 130), human takeover (part 260, an assignment to a
 * team or a teammate's reply) and most attachments lie past the first 100 messages. Parts
 * share a second three by three, so their order is (created_at, id) with ids that sort as text
 * ("p10" before "p9").
 */
function longThread(id: string, takeover: "assignment" | "reply", source = true): Conversation {
  const parts = Array.from({ length: 480 }, (_, i) => {
    const bot = i === 130 || i === 140;
    const admin = { type: "admin", id: "900", name: "Ada Admin", email: "ada@team.test" };
    const user = { type: "user", id: "u1", name: "Uma User", email: "uma@customer.test" };
    const p = part({
      id: `${id}p${i}`,
      created_at: T0 + HOUR + Math.floor(i / 3) * 60,
      // before Fin: customers and teammates talk; after it, teammates only write notes
      part_type: i === 50 || i === 200 || i === 260
        ? "assignment"
        : i > 130 && i % 4 === 1
        ? "note"
        : "comment",
      author: bot ? { type: "bot", id: "fin" } : i % 4 === 1 ? admin : user,
      body: `message ${i} ${"x".repeat(i % 7 === 0 ? 900 : 40)}`,
    });
    if (i === 50) p.assigned_to = { type: "admin", id: "900" }; // before Fin: not a takeover
    if (i === 200) p.assigned_to = { type: "bot", id: "fin" }; // not to a human
    if (i === 260 && takeover === "assignment") p.assigned_to = { type: "team", id: "7" };
    if (i === 260 && takeover === "reply") {
      Object.assign(p, { part_type: "comment", author: admin });
    }
    if ([3, 150, 300].includes(i)) p.attachments = [file(`f${i}.pdf`)];
    if (i === 470) p.attachments = [file("a.pdf"), file("b.pdf")];
    return p;
  });
  const conv = conversation({ id, subject: `Long thread ${id}`, parts, updated_at: T0 + DAY });
  conv.source = source ? { ...conv.source!, attachments: [file("s1.png"), file("s2.png")] } : null;
  return Object.assign(conv, {
    ai_agent: {
      source_type: null,
      source_title: "Refund policy",
      last_answer_type: "ai_answer",
      resolution_state: "routed_to_team",
      rating: 4,
      rating_remark: null,
      content_sources: [{ title: "Refund policy" }],
    },
    ai_agent_participated: true,
    sla_applied: { name: "VIP", status: "hit" },
  } as Partial<Conversation>);
}

/** The message index of part `i` of a {@link longThread}: its place in (created_at, id) order. */
function indexOfPart(conv: Conversation, i: number, source: boolean): number {
  const sorted = conv.conversation_parts.conversation_parts.map((p) => ({ ...p })).sort((a, b) =>
    a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
  return sorted.findIndex((p) => p.id === `${conv.id}p${i}`) + (source ? 1 : 0);
}

async function longThreadFixture() {
  const fx = await syncedFixture({ conversations: 40, seed: 16 });
  await syncSupport(fx);
  const threads = {
    assigned: longThread("7000001", "assignment"),
    replied: longThread("7000002", "reply"),
    sourceless: longThread("7000003", "assignment", false),
  };
  {
    using store = Store.open(fx.settings.paths.storeFile);
    for (const conv of Object.values(threads)) store.upsertConversation(conv, T0 + DAY);
  }
  return { fx, threads };
}

Deno.test("get_conversation reads only the page it returns, and answers exactly as the full read did", async () => {
  const { fx, threads } = await longThreadFixture();
  await using _fx = fx;
  await using c = await memoryClient(fx);
  // one clock for both, so that the freshness note cannot differ by a second
  const now = Date.now();
  const ctx = { ...c.app.ctx, clock: () => now };
  const answer = async (
    run: typeof referenceGetConversation,
    args: Parameters<typeof referenceGetConversation>[1],
  ) => {
    try {
      return await run(ctx, args);
    } catch (error) {
      return { error: String(error) };
    }
  };
  const ids = [
    ...Object.values(threads).map((x) => x.id),
    ...fx.store.searchConversations({ limit: 100 }).hits.map((h) => h.id),
  ];
  const pages = [
    {},
    { offset: 99 },
    { offset: 100 },
    { offset: 250, max_parts: 50 },
    { max_parts: 1000 },
    { max_chars: 1000 },
    { offset: 130, max_parts: 3, max_chars: 1000 },
    { offset: 479 },
    { offset: 480 },
    { offset: 481 },
  ];
  let compared = 0;
  for (const id of [...ids, "404"]) {
    for (const page of pages) {
      const args = { conversation_id: id, ...page };
      const paged = await answer(getConversation, args);
      assert.deepEqual(paged, await answer(referenceGetConversation, args), JSON.stringify(args));
      if (!("error" in paged)) compared++;
    }
  }
  assert.ok(compared > ids.length * 3, `${compared} answers compared`);
});

Deno.test("get_conversation counts attachments and finds Fin's handoff across the whole thread, not only the page", async () => {
  const { fx, threads } = await longThreadFixture();
  await using _fx = fx;
  await using c = await memoryClient(fx);
  for (
    const [conv, how, source] of [
      [threads.assigned, "assignment", true],
      [threads.replied, "reply", true],
      [threads.sourceless, "assignment", false],
    ] as const
  ) {
    const first = indexOfPart(conv, 130, source);
    const takeover = indexOfPart(conv, 260, source);
    assert.ok(first > 100 && takeover > first);
    for (const page of [{}, { offset: 400, max_parts: 5 }, { max_parts: 2 }]) {
      const got = await c.call("get_conversation", { conversation_id: conv.id, ...page });
      const { extras } = dataOf(got);
      assert.equal(extras.attachments, source ? 7 : 5, JSON.stringify(page));
      assert.deepEqual(extras.fin.first_answer, {
        index: first,
        at: isoFromSeconds(T0 + HOUR + Math.floor(130 / 3) * 60),
      });
      assert.equal(extras.fin.human_takeover.index, takeover);
      assert.equal(extras.fin.human_takeover.how, how);
      assert.match(textOf(got), new RegExp(`Fin answered first at message ${first} `));
      assert.match(textOf(got), new RegExp(`${source ? 7 : 5} attachments\\.`));
    }
  }
});
