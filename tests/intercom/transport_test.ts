/** The paced, retrying exchange every client call goes through (`transport.ts`), via the client. */
import assert from "node:assert/strict";
import { captureLogs } from "../_fixtures/logs.ts";
import {
  ApiError,
  AuthError,
  IntercomError,
  NetworkError,
  RateLimitError,
} from "../../lib/intercom/errors.ts";
import { RateLimiter } from "../../lib/intercom/rate_limiter.ts";
import {
  client,
  conversation,
  errorList,
  FakeTime,
  type Handler,
  json,
  ME,
  settle,
  T0,
  TOKEN,
} from "./_fixtures.ts";

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
