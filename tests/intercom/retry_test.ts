import assert from "node:assert/strict";
import { ApiError, AuthError, NetworkError } from "../../lib/intercom/errors.ts";
import {
  type AttemptOutcome,
  backoffDelay,
  classifyResponse,
  giveUpError,
  isRetryableStatus,
} from "../../lib/intercom/retry.ts";

const json = (value: unknown) => JSON.stringify(value);
const errorList = (code: string, message: string) =>
  json({ type: "error.list", request_id: "req-1", errors: [{ code, message }] });
const response = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
});
const endpoint = "GET /me";

Deno.test("backoffDelay() grows by the factor up to the cap, with full jitter", () => {
  const top = () => 0.999_999;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 8, 20].map((n) => backoffDelay(n, { random: top })),
    [250, 500, 1000, 2000, 4000, 30_000, 30_000],
  );
  assert.equal(backoffDelay(3, { random: () => 0 }), 0);
  assert.equal(backoffDelay(3, { random: () => 0.5 }), 500);
  assert.equal(backoffDelay(2, { baseMs: 100, factor: 3, capMs: 250, random: top }), 250);
});

Deno.test("backoffDelay() stays within [0, ceiling] with the real random source", () => {
  for (let i = 0; i < 200; i++) {
    const ms = backoffDelay(4);
    assert.ok(ms >= 0 && ms <= 2000, String(ms));
  }
});

Deno.test("isRetryableStatus() retries 5xx and 408 only", () => {
  const retried = [500, 502, 503, 504, 408].filter(isRetryableStatus);
  assert.deepEqual(retried, [500, 502, 503, 504, 408]);
  assert.deepEqual([200, 400, 401, 403, 404, 409, 422, 429].filter(isRetryableStatus), []);
});

Deno.test("classifyResponse() returns parsed JSON for a 2xx", () => {
  assert.deepEqual(classifyResponse(response(200), '{"a":1}', { endpoint }), {
    kind: "ok",
    json: { a: 1 },
  });
});

Deno.test("classifyResponse() retries empty, HTML and truncated 2xx bodies", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["", {}, "empty body"],
    ["  \n", {}, "empty body"],
    ["<html>oops</html>", {}, "HTML body"],
    ["{}", { "content-type": "text/html" }, "HTML body"],
    ['{"type":"conversation.list","conv', {}, "invalid JSON"],
  ];
  for (const [body, headers, reason] of cases) {
    const outcome = classifyResponse(response(200, headers), body, { endpoint });
    assert.equal(outcome.kind, "retry", body);
    assert.equal(outcome.kind === "retry" && outcome.reason, reason, body);
  }
});

Deno.test("classifyResponse() retries 5xx with Intercom's request_id in the detail", () => {
  const outcome = classifyResponse(response(503), errorList("service_unavailable", "Down"), {
    endpoint,
  });
  assert.deepEqual(outcome, {
    kind: "retry",
    reason: "server error",
    detail: 'HTTP 503 (request_id "req-1"): service_unavailable: Down',
    facts: { status: 503, requestId: "req-1", code: "service_unavailable" },
  });
});

Deno.test("classifyResponse() makes 401 an AuthError with Intercom's message", () => {
  const outcome = classifyResponse(
    response(401),
    errorList("unauthorized", "Access Token Invalid"),
    {
      endpoint,
    },
  );
  assert.equal(outcome.kind, "fatal");
  const error = outcome.kind === "fatal" ? outcome.error : null;
  assert.ok(error instanceof AuthError);
  assert.ok(error.message.startsWith("token rejected by Intercom (401): Access Token Invalid — "));
  assert.equal(error.requestId, "req-1");
  const bare = classifyResponse(response(401), "", { endpoint });
  assert.ok(bare.kind === "fatal" && bare.error.message.includes("(401): Access Token Invalid"));
});

Deno.test("classifyResponse() makes other 4xx a fatal ApiError with a hint", () => {
  const outcome = classifyResponse(response(403), errorList("api_plan_restricted", "Nope"), {
    endpoint: "GET /tags",
  });
  assert.ok(outcome.kind === "fatal" && outcome.error instanceof ApiError);
  assert.equal(
    outcome.error.message,
    'Intercom API GET /tags failed: HTTP 403 (request_id "req-1"): api_plan_restricted: Nope — ' +
      "the token lacks a permission or the workspace's plan restricts this API; check the " +
      "app's scopes in Intercom's Developer Hub",
  );
  assert.equal(outcome.error.code, "api_plan_restricted");
});

Deno.test("classifyResponse() answers 429 and allowed 404 without an error", () => {
  assert.deepEqual(classifyResponse(response(429), "", { endpoint }), { kind: "rate_limited" });
  const notFound = errorList("not_found", "Contact Not Found");
  assert.deepEqual(classifyResponse(response(404), notFound, { endpoint, notFoundAsNull: true }), {
    kind: "not_found",
  });
  assert.equal(classifyResponse(response(404), notFound, { endpoint }).kind, "fatal");
});

Deno.test("classifyResponse() removes the secret from messages", () => {
  const body = errorList("bad_request", "token sekrit-42 is odd");
  const outcome = classifyResponse(response(400), body, { endpoint, secret: "sekrit-42" });
  assert.ok(outcome.kind === "fatal");
  assert.ok(!outcome.error.message.includes("sekrit-42"));
  assert.ok(outcome.error.message.includes("token [redacted] is odd"));
});

Deno.test("giveUpError() names the host, endpoint, attempts and what to check", () => {
  const cause = new TypeError("connection reset");
  const network: AttemptOutcome = {
    kind: "retry",
    reason: "connection error",
    detail: "connection reset",
    facts: { cause },
  };
  const error = giveUpError(network, { endpoint, host: "api.intercom.io", attempts: 6 });
  assert.ok(error instanceof NetworkError);
  assert.equal(error.cause, cause);
  assert.equal(
    error.message,
    "Could not reach Intercom at api.intercom.io for GET /me after 6 attempts (connection " +
      "error: connection reset) — check the network connection, any proxy or firewall, and " +
      "that the host resolves",
  );
  const server = classifyResponse(response(502), "<html>Bad Gateway</html>", { endpoint });
  assert.ok(server.kind === "retry");
  const api = giveUpError(server, { endpoint, host: "api.intercom.io", attempts: 3 });
  assert.ok(api instanceof ApiError);
  assert.equal(api.status, 502);
  assert.ok(api.message.startsWith("Intercom API GET /me failed after 3 attempts (server error:"));
});
