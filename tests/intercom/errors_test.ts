import assert from "node:assert/strict";
import { AppError } from "../../lib/errors.ts";
import {
  ApiError,
  AuthError,
  describeBody,
  describeHttpFailure,
  IntercomError,
  NetworkError,
  RateLimitError,
  redact,
  tokenRejectedMessage,
} from "../../lib/intercom/errors.ts";

Deno.test("IntercomError subclasses are AppErrors with exit code 1 and their facts", () => {
  const cause = new TypeError("boom");
  for (const Kind of [ApiError, RateLimitError, NetworkError]) {
    const error = new Kind("failed", { status: 503, requestId: "r-1", code: "x", cause });
    assert.ok(error instanceof IntercomError);
    assert.ok(error instanceof AppError);
    assert.equal(error.exitCode, 1);
    assert.equal(error.name, Kind.name);
    assert.equal(error.status, 503);
    assert.equal(error.requestId, "r-1");
    assert.equal(error.code, "x");
    assert.equal(error.cause, cause);
  }
});

Deno.test("IntercomError leaves absent facts unset", () => {
  const error = new NetworkError("down");
  assert.equal(error.status, undefined);
  assert.equal(error.requestId, null);
  assert.equal(error.code, undefined);
  assert.equal("cause" in error, false);
});

Deno.test("AuthError() says the token was rejected and how to fix it", () => {
  const error = new AuthError(undefined, { requestId: "abc" });
  assert.equal(
    error.message,
    "token rejected by Intercom (401): Access Token Invalid — check the token, or run " +
      "`fast-intercom-mcp init` with a valid one",
  );
  assert.equal(error.status, 401);
  assert.equal(error.code, "unauthorized");
  assert.equal(error.requestId, "abc");
  assert.equal(new AuthError("token rejected during sync").message, "token rejected during sync");
});

Deno.test("tokenRejectedMessage() quotes Intercom's words", () => {
  assert.equal(
    tokenRejectedMessage("Token revoked"),
    "token rejected by Intercom (401): Token revoked — check the token, or run " +
      "`fast-intercom-mcp init` with a valid one",
  );
});

Deno.test("describeHttpFailure() reads Intercom's error.list", () => {
  const body = JSON.stringify({
    type: "error.list",
    request_id: "req-9",
    errors: [
      { code: "parameter_invalid", message: "Invalid value", field: "query.value" },
      { code: "not_found" },
    ],
  });
  assert.deepEqual(describeHttpFailure(400, body), {
    detail: 'parameter_invalid: Invalid value: field "query.value"; not_found',
    requestId: "req-9",
    code: "parameter_invalid",
  });
});

Deno.test("describeHttpFailure() describes HTML, empty and other bodies", () => {
  assert.deepEqual(describeHttpFailure(502, "<html><body>Bad Gateway</body></html>"), {
    detail: "HTML body (probably from a gateway or proxy)",
    requestId: null,
  });
  assert.deepEqual(describeHttpFailure(500, ""), { detail: "empty body", requestId: null });
  assert.deepEqual(describeHttpFailure(503, "upstream\n  connect error"), {
    detail: 'HTTP 503: "upstream connect error"',
    requestId: null,
  });
  assert.deepEqual(describeHttpFailure(500, '{"type":"error.list","errors":[]}'), {
    detail: 'HTTP 500: "{"type":"error.list","errors":[]}"',
    requestId: null,
  });
});

Deno.test("describeBody() shortens long bodies to 80 characters", () => {
  const text = describeBody("x".repeat(200));
  assert.equal(text, `unexpected body: "${"x".repeat(80)}…"`);
});

Deno.test("redact() removes every occurrence of the secret", () => {
  assert.equal(redact("a tok-123 b tok-123", "tok-123"), "a [redacted] b [redacted]");
  assert.equal(redact("abc", ""), "abc");
});
