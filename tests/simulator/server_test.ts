import assert from "node:assert/strict";
import { DESCRIPTION } from "../_fixtures/openapi.ts";
import { captureLogs } from "../_fixtures/logs.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  renderConversation,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import {
  AdminListSchema,
  ContactListSchema,
  ContactSchema,
  ConversationListSchema,
  ConversationSchema,
  ErrorListSchema,
  MeSchema,
  TagListSchema,
  TeamListSchema,
} from "../../lib/intercom/types.ts";
import { AUTH, getJson, NOW, postJson, withSimulator } from "./_fixtures.ts";

Deno.test("startSimulator() answers 401 without rate-limit headers for a missing or wrong token", async () => {
  await withSimulator({}, async (sim) => {
    for (
      const headers of [{}, { authorization: "Bearer wrong" }, {
        authorization: DEFAULT_SIMULATOR_TOKEN,
      }]
    ) {
      const reply = await getJson(sim, "/me", headers);
      assert.equal(reply.status, 401);
      assert.deepEqual(ErrorListSchema.parse(reply.body).errors, [
        { code: "unauthorized", message: "Access Token Invalid", field: null },
      ]);
      assert.match(reply.body.request_id, /^[0-9a-f-]{36}$/);
      assert.equal(reply.headers.get("x-ratelimit-limit"), null);
      assert.equal(reply.headers.get("x-ratelimit-remaining"), null);
    }
    assert.equal(sim.stats.unauthorized, 3);
  });
});

Deno.test("startSimulator() accepts a custom token", async () => {
  await withSimulator({ token: "other-token" }, async (sim) => {
    assert.equal((await getJson(sim, "/me")).status, 401);
    assert.equal((await getJson(sim, "/me", { authorization: "Bearer other-token" })).status, 200);
  });
});

Deno.test("startSimulator() validates the Intercom-Version header", async () => {
  await withSimulator({}, async (sim) => {
    const described = DESCRIPTION.components.schemas.intercom_version.enum as string[];
    assert.ok(described.includes("2.11") && described.includes("Preview"));
    for (const version of [...described, "2.14", "2.15", "2.16", "Unstable"]) {
      const reply = await getJson(sim, "/me", { ...AUTH, "Intercom-Version": version });
      assert.equal(reply.status, 200, version);
    }
    for (const version of ["2.99", "3.0", "1.5", "latest", ""]) {
      const reply = await getJson(sim, "/me", { ...AUTH, "Intercom-Version": version });
      assert.equal(reply.status, 400, version);
      assert.equal(reply.body.errors[0].code, "intercom_version_invalid");
      assert.ok(reply.headers.get("x-ratelimit-limit"));
    }
  });
});

Deno.test("startSimulator() serves rate headers and a 429 at the limit with an injected clock", async () => {
  let now = 1_750_000_004_000;
  await withSimulator(
    { rateLimit: { limit: 3, windowSeconds: 10 }, clock: () => now },
    async (sim) => {
      const remaining = [];
      for (let i = 0; i < 3; i++) {
        const reply = await getJson(sim, "/me");
        assert.equal(reply.status, 200);
        assert.equal(reply.headers.get("x-ratelimit-limit"), "3");
        assert.equal(reply.headers.get("x-ratelimit-reset"), "1750000010");
        remaining.push(reply.headers.get("x-ratelimit-remaining"));
      }
      assert.deepEqual(remaining, ["2", "1", "0"]);
      const limited = await getJson(sim, "/me");
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body.errors, [
        { code: "rate_limit_exceeded", message: "Exceeded rate limit of 3 in 10_seconds" },
      ]);
      assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
      assert.equal(limited.headers.get("x-ratelimit-reset"), "1750000010");
      now = 1_750_000_010_000;
      const next = await getJson(sim, "/me");
      assert.equal(next.status, 200);
      assert.equal(next.headers.get("x-ratelimit-remaining"), "2");
      assert.equal(sim.stats.rateLimited, 1);
    },
  );
});

Deno.test("startSimulator() serves /me, /admins, /teams and /tags in Intercom's shapes", async () => {
  await withSimulator({}, async (sim) => {
    const me = MeSchema.parse((await getJson(sim, "/me")).body);
    assert.equal(me.id, sim.workspace.me.id);
    assert.equal(me.app?.id_code, sim.workspace.app.id_code);
    const admins = await getJson(sim, "/admins");
    assert.equal(admins.body.type, "admin.list");
    assert.equal(AdminListSchema.parse(admins.body).admins.length, sim.workspace.admins.length);
    const teams = await getJson(sim, "/teams");
    assert.equal(teams.body.type, "team.list");
    assert.equal(TeamListSchema.parse(teams.body).teams.length, sim.workspace.teams.length);
    const tags = await getJson(sim, "/tags");
    assert.equal(tags.body.type, "list");
    assert.equal(TagListSchema.parse(tags.body).data.length, 15);
  });
});

Deno.test("startSimulator() answers 404 error.list for unknown routes and ids", async () => {
  await withSimulator({}, async (sim) => {
    for (const path of ["/nope", "/conversations/999", "/contacts/abc"]) {
      const reply = await getJson(sim, path);
      assert.equal(reply.status, 404, path);
      assert.equal(ErrorListSchema.parse(reply.body).errors[0]!.code, "not_found");
    }
  });
});

Deno.test("GET /conversations/{id} caps parts at 500 and renders plaintext on request", async () => {
  await withSimulator({ conversations: 100 }, async (sim) => {
    const giant = sim.workspace.conversations.find((c) => c.parts.length > 500)!;
    const plain = await getJson(sim, `/conversations/${giant.id}?display_as=plaintext`);
    assert.equal(plain.status, 200);
    const parsed = ConversationSchema.parse(plain.body);
    assert.equal(parsed.conversation_parts.conversation_parts.length, 500);
    assert.equal(parsed.conversation_parts.total_count, giant.parts.length);
    assert.equal(plain.body.statistics.count_conversation_parts, giant.parts.length + 1);
    assert.deepEqual(plain.body, renderConversation(sim.workspace, giant.id));
    const html = await getJson(sim, `/conversations/${giant.id}`);
    assert.deepEqual(html.body, renderConversation(sim.workspace, giant.id, { plaintext: false }));
  });
});

Deno.test("startSimulator() honours the partsCap option", async () => {
  await withSimulator({ partsCap: 2 }, async (sim) => {
    const c = sim.workspace.conversations.find((x) => x.parts.length > 3)!;
    const reply = await getJson(sim, `/conversations/${c.id}?display_as=plaintext`);
    assert.equal(reply.body.conversation_parts.conversation_parts.length, 2);
    assert.equal(reply.body.conversation_parts.total_count, c.parts.length);
  });
});

async function searchAll(
  sim: Awaited<ReturnType<typeof startSimulator>>,
  query: unknown,
  perPage: number,
) {
  const ids: string[] = [];
  const pages = [];
  let startingAfter: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const reply = await postJson(sim, "/conversations/search", {
      query,
      pagination: {
        per_page: perPage,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      },
      sort: { field: "updated_at", order: "ascending" },
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const list = ConversationListSchema.parse(reply.body);
    ids.push(...list.conversations.map((c) => c.id));
    pages.push(reply.body.pages);
    startingAfter = list.pages?.next?.starting_after ?? undefined;
    if (!startingAfter) break;
  }
  return { ids, pages };
}

for (const perPage of [7, 150]) {
  Deno.test(`POST /conversations/search pages at per_page ${perPage} with no duplicate or gap`, async () => {
    await withSimulator({ conversations: 200 }, async (sim) => {
      const since = NOW - 15 * 86_400;
      const { ids, pages } = await searchAll(sim, {
        field: "updated_at",
        operator: ">",
        value: since,
      }, perPage);
      const expected = sim.workspace.conversations
        .filter((c) => c.updated_at > since)
        .sort((a, b) => a.updated_at - b.updated_at || a.id.localeCompare(b.id))
        .map((c) => c.id);
      assert.deepEqual(ids, expected);
      assert.equal(pages.length, Math.ceil(expected.length / perPage));
      assert.equal(pages.at(-1).next, undefined);
      assert.ok(pages.slice(0, -1).every((p: { next?: unknown }) => p.next));
    });
  });
}

Deno.test("POST /conversations/search returns summaries without parts and zero-result pages", async () => {
  await withSimulator({}, async (sim) => {
    const hit = await postJson(sim, "/conversations/search", {
      query: { field: "id", operator: "=", value: sim.workspace.conversations[0]!.id },
    });
    assert.equal(hit.body.type, "conversation.list");
    assert.equal(hit.body.total_count, 1);
    assert.equal("conversation_parts" in hit.body.conversations[0], false);
    const none = await postJson(sim, "/conversations/search", {
      query: { field: "created_at", operator: ">", value: NOW + 1000 },
    });
    assert.deepEqual(none.body.conversations, []);
    assert.equal(none.body.total_count, 0);
    assert.deepEqual(none.body.pages, { type: "pages", page: 1, per_page: 20, total_pages: 0 });
  });
});

Deno.test("POST /conversations/search rejects bad per_page, cursors, sorts, bodies and queries", async () => {
  await withSimulator({}, async (sim) => {
    const query = { field: "open", operator: "=", value: true };
    const cases: [unknown, string, RegExp][] = [
      [{ query, pagination: { per_page: 151 } }, "per_page", /1 to 150/],
      [
        { query, pagination: { per_page: 20, starting_after: "garbage" } },
        "starting_after",
        /not a valid cursor/,
      ],
      [
        { query, sort: { field: "title", order: "ascending" } },
        "sort.field",
        /cannot sort by "title"/,
      ],
      [
        { query, sort: { field: "updated_at", order: "up" } },
        "sort.order",
        /ascending or descending/,
      ],
      [
        { query: { field: "created_at", operator: ">", value: "yesterday" } },
        "created_at",
        /Unix timestamp/,
      ],
    ];
    for (const [body, field, message] of cases) {
      const reply = await postJson(sim, "/conversations/search", body);
      assert.equal(reply.status, 400, field);
      assert.equal(reply.body.errors[0].code, "parameter_invalid");
      assert.equal(reply.body.errors[0].field, field);
      assert.match(reply.body.errors[0].message, message);
    }
    const missing = await postJson(sim, "/conversations/search", {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].code, "parameter_not_found");
    const res = await fetch(`${sim.url}/conversations/search`, {
      method: "POST",
      headers: AUTH,
      body: "{nope",
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).errors[0].code, "bad_request");
  });
});

Deno.test("GET /conversations lists every conversation through cursor pages", async () => {
  await withSimulator({}, async (sim) => {
    const ids: string[] = [];
    let path = "/conversations?per_page=15";
    for (let guard = 0; guard < 20; guard++) {
      const reply = await getJson(sim, path);
      ids.push(...ConversationListSchema.parse(reply.body).conversations.map((c) => c.id));
      const next = reply.body.pages.next?.starting_after;
      if (!next) break;
      path = `/conversations?per_page=15&starting_after=${encodeURIComponent(next)}`;
    }
    assert.equal(ids.length, sim.workspace.conversations.length);
    assert.equal(new Set(ids).size, ids.length);
  });
});

Deno.test("contacts: search matches dates by calendar day, defaults to 50 per page, lists and gets", async () => {
  await withSimulator({ conversations: 200 }, async (sim) => {
    const contact = sim.workspace.contacts[10]!;
    const noon = Math.floor(contact.created_at / 86_400) * 86_400 + 43_200;
    const sameDay = sim.workspace.contacts.filter((c) =>
      Math.floor(c.created_at / 86_400) === Math.floor(noon / 86_400)
    );
    const search = await postJson(sim, "/contacts/search", {
      query: { field: "created_at", operator: "=", value: noon },
    });
    assert.equal(search.status, 200);
    assert.equal(search.body.type, "list");
    assert.deepEqual(
      ContactListSchema.parse(search.body).data.map((c) => c.id).sort(),
      sameDay.map((c) => c.id).sort(),
    );
    const all = await postJson(sim, "/contacts/search", {
      query: { field: "role", operator: "IN", value: ["user", "lead"] },
    });
    assert.equal(all.body.data.length, 50);
    assert.equal(all.body.total_count, sim.workspace.contacts.length);
    const ids: string[] = [];
    let path = "/contacts?per_page=40";
    for (let guard = 0; guard < 20; guard++) {
      const reply = await getJson(sim, path);
      ids.push(...ContactListSchema.parse(reply.body).data.map((c) => c.id));
      const next = reply.body.pages.next?.starting_after;
      if (!next) break;
      path = `/contacts?per_page=40&starting_after=${encodeURIComponent(next)}`;
    }
    assert.deepEqual(ids.sort(), sim.workspace.contacts.map((c) => c.id).sort());
    const one = await getJson(sim, `/contacts/${contact.id}`);
    assert.equal(ContactSchema.parse(one.body).email, contact.email);
  });
});

Deno.test("startSimulator() applies latency within mean±jitter", async () => {
  await withSimulator({ latency: { meanMs: 40, jitterMs: 10 } }, async (sim) => {
    const started = performance.now();
    await getJson(sim, "/me");
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 29, `elapsed ${elapsed}`);
  });
});

Deno.test("startSimulator() calls onRequest and counts requests by route and status", async () => {
  await withSimulator({}, async (sim) => {
    const seen: string[] = [];
    sim.onRequest = ({ method, path, n }) => seen.push(`${n} ${method} ${path}`);
    await getJson(sim, "/me");
    await getJson(sim, "/conversations/1");
    assert.deepEqual(seen, ["1 GET /me", "2 GET /conversations/1"]);
    assert.equal(sim.stats.requests, 2);
    assert.deepEqual(sim.stats.byRoute, { "GET /me": 1, "GET /conversations/{id}": 1 });
    assert.deepEqual(sim.stats.byStatus, { "200": 1, "404": 1 });
  });
});

Deno.test("close() is idempotent and an aborted signal closes the simulator", async () => {
  const sim = await startSimulator({ conversations: 10, now: NOW });
  await Promise.all([sim.close(), sim.close()]);
  await sim.close();
  await assert.rejects(() => fetch(`${sim.url}/me`, { headers: AUTH }), TypeError);
  const controller = new AbortController();
  const other = await startSimulator({ conversations: 10, now: NOW, signal: controller.signal });
  controller.abort();
  await other.close();
  await assert.rejects(() => fetch(`${other.url}/me`, { headers: AUTH }), TypeError);
});

Deno.test("startSimulator() logs requests at debug level without the token", async () => {
  const records = await captureLogs(async () => {
    await withSimulator({}, async (sim) => {
      await getJson(sim, "/me");
    });
  }, { category: ["fast-intercom", "simulator"] });
  const lines = records.map((r) =>
    JSON.stringify({ message: r.message, properties: r.properties })
  );
  assert.ok(lines.some((l) => l.includes("GET") && l.includes("/me") && l.includes("200")));
  assert.ok(records.every((r) => r.level === "debug"));
  assert.ok(lines.every((l) => !l.includes(DEFAULT_SIMULATOR_TOKEN)));
});
