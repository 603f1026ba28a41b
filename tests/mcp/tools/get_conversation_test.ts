import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";
import { syncSupport } from "./_support.ts";

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
