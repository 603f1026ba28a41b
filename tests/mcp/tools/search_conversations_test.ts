import assert from "node:assert/strict";
import { captureLogs } from "../../_fixtures/logs.ts";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

const ids = (list: { id: string }[]) => list.map((c) => c.id);

Deno.test("search_conversations matches the store's search, filters and windows", async (t) => {
  await using fx = await syncedFixture({ conversations: 80, seed: 12 });
  const nowMs = Date.now();
  const now = Math.floor(nowMs / 1000);
  await using c = await memoryClient(fx, { clock: () => nowMs });
  const search = async (args: Record<string, unknown>) =>
    dataOf(await c.call("search_conversations", args));

  await t.step("full text: same hits and total, snippets, inbox links, freshness", async () => {
    const expected = fx.store.searchConversations({ text: "order", limit: 50 });
    assert.ok(expected.total > 0);
    const r = await search({ query: "order", limit: 50 });
    assert.equal(r.total, expected.total);
    assert.deepEqual(ids(r.conversations), ids(expected.hits));
    const first = r.conversations[0];
    assert.match(first.snippet, /\[order\]/i);
    assert.equal(
      first.url,
      `https://app.intercom.com/a/inbox/${fx.sim.workspace.app.id_code}/inbox/conversation/${first.id}`,
    );
    assert.equal(first.customer_messages, expected.hits[0]!.customer_messages);
    assert.equal(r.freshness.stale, false);
    assert.equal(r.freshness.sync_running, false);
  });

  await t.step("paging with cursor walks every result exactly once", async () => {
    const all = fx.store.searchConversations({ limit: 100 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await search({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(r.conversations));
      cursor = r.next_cursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ids(all.hits));
  });

  await t.step("timeframes resolve against now, with the activity overlap by default", async () => {
    const week = await search({ timeframe: "last 7 days", limit: 100 });
    const expected = fx.store.searchConversations({
      updatedSince: now - 7 * 86400,
      createdUntil: now,
      limit: 100,
    });
    assert.deepEqual(ids(week.conversations), ids(expected.hits));
    assert.equal(week.window.label, "last 7 days");

    const created = await search({
      start: "10 days ago",
      end: "3 days ago",
      match_on: "created",
      limit: 100,
    });
    const expectedCreated = fx.store.searchConversations({
      createdSince: now - 10 * 86400,
      createdUntil: now - 3 * 86400,
      limit: 100,
    });
    assert.deepEqual(ids(created.conversations), ids(expectedCreated.hits));
    assert.ok(created.conversations.length > 0);
  });

  await t.step("state, tag, assignee and customer email filters", async () => {
    const conv = fx.store.searchConversations({ limit: 100 }).hits
      .map((h) => fx.store.getConversation(h.id)!)
      .find((c) => c.source_author_email !== null)!;
    const email = conv.source_author_email!;
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ state: "closed" }, { state: "closed" }],
      [{ customer_email: email.toUpperCase() }, { customerEmail: email }],
    ];
    const tagged = fx.store.searchConversations({ limit: 100 }).hits.find((h) =>
      h.tag_names.length
    );
    if (tagged) cases.push([{ tag: tagged.tag_names[0] }, { tag: tagged.tag_names[0] }]);
    const assigned = fx.store.searchConversations({ limit: 100 }).hits.find((h) =>
      h.admin_assignee_name
    );
    if (assigned) {
      cases.push([{ assignee: assigned.admin_assignee_name }, {
        assignee: assigned.admin_assignee_name,
      }]);
    }
    assert.ok(cases.length >= 3);
    for (const [args, filter] of cases) {
      const r = await search({ ...args, limit: 100 });
      const expected = fx.store.searchConversations({ ...filter, limit: 100 });
      assert.ok(expected.total > 0, JSON.stringify(args));
      assert.deepEqual(ids(r.conversations), ids(expected.hits), JSON.stringify(args));
    }
  });

  await t.step("bad arguments are tool errors with a clear message", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { timeframe: "last fortnight" },
        /cannot understand timeframe "last fortnight": use "today"/,
      ],
      [{ timeframe: "today", start: "2026-01-01" }, /either timeframe or start\/end/],
      [{ start: "2026-02-01", end: "2026-01-01" }, /is before start/],
      [{ end: "whenever" }, /cannot understand end "whenever"/],
      [{ limit: 101 }, /limit/],
      [{ state: "pending" }, /state/],
      [{ query: 42 }, /query/],
      [{ conversationId: "1" }, /Unrecognized key.*conversationId/],
      [{ cursor: "bogus" }, /cursor "bogus" is not valid/],
    ];
    for (const [args, pattern] of cases) {
      const r = await c.call("search_conversations", args);
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(textOf(r), pattern);
    }
    const page = await search({ query: "order", limit: 1 });
    const other = await c.call("search_conversations", {
      query: "refund",
      cursor: page.next_cursor,
    });
    assert.match(textOf(other), /cursor belongs to a search with other filters/);
  });

  await t.step("text content summarises for a model; empty results say so", async () => {
    const r = await c.call("search_conversations", { query: "order", limit: 2 });
    assert.match(
      textOf(r),
      /^Found \d+ conversations; showing 1–2 \(matched words in \[brackets\]\)\./,
    );
    assert.match(textOf(r), /More results: call again with cursor "/);
    const none = await c.call("search_conversations", { query: "zzzqqqxxy" });
    assert.match(textOf(none), /^No conversations found\. Data is current up to /);
    assert.equal(dataOf(none).total, 0);
  });
});

Deno.test("search_conversations takes a NUL as input, says why symbols match nothing, lists what each is about", async () => {
  await using fx = await syncedFixture({ conversations: 20, seed: 5 });
  await using c = await memoryClient(fx);
  let nul: Awaited<ReturnType<typeof c.call>> | undefined;
  const records = await captureLogs(async () => {
    nul = await c.call("search_conversations", { query: "refund\u0000" });
  });
  assert.equal(nul!.isError, undefined, textOf(nul!));
  assert.ok(
    records.some((r) => String(r.rawMessage).startsWith("tool {tool} answered")),
    "the capture sees the tool's own log lines",
  );
  // ordinary input: nothing at error level for an operator to chase
  const alarming = records.filter((r) => r.level === "error" || r.level === "fatal");
  assert.deepEqual(alarming.map((r) => r.message.join("")), []);
  const symbols = await c.call("search_conversations", { query: "🙂 ?!" });
  assert.equal(dataOf(symbols).total, 0);
  assert.match(dataOf(symbols).notes[0], /has no searchable words/);
  assert.match(
    textOf(symbols),
    /^No conversations found\. The query "🙂 \?!" has no searchable words/,
  );
  const listing = dataOf(await c.call("search_conversations", { limit: 5 }));
  for (const conv of listing.conversations) {
    assert.ok(conv.snippet, `conversation ${conv.id} says what it is about`);
    const stored = fx.store.getConversation(conv.id)!;
    if (stored.team_assignee_id) assert.ok(conv.assignee.team_name, "team names, not raw ids");
  }
});
