import assert from "node:assert/strict";
import { DEFAULT_USER_AGENT, IntercomClient } from "../../lib/intercom/client.ts";
import { ApiError, AuthError } from "../../lib/intercom/errors.ts";
import { q } from "../../lib/intercom/query.ts";
import { BASE, client, conversation, errorList, FakeTime, json, ME, TOKEN } from "./_fixtures.ts";

Deno.test("IntercomClient sends auth, accept, version and user-agent headers", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    (request) =>
      request.url.endsWith("/me")
        ? json(ME)
        : json({ type: "conversation.list", conversations: [], total_count: 0 }),
  );
  await time.run(api.me());
  await time.run(api.searchConversationsPage({ field: "open", operator: "=", value: true }));
  const [get, post] = requests;
  assert.equal(get!.method, "GET");
  assert.equal(get!.url, `${BASE}/me`);
  assert.equal(get!.headers.get("authorization"), `Bearer ${TOKEN}`);
  assert.equal(get!.headers.get("accept"), "application/json");
  assert.equal(get!.headers.get("intercom-version"), "2.11");
  assert.equal(get!.headers.get("user-agent"), "fast-intercom-mcp/0.1.0");
  assert.equal(DEFAULT_USER_AGENT, "fast-intercom-mcp/0.1.0");
  assert.equal(get!.headers.get("content-type"), null);
  assert.equal(post!.method, "POST");
  assert.equal(post!.url, `${BASE}/conversations/search`);
  assert.equal(post!.headers.get("content-type"), "application/json");
  assert.deepEqual(await post!.json(), {
    query: { field: "open", operator: "=", value: true },
    pagination: { per_page: 150 },
    sort: { field: "updated_at", order: "ascending" },
  });
});

Deno.test("IntercomClient honours version, user agent and a base URL with a trailing slash", async () => {
  const time = new FakeTime();
  const { api, requests } = client(time, () => json(ME), {
    baseUrl: `${BASE}/`,
    version: "2.14",
    userAgent: "test/1",
  });
  await time.run(api.me());
  assert.equal(requests[0]!.url, `${BASE}/me`);
  assert.equal(requests[0]!.headers.get("intercom-version"), "2.14");
  assert.equal(requests[0]!.headers.get("user-agent"), "test/1");
  assert.throws(
    () => new IntercomClient({ baseUrl: "not a url", token: TOKEN }),
    /Invalid Intercom API URL "not a url"/,
  );
});

Deno.test("IntercomClient.me() parses the admin and ignores unknown fields", async () => {
  const time = new FakeTime();
  const { api } = client(time, () => json(ME));
  const me = await time.run(api.me());
  assert.deepEqual(me, {
    type: "admin",
    id: "991",
    email: "ops@example.com",
    name: "Ops",
    app: {
      type: "app",
      id_code: "abc123",
      name: "Acme",
      created_at: 1_600_000_000,
      timezone: null,
      region: null,
    },
  });
});

Deno.test("IntercomClient.getConversation() asks for plaintext and accepts nulls", async () => {
  const time = new FakeTime();
  const body = conversation("123", {
    title: null,
    source: null,
    tags: null,
    admin_assignee_id: 77,
    team_assignee_id: null,
    brand_new_field: { anything: true },
    conversation_parts: {
      type: "conversation_part.list",
      total_count: 1,
      conversation_parts: [
        {
          type: "conversation_part",
          id: 5,
          part_type: "comment",
          body: null,
          created_at: 1_700_000_050,
          author: null,
        },
      ],
    },
  });
  const { api, requests } = client(time, () => json(body));
  const conv = await time.run(api.getConversation("123"));
  assert.equal(requests[0]!.url, `${BASE}/conversations/123?display_as=plaintext`);
  assert.equal(conv.id, "123");
  assert.equal(conv.title, null);
  assert.equal(conv.admin_assignee_id, "77");
  assert.deepEqual(conv.tags, []);
  assert.equal("brand_new_field" in conv, false);
  assert.equal(conv.conversation_parts.total_count, 1);
  assert.deepEqual(conv.conversation_parts.conversation_parts[0]!.id, "5");
  assert.equal(conv.conversation_parts.conversation_parts[0]!.body, null);
});

Deno.test("IntercomClient lists admins, teams and tags", async () => {
  const time = new FakeTime();
  const { api } = client(time, (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/admins") {
      return json({
        type: "admin.list",
        admins: [{ type: "admin", id: "1", name: "A", email: "a@x", team_ids: [3] }],
      });
    }
    if (path === "/teams") {
      return json({
        type: "team.list",
        teams: [{ type: "team", id: "3", name: "T", admin_ids: [1] }],
      });
    }
    return json({ type: "list", data: [{ type: "tag", id: "8", name: "vip" }] });
  });
  const admins = await time.run(api.listAdmins());
  assert.deepEqual(admins.map((a) => [a.id, a.team_ids, a.away_mode_enabled]), [[
    "1",
    ["3"],
    false,
  ]]);
  assert.deepEqual((await time.run(api.listTeams())).map((t) => [t.id, t.admin_ids]), [["3", [
    "1",
  ]]]);
  assert.deepEqual(await time.run(api.listTags()), [{ type: "tag", id: "8", name: "vip" }]);
});

Deno.test("IntercomClient.searchConversations() follows cursors until next is absent", async () => {
  const time = new FakeTime();
  const pages = [
    { ids: ["1", "2"], next: { page: 2, starting_after: "c1" } },
    { ids: ["3", "4"], next: { page: 3, starting_after: "c2" } },
    { ids: ["5"], next: undefined },
  ];
  const { api, requests } = client(time, (_request, n) => {
    const page = pages[n - 1]!;
    return json({
      type: "conversation.list",
      conversations: page.ids.map((id) => conversation(id)),
      total_count: 5,
      pages: {
        type: "pages",
        page: n,
        per_page: 2,
        total_pages: 3,
        ...(page.next ? { next: page.next } : {}),
      },
    });
  });
  const seen: string[][] = [];
  await time.run((async () => {
    for await (const page of api.searchConversations(q.gt("updated_at", 5), { perPage: 2 })) {
      seen.push(page.items.map((c) => c.id));
      assert.equal(page.totalCount, 5);
      assert.equal(page.totalPages, 3);
    }
  })());
  assert.deepEqual(seen, [["1", "2"], ["3", "4"], ["5"]]);
  const cursors = await Promise.all(requests.map(async (r) => (await r.json()).pagination));
  assert.deepEqual(cursors, [
    { per_page: 2 },
    { per_page: 2, starting_after: "c1" },
    { per_page: 2, starting_after: "c2" },
  ]);
});

Deno.test("IntercomClient.searchConversations() stops when a cursor repeats", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () =>
      json({
        type: "conversation.list",
        conversations: [],
        total_count: 0,
        pages: { next: { starting_after: "same" } },
      }),
  );
  const pages = api.searchConversations({ field: "open", operator: "=", value: true });
  const error = await time.run((async () => {
    for await (const _ of pages) { /* drain */ }
  })()).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.match(error.message, /same search cursor twice \("same"\)/);
  assert.equal(requests.length, 2);
});

Deno.test("IntercomClient.searchContacts() pages contacts; getContact() maps 404 to null", async () => {
  const time = new FakeTime();
  const { api, requests } = client(time, (request, n) => {
    if (request.method === "GET") {
      return request.url.endsWith("/contacts/c1")
        ? json({ type: "contact", id: "c1", role: "user", email: null, custom_attributes: null })
        : errorList(404, "not_found", "User Not Found");
    }
    return json({
      type: "list",
      data: [{ type: "contact", id: `c${n}`, role: "lead" }],
      total_count: 2,
      pages: n === 1 ? { next: { starting_after: "k" } } : { page: 2 },
    });
  });
  const ids: string[] = [];
  await time.run((async () => {
    for await (const page of api.searchContacts({ field: "role", operator: "=", value: "lead" })) {
      ids.push(...page.items.map((c) => c.id));
    }
  })());
  assert.deepEqual(ids, ["c1", "c2"]);
  assert.equal(new URL(requests[0]!.url).pathname, "/contacts/search");
  const contact = await time.run(api.getContact("c1"));
  assert.deepEqual([contact?.id, contact?.email, contact?.custom_attributes], ["c1", null, {}]);
  assert.equal(await time.run(api.getContact("gone")), null);
  assert.equal(api.stats.errors, 0);
});

Deno.test("IntercomClient syncs every conversation from the simulator through injected faults", async () => {
  const { startSimulator, DEFAULT_SIMULATOR_TOKEN, renderConversation } = await import(
    "../../lib/simulator/mod.ts"
  );
  const sim = await startSimulator({
    conversations: 60,
    seed: 3,
    faults: { "500": 0.08, html502: 0.05, empty: 0.05, truncated: 0.05, reset: 0.05 },
  });
  try {
    const api = new IntercomClient({
      baseUrl: sim.url,
      token: DEFAULT_SIMULATOR_TOKEN,
      backoff: { baseMs: 1, capMs: 4 },
      maxAttempts: 10,
    });
    const me = await api.me();
    assert.equal(me.app?.id_code, sim.workspace.app.id_code);
    const ids: string[] = [];
    for await (const page of api.searchConversations(q.gt("updated_at", 0), { perPage: 7 })) {
      ids.push(...page.items.map((c) => c.id));
    }
    const expected = sim.workspace.conversations.map((c) => c.id);
    assert.deepEqual([...ids].sort(), [...expected].sort());
    const sample = ids.slice(0, 5);
    for (const id of sample) {
      const conv = await api.getConversation(id);
      const rendered = renderConversation(sim.workspace, id, { plaintext: true }) as {
        conversation_parts: { total_count: number; conversation_parts: { id: string }[] };
      };
      assert.equal(conv.conversation_parts.total_count, rendered.conversation_parts.total_count);
      assert.deepEqual(
        conv.conversation_parts.conversation_parts.map((p) => p.id),
        rendered.conversation_parts.conversation_parts.map((p) => p.id),
      );
    }
    assert.ok(api.stats.retries > 0, "faults were injected and retried");
    assert.equal(api.stats.errors, 0);
    const bad = new IntercomClient({ baseUrl: sim.url, token: "wrong-token" });
    await assert.rejects(bad.me(), AuthError);
  } finally {
    await sim.close();
  }
});
