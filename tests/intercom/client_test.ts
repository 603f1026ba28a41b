import assert from "node:assert/strict";
import { captureLogs } from "../_fixtures/logs.ts";
import {
  type ClientOptions,
  DEFAULT_USER_AGENT,
  IntercomClient,
} from "../../lib/intercom/client.ts";
import {
  ApiError,
  AuthError,
  IntercomError,
  MalformedRecordError,
  NetworkError,
  RateLimitError,
} from "../../lib/intercom/errors.ts";
import { q } from "../../lib/intercom/query.ts";
import { RateLimiter } from "../../lib/intercom/rate_limiter.ts";
import { FakeTime, settle, T0 } from "./_fixtures.ts";

const TOKEN = "tok_live_0123456789abcdef";
const BASE = "https://api.example.test";

type Handler = (request: Request, n: number) => Response | Promise<Response>;

/** A fake fetch that records every request and answers with `handler`. */
function fakeFetch(handler: Handler) {
  const requests: Request[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return Promise.resolve(handler(request, requests.length));
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function errorList(status: number, code: string, message: string, headers = {}): Response {
  const body = { type: "error.list", request_id: "req-42", errors: [{ code, message }] };
  return json(body, status, headers);
}

const ME = {
  type: "admin",
  id: 991,
  email: "ops@example.com",
  name: "Ops",
  has_inbox_seat: true,
  app: { type: "app", id_code: "abc123", name: "Acme", created_at: 1_600_000_000, secure: true },
};

function conversation(id: string, extra: Record<string, unknown> = {}) {
  return {
    type: "conversation",
    id,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_100,
    state: "open",
    open: true,
    ...extra,
  };
}

function client(time: FakeTime, handler: Handler, options: Partial<ClientOptions> = {}) {
  const fake = fakeFetch(handler);
  const api = new IntercomClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch: fake.fetch,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...options,
  });
  return { api, requests: fake.requests };
}

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

Deno.test("IntercomClient rejects a conversation breaking the contract with a MalformedRecordError naming it", async () => {
  const time = new FakeTime();
  const { api, requests } = client(time, () => json(conversation("9", { state: 42 })));
  const error = await time.run(api.getConversation("9")).catch((e) => e);
  assert.ok(error instanceof MalformedRecordError && error instanceof ApiError);
  assert.match(
    error.message,
    /^Intercom API GET \/conversations\/9 returned conversation 9 in a shape that cannot be read: field "state": Expected string, received number/,
  );
  assert.equal(error.recordKind, "conversation");
  assert.equal(error.recordId, "9");
  assert.equal(error.endpoint, "GET /conversations/{id}");
  assert.equal(error.reason, 'field "state": Expected string, received number');
  assert.equal(requests.length, 1, "not retried");
  assert.equal(api.stats.errors, 1);
});

Deno.test("IntercomClient rejects a broken envelope with an ApiError naming the field", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () => json({ type: "conversation.list", conversations: "none", total_count: 0 }),
  );
  const error = await time.run(
    api.searchConversationsPage({ field: "open", operator: "=", value: true }),
  ).catch((e) => e);
  assert.ok(error instanceof ApiError && !(error instanceof MalformedRecordError));
  assert.match(
    error.message,
    /^Intercom API POST \/conversations\/search returned a body that does not match the expected shape: field "conversations": Expected array, received string/,
  );
  assert.equal(requests.length, 1, "not retried");
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

Deno.test("IntercomClient paces concurrent requests by the rate-limit headers, without 429s", async () => {
  const time = new FakeTime();
  const limit = 5;
  const perWindow = new Map<number, number>();
  let served429 = 0;
  const { api } = client(time, () => {
    const window = Math.floor(time.now / 10_000);
    const count = (perWindow.get(window) ?? 0) + 1;
    perWindow.set(window, count);
    const headers = {
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": String(Math.max(0, limit - count)),
      "X-RateLimit-Reset": String((window + 1) * 10),
    };
    if (count > limit) {
      served429++;
      return errorList(
        429,
        "rate_limit_exceeded",
        "Exceeded rate limit of 5 in 10_seconds",
        headers,
      );
    }
    return json(conversation("1"), 200, headers);
  });
  const all = Promise.all(Array.from({ length: 23 }, () => api.getConversation("1")));
  const results = await time.run(all);
  assert.equal(results.length, 23);
  assert.equal(served429, 0);
  assert.deepEqual([...perWindow.values()], [5, 5, 5, 5, 3], "full windows, never over the limit");
  assert.equal(api.stats.requests, 23);
  assert.equal(api.stats.rateLimited, 0);
  assert.equal(time.now, T0 + 40_100, "each new window starts 100 ms after its reset");
  assert.equal(api.stats.rateLimitWaitMs, 40_100);
});

Deno.test("IntercomClient waits until X-RateLimit-Reset after a 429, then succeeds", async () => {
  const time = new FakeTime();
  const resetSec = T0 / 1000 + 3;
  const { api, requests } = client(
    time,
    (_request, n) =>
      n === 1
        ? errorList(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds", {
          "X-RateLimit-Limit": "167",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(resetSec),
        })
        : json(ME),
  );
  const sentAt: number[] = [];
  const me = await time.run(api.me().finally(() => sentAt.push(time.now)));
  assert.equal(me.app?.id_code, "abc123");
  assert.equal(requests.length, 2);
  assert.equal(sentAt[0], resetSec * 1000 + 100);
  assert.deepEqual(
    { ...api.stats },
    {
      requests: 2,
      retries: 0,
      rateLimited: 1,
      rateLimitWaitMs: 3100,
      errors: 0,
      byEndpoint: { "GET /me": { "429": 1, "200": 1 } },
    },
  );
});

Deno.test("IntercomClient gives up after maxRateLimitWaits consecutive 429s", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () =>
      errorList(429, "rate_limit_exceeded", "Exceeded", {
        "X-RateLimit-Reset": String(time.now / 1000 + 2),
      }),
    { maxRateLimitWaits: 3, maxAttempts: 2 },
  );
  const error = await time.run(api.listTags()).catch((e) => e);
  assert.ok(error instanceof RateLimitError);
  assert.equal(error.status, 429);
  assert.equal(
    error.message,
    "Intercom kept rate-limiting GET /tags: 4 consecutive 429 responses — another app or " +
      "process may be using this workspace's rate limit; stop it, lower concurrency, or retry later",
  );
  assert.equal(requests.length, 4, "3 waits, then the 4th 429 gives up; 429s are not attempts");
  assert.equal(api.stats.rateLimited, 4);
  assert.equal(api.stats.errors, 1);
});

Deno.test("IntercomClient retries each transient failure kind, then succeeds", async () => {
  const failures: [string, () => Response | Promise<Response>][] = [
    ["500 JSON", () => errorList(500, "server_error", "Server Error")],
    [
      "502 HTML",
      () =>
        new Response("<html>Bad Gateway</html>", {
          status: 502,
          headers: { "content-type": "text/html" },
        }),
    ],
    ["504 empty", () => new Response("", { status: 504 })],
    ["200 empty", () => new Response("", { status: 200 })],
    ["200 truncated", () => new Response(JSON.stringify(ME).slice(0, 30), { status: 200 })],
    ["200 HTML", () => new Response("<!doctype html><p>maintenance</p>", { status: 200 })],
    [
      "reset",
      () => Promise.reject(new TypeError("error sending request: connection reset by peer")),
    ],
    ["body reset", () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.error(new TypeError("body stream broke"));
          },
        }),
      )],
  ];
  for (const [name, fail] of failures) {
    const time = new FakeTime();
    const { api, requests } = client(time, (_request, n) => (n === 1 ? fail() : json(ME)));
    const me = await time.run(api.me());
    assert.equal(me.id, "991", name);
    assert.equal(requests.length, 2, name);
    assert.deepEqual(time.sleeps, [125], `${name}: half of the 250 ms first ceiling`);
    assert.equal(api.stats.retries, 1, name);
  }
});

Deno.test("IntercomClient gives up after maxAttempts with an ApiError quoting request_id", async () => {
  const time = new FakeTime();
  const { api, requests } = client(time, () => errorList(503, "service_unavailable", "Try later"));
  const error = await time.run(api.getConversation("77")).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(
    error.message,
    'Intercom API GET /conversations/77 failed after 6 attempts (server error: HTTP 503 (request_id "req-42"): ' +
      "service_unavailable: Try later) — Intercom may be having trouble (see " +
      "https://www.intercomstatus.com); retry later",
  );
  assert.equal(error.status, 503);
  assert.equal(error.requestId, "req-42");
  assert.equal(requests.length, 6);
  assert.deepEqual(time.sleeps, [125, 250, 500, 1000, 2000], "exponential backoff, full jitter");
  assert.deepEqual({ ...api.stats }, {
    requests: 6,
    retries: 5,
    rateLimited: 0,
    rateLimitWaitMs: 0,
    errors: 1,
    byEndpoint: { "GET /conversations/{id}": { "503": 6 } },
  });
});

Deno.test("IntercomClient gives up on connection errors with a NetworkError naming the host", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () => Promise.reject(new TypeError("dns error: failed to lookup")),
    {
      maxAttempts: 3,
    },
  );
  const error = await time.run(api.me()).catch((e) => e);
  assert.ok(error instanceof NetworkError);
  assert.equal(
    error.message,
    "Could not reach Intercom at api.example.test for GET /me after 3 attempts (connection error: " +
      "dns error: failed to lookup) — check the network connection, any proxy or firewall, and " +
      "that the host resolves",
  );
  assert.ok(error.cause instanceof TypeError);
  assert.equal(requests.length, 3);
});

Deno.test("IntercomClient does not retry 400, 403 or 404", async () => {
  for (
    const [status, code] of [[400, "parameter_invalid"], [403, "forbidden"], [
      404,
      "not_found",
    ]] as const
  ) {
    const time = new FakeTime();
    const { api, requests } = client(time, () => errorList(status, code, "No"));
    const error = await time.run(api.getConversation("1")).catch((e) => e);
    assert.ok(error instanceof ApiError, String(status));
    assert.ok(
      error.message.startsWith(
        `Intercom API GET /conversations/1 failed: HTTP ${status} (request_id "req-42"): ${code}: No — `,
      ),
    );
    assert.equal(error.code, code);
    assert.equal(requests.length, 1);
    assert.deepEqual(time.sleeps, []);
  }
});

Deno.test("IntercomClient throws AuthError at once on 401", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () => errorList(401, "unauthorized", "Access Token Invalid"),
  );
  const error = await time.run(api.me()).catch((e) => e);
  assert.ok(error instanceof AuthError);
  assert.ok(error.message.startsWith("token rejected by Intercom (401)"));
  assert.equal(
    error.message,
    "token rejected by Intercom (401): Access Token Invalid — check the token, or run " +
      "`fast-intercom-mcp init` with a valid one",
  );
  assert.equal(requests.length, 1);
  assert.equal(api.stats.errors, 1);
});

Deno.test("IntercomClient retries a timed-out attempt, then throws NetworkError", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    (request) =>
      new Promise<Response>((_resolve, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason))
      ),
    { timeoutMs: 5, maxAttempts: 2 },
  );
  const error = await time.run(api.listTeams()).catch((e) => e);
  assert.ok(error instanceof NetworkError);
  assert.equal(
    error.message,
    "Could not reach Intercom at api.example.test for GET /teams after 2 attempts (timeout: no " +
      "answer within 5 ms) — check the network connection; Intercom may be slow right now, retry later",
  );
  assert.equal(requests.length, 2);
  assert.deepEqual(api.stats.byEndpoint, { "GET /teams": { timeout: 2 } });
});

Deno.test("IntercomClient stops at once when the caller aborts, with the abort reason", async () => {
  // During a request.
  const time = new FakeTime();
  const hang = (request: Request) =>
    new Promise<Response>((_r, reject) =>
      request.signal.addEventListener("abort", () => reject(request.signal.reason))
    );
  const inFlight = client(time, hang);
  const controller = new AbortController();
  const reason = new Error("user pressed Ctrl-C");
  const pending = inFlight.api.me(controller.signal);
  await settle();
  controller.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
  assert.equal(inFlight.api.stats.errors, 0);

  // During the backoff sleep between retries.
  const retrying = client(time, () => errorList(500, "server_error", "x"));
  const second = new AbortController();
  const pending2 = retrying.api.me(second.signal);
  await settle();
  assert.deepEqual(time.sleeps, [125]);
  second.abort(reason);
  await assert.rejects(pending2, (e) => e === reason);
  assert.equal(retrying.requests.length, 1);

  // Before starting.
  await assert.rejects(retrying.api.me(AbortSignal.abort(reason)), (e) => e === reason);
  assert.equal(retrying.requests.length, 1);
});

Deno.test("IntercomClient shares one limiter between clients", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  let count = 0;
  const handler = () =>
    json(ME, 200, {
      "X-RateLimit-Limit": "2",
      "X-RateLimit-Remaining": String(Math.max(0, 2 - ++count)),
      "X-RateLimit-Reset": String(T0 / 1000 + 10),
    });
  const a = client(time, handler, { limiter });
  const b = client(time, handler, { limiter });
  await time.run(a.api.me());
  await time.run(b.api.me());
  const third = b.api.me();
  await settle();
  assert.equal(limiter.state.available, 0);
  assert.equal(a.requests.length + b.requests.length, 2, "the third waits for the next window");
  await time.run(third);
  assert.equal(time.now, T0 + 10_100);
});

Deno.test("IntercomClient never puts the token in errors or logs", async () => {
  const records = await captureLogs(async () => {
    const echo = `bad token ${TOKEN} (Authorization: Bearer ${TOKEN})`;
    const responses: Handler[] = [
      () => errorList(401, "unauthorized", echo),
      () => errorList(400, "bad_request", echo),
      () => errorList(500, "server_error", echo),
      () => new Response(`<html>${echo}</html>`, { status: 502 }),
      () => Promise.reject(new TypeError(echo)),
      () => json({ type: "admin", id: 1, app: { id_code: TOKEN } }),
    ];
    for (const handler of responses) {
      const time = new FakeTime();
      const { api } = client(time, handler, { maxAttempts: 2 });
      const error = await time.run(api.me()).catch((e) => e);
      assert.ok(error instanceof IntercomError);
      assert.ok(!String(error).includes(TOKEN), error.message);
      assert.ok(!(error.stack ?? "").includes(TOKEN));
    }
  });
  assert.ok(records.some((r) => r.level === "debug"), "requests are logged at debug");
  assert.ok(records.some((r) => r.level === "warning"), "retries are logged as warnings");
  const logged = JSON.stringify(records.map((r) => [r.message, r.properties]));
  assert.ok(!logged.includes(TOKEN));
  assert.ok(logged.includes("[redacted]"), "the echoed token was logged redacted");
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
