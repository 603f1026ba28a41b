/**
 * Against the simulator: every shape it produces (quirks, blank Twitter authors, `app: null`)
 * is read; only a record that breaks the contract raises a MalformedRecordError naming it.
 */
import assert from "node:assert/strict";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { ApiError, MalformedRecordError } from "../../lib/intercom/errors.ts";
import { malformedRecord } from "../../lib/intercom/malformed.ts";
import { q } from "../../lib/intercom/query.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { ConversationListSchema } from "../../lib/intercom/types.ts";

const NOW = 1_750_000_000;

async function withClient(
  fn: (api: IntercomClient, sim: Awaited<ReturnType<typeof startSimulator>>) => Promise<void>,
) {
  const sim = await startSimulator({ conversations: 120, seed: 3, now: NOW });
  try {
    await fn(new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN }), sim);
  } finally {
    await sim.close();
  }
}

Deno.test("IntercomClient reads every conversation the simulator serves, odd shapes included", async () => {
  await withClient(async (api, sim) => {
    const [first, second, third] = sim.workspace.conversations;
    first!.quirks = { nullStatistics: true, nullTeammates: true };
    second!.quirks = { nullTeammateIds: true };
    third!.source.author = { ...third!.source.author, blank: "empty" };
    const seen: string[] = [];
    for await (const page of api.searchConversations(q.gt("updated_at", NOW - 60 * 86_400))) {
      seen.push(...page.items.map((c) => c.id));
    }
    assert.equal(seen.length, sim.workspace.conversations.length);
    const blank = sim.workspace.conversations.filter((c) => c.source.author.blank !== undefined);
    assert.ok(blank.length >= 2, "the generator makes blank Twitter authors");
    for (const c of sim.workspace.conversations) {
      const conv = await api.getConversation(c.id);
      assert.equal(conv.id, c.id);
      if (c.source.author.blank !== undefined) assert.equal(conv.source?.author, null, c.id);
    }
    const odd = await api.getConversation(first!.id);
    assert.deepEqual(odd.statistics, {});
    assert.deepEqual(odd.teammates, []);
    sim.behaviour.meAppNull = true;
    assert.equal((await api.me()).app, null);
  });
});

Deno.test("IntercomClient.getConversation() raises MalformedRecordError for a malformed body, without retrying", async () => {
  await withClient(async (api, sim) => {
    const bad = sim.workspace.conversations[5]!;
    bad.quirks = { malformed: true };
    const before = sim.stats.requests;
    const error = await api.getConversation(bad.id).catch((e) => e);
    assert.ok(error instanceof MalformedRecordError);
    assert.ok(error instanceof ApiError, "a non-retryable API error to callers that know no more");
    assert.equal(error.recordKind, "conversation");
    assert.equal(error.recordId, bad.id);
    assert.equal(error.endpoint, "GET /conversations/{id}");
    assert.match(error.reason, /^field "created_at": Expected number, received string$/);
    assert.match(error.message, new RegExp(`returned conversation ${bad.id} in a shape`));
    assert.equal(sim.stats.requests - before, 1);
    const fine = await api.getConversation(sim.workspace.conversations[6]!.id);
    assert.equal(fine.id, sim.workspace.conversations[6]!.id);
  });
});

Deno.test("IntercomClient.getContact() answers null for unknown and merged contacts", async () => {
  await withClient(async (api, sim) => {
    const [lead, user] = [
      sim.workspace.contacts.find((c) => c.role === "lead")!,
      sim.workspace.contacts.find((c) => c.role === "user")!,
    ];
    assert.equal((await api.getContact(lead.id))?.id, lead.id);
    sim.mergeContact(lead.id, user.id);
    assert.equal(await api.getContact(lead.id), null);
    assert.equal(await api.getContact("no-such-contact"), null);
    assert.equal((await api.getContact(user.id))?.id, user.id);
  });
});

Deno.test("malformedRecord() names the list item an issue lies in, or nothing for the envelope", () => {
  const json = { type: "conversation.list", conversations: [{ id: 1 }, { id: "x2" }] };
  const records = {
    kind: "conversation",
    endpoint: "POST /conversations/search",
    list: "conversations",
  } as const;
  const issue = ConversationListSchema.safeParse(json).error?.issues.find((i) => i.path[1] === 1);
  assert.ok(issue);
  const found = malformedRecord(records, json, issue);
  assert.equal(found?.id, "x2");
  assert.match(found!.reason, /^field "(created_at|updated_at)": Required$/);
  const envelope = ConversationListSchema.safeParse(json).error?.issues.find((i) =>
    i.path[0] === "total_count"
  );
  assert.ok(envelope);
  assert.equal(malformedRecord(records, json, envelope), undefined);
});

Deno.test("IntercomClient.searchConversationsPage() with skipUnreadable lists a bad item apart and returns the rest", async () => {
  await withClient(async (api, sim) => {
    const bad = sim.workspace.conversations[4]!;
    bad.quirks = { malformedInSearch: true };
    const query = q.gt("updated_at", NOW - 60 * 86_400);
    const strict = await api.searchConversationsPage(query, { perPage: 150 }).catch((e) => e);
    assert.ok(strict instanceof MalformedRecordError, "without the option the page fails");
    assert.equal(strict.recordId, bad.id);
    const page = await api.searchConversationsPage(query, { perPage: 150, skipUnreadable: true });
    assert.deepEqual(page.unreadable, [
      { id: bad.id, reason: 'field "created_at": Expected number, received string' },
    ]);
    assert.equal(page.items.length, sim.workspace.conversations.length - 1);
    assert.ok(!page.items.some((c) => c.id === bad.id));
    assert.equal(page.totalCount, sim.workspace.conversations.length);
    assert.equal((await api.getConversation(bad.id)).id, bad.id, "its full copy reads fine");
    const contacts = await api.searchContactsPage(
      { field: "id", operator: "IN", value: [sim.workspace.contacts[0]!.id] },
      { skipUnreadable: true },
    );
    assert.deepEqual(contacts.unreadable, []);
    assert.equal(contacts.items.length, 1);
  });
});
