import assert from "node:assert/strict";
import { resolveSettings, type Settings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { ApiProbeCache, probeApi } from "../../lib/health/api_probe.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";

async function settingsFor(apiUrl: string, token: string | null): Promise<Settings> {
  const paths = resolvePaths({
    dataDir: "/nonexistent/fim",
    env: (name) => (name === "HOME" ? "/nonexistent/home" : undefined),
  });
  const env = (name: string) =>
    name === "INTERCOM_ACCESS_TOKEN"
      ? token ?? undefined
      : name === "FASTINTERCOM_API_URL"
      ? apiUrl
      : undefined;
  return await resolveSettings(paths, {}, { env, file: null });
}

function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}

Deno.test("probeApi() calls GET /me for real and reports workspace and latency", async () => {
  const sim = await startSimulator({ conversations: 1, latency: { meanMs: 15, jitterMs: 0 } });
  try {
    const probe = await probeApi(await settingsFor(sim.url, DEFAULT_SIMULATOR_TOKEN));
    assert.equal(probe.state, "connected");
    assert.deepEqual(probe.workspace, {
      id: sim.workspace.app.id_code,
      name: sim.workspace.app.name,
    });
    assert.ok(probe.latencyMs !== null && probe.latencyMs >= 10, `latency ${probe.latencyMs}`);
    assert.match(probe.detail, /token accepted for workspace ".+" \(.+\) in \d+ ms/);
    assert.equal(probe.status, 200);
  } finally {
    await sim.close();
  }
});

Deno.test("probeApi() classifies a rejected token, an unreachable API and no token", async () => {
  const sim = await startSimulator({ conversations: 1 });
  try {
    const rejected = await probeApi(await settingsFor(sim.url, "wrong-token-123456"));
    assert.equal(rejected.state, "token_rejected");
    assert.equal(rejected.status, 401);
    assert.ok(!rejected.detail.includes("wrong-token-123456"));
  } finally {
    await sim.close();
  }
  const unreachable = await probeApi(await settingsFor(closedPortUrl(), "some-token-1234"));
  assert.equal(unreachable.state, "unreachable");
  assert.equal(unreachable.latencyMs, null);
  assert.match(unreachable.detail, /^unreachable: Could not reach Intercom at 127\.0\.0\.1:\d+/);
  const none = await probeApi(await settingsFor("http://127.0.0.1:9", null));
  assert.equal(none.state, "not_configured");
  assert.match(none.detail, /no access token/);
});

Deno.test("probeApi() gives up after its short timeout", async () => {
  const sim = await startSimulator({ conversations: 1, faults: { slow: 1 }, slowMs: 2000 });
  try {
    const started = Date.now();
    const probe = await probeApi(await settingsFor(sim.url, DEFAULT_SIMULATOR_TOKEN), {
      timeoutMs: 50,
    });
    assert.equal(probe.state, "unreachable");
    assert.match(probe.detail, /no answer within 50 ms/);
    assert.ok(Date.now() - started < 1500, "one attempt, no retries");
  } finally {
    await sim.close();
  }
});

Deno.test("ApiProbeCache reuses a probe within its time to live", async () => {
  let now = 1_000_000;
  let calls = 0;
  const settings = await settingsFor("http://127.0.0.1:9", "tok-12345");
  const cache = new ApiProbeCache({
    ttlMs: 30_000,
    clock: () => now,
    probe: (s) => {
      calls++;
      return Promise.resolve({
        state: "connected",
        detail: "ok",
        latencyMs: 5,
        checkedAt: now,
        workspace: null,
        apiUrl: s.apiUrl,
        status: 200,
      });
    },
  });
  assert.equal((await cache.get(settings)).cached, false);
  now += 29_000;
  assert.equal((await cache.get(settings)).cached, true);
  now += 2_000;
  assert.equal((await cache.get(settings)).cached, false);
  assert.equal(calls, 2);
});
