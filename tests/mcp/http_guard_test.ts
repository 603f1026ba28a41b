import assert from "node:assert/strict";
import {
  bearerMatches,
  constantTimeEqual,
  hostAllowed,
  hostNameOf,
  isLoopbackHost,
  normaliseOrigin,
  originAllowed,
} from "../../lib/mcp/http_guard.ts";

Deno.test("isLoopbackHost() accepts only addresses of this machine", () => {
  for (
    const h of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "a.localhost"]
  ) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (
    const h of ["0.0.0.0", "::", "192.168.1.2", "10.0.0.1", "example.com", "127.0.0.1.evil.com"]
  ) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});

Deno.test("hostNameOf() strips ports and IPv6 brackets", () => {
  const cases: [string, string][] = [
    ["127.0.0.1:8000", "127.0.0.1"],
    ["localhost", "localhost"],
    ["[::1]:8080", "::1"],
    ["example.com:443", "example.com"],
  ];
  for (const [header, name] of cases) assert.equal(hostNameOf(header), name, header);
});

Deno.test("bearerMatches() needs the Bearer scheme and the exact key", () => {
  assert.equal(bearerMatches("Bearer s3cret-key", "s3cret-key"), true);
  assert.equal(bearerMatches("bearer   s3cret-key ", "s3cret-key"), true);
  assert.equal(bearerMatches("Bearer s3cret-keyX", "s3cret-key"), false);
  assert.equal(bearerMatches("Bearer s3cret", "s3cret-key"), false);
  assert.equal(bearerMatches("Basic s3cret-key", "s3cret-key"), false);
  assert.equal(bearerMatches("s3cret-key", "s3cret-key"), false);
  assert.equal(bearerMatches(null, "s3cret-key"), false);
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("", "x"), false);
});

Deno.test("originAllowed() allows no origin, this machine's pages and listed origins", () => {
  const allowed = ["https://app.example.com"];
  const cases: [string | null, boolean][] = [
    [null, true],
    ["http://localhost:6274", true],
    ["http://127.0.0.1:3000", true],
    ["http://[::1]:3000", true],
    ["https://APP.example.com", true],
    ["https://app.example.com:8443", false],
    ["https://evil.example", false],
    ["http://localhost.evil.example", false],
    ["null", false],
    ["file://", false],
  ];
  for (const [origin, ok] of cases) {
    assert.equal(originAllowed(origin, allowed), ok, String(origin));
  }
  assert.equal(normaliseOrigin("HTTP://Example.com:80/path"), "http://example.com");
});

Deno.test("hostAllowed() checks Host only for a loopback-bound server", () => {
  assert.equal(hostAllowed("127.0.0.1:8000", true), true);
  assert.equal(hostAllowed("localhost:8000", true), true);
  assert.equal(hostAllowed("rebind.evil.example:8000", true), false);
  assert.equal(hostAllowed(null, true), false);
  assert.equal(hostAllowed("mcp.internal:8000", false), true);
});
