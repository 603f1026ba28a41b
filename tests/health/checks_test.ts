import assert from "node:assert/strict";
import type { ApiProbe } from "../../lib/health/api_probe.ts";
import { apiCheck, configCheck, diskCheck, tokenCheck } from "../../lib/health/checks.ts";
import { ConfigError } from "../../lib/errors.ts";
import { settingsIn } from "../_fixtures/fs.ts";

const probe = (over: Partial<ApiProbe>): ApiProbe => ({
  state: "connected",
  detail: 'token accepted for workspace "Acme" (abc) in 12 ms',
  latencyMs: 12,
  checkedAt: 0,
  workspace: { id: "abc", name: "Acme" },
  apiUrl: "http://api.test",
  status: 200,
  ...over,
});

Deno.test("apiCheck() maps probe states to ok, warn and fail", () => {
  assert.deepEqual(apiCheck(probe({})), {
    name: "api",
    status: "ok",
    detail: 'http://api.test reachable, token accepted for workspace "Acme" (abc) in 12 ms',
    latency_ms: 12,
  });
  assert.equal(apiCheck(probe({ state: "not_configured", latencyMs: null })).status, "warn");
  assert.equal(apiCheck(probe({ state: "rate_limited" })).status, "warn");
  const rejected = apiCheck(probe({ state: "token_rejected", status: 401 }));
  assert.equal(rejected.status, "fail");
  assert.match(
    rejected.detail,
    /token rejected by http:\/\/api\.test \(401\): run `fast-intercom-mcp init`/,
  );
  const down = apiCheck(
    probe({ state: "unreachable", detail: "unreachable: refused", latencyMs: null }),
  );
  assert.deepEqual(down, {
    name: "api",
    status: "fail",
    detail: "http://api.test unreachable: refused",
  });
  assert.equal(apiCheck(probe({ state: "error", detail: "HTTP 403" })).status, "fail");
});

Deno.test("diskCheck() fails under 100 MB, warns under 1 GB and when unknown", () => {
  const space = (mb: number) => ({ freeBytes: mb * 1e6, totalBytes: 1e12, path: "/d" });
  assert.equal(diskCheck(space(50)).status, "fail");
  assert.equal(diskCheck(space(500)).status, "warn");
  assert.deepEqual(diskCheck(space(2500)), {
    name: "disk",
    status: "ok",
    detail: "2.5 GB free on the file system of /d",
  });
  assert.deepEqual(diskCheck(null), {
    name: "disk",
    status: "warn",
    detail: "free disk space unknown (df unavailable)",
  });
});

Deno.test("configCheck() and tokenCheck() warn when not configured, fail on a bad config", async () => {
  const root = await Deno.makeTempDir();
  try {
    const settings = await settingsIn(root);
    assert.equal(configCheck(settings.paths, settings, null).status, "warn");
    assert.match(tokenCheck(settings).detail, /no access token \(not configured\)/);
    const bad = configCheck(settings.paths, null, new ConfigError("config file x: bad key"));
    assert.deepEqual(bad, { name: "config", status: "fail", detail: "config file x: bad key" });
    const withToken = await settingsIn(root, { token: "tok-123456" });
    assert.deepEqual(tokenCheck(withToken), {
      name: "token",
      status: "ok",
      detail: "access token present (from INTERCOM_ACCESS_TOKEN)",
    });
    assert.ok(!JSON.stringify(tokenCheck(withToken)).includes("tok-123456"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
