import assert from "node:assert/strict";
import { join } from "node:path";
import type { ApiProbe } from "../../lib/health/api_probe.ts";
import {
  apiCheck,
  configCheck,
  diskCheck,
  processCheck,
  storeChecks,
  tokenCheck,
  writableCheck,
} from "../../lib/health/checks.ts";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { ownStartTime } from "../../lib/registry/process_info.ts";
import { STATUS_FILES } from "../../lib/registry/status_reader.ts";
import { Store } from "../../lib/store/store.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { ConfigError } from "../../lib/errors.ts";
import { processRecord, settingsIn } from "../_fixtures/fs.ts";

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

Deno.test("writableCheck() probes a directory, or the parent it would be created in", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.deepEqual(await writableCheck("log_dir", root), {
      name: "log_dir",
      status: "ok",
      detail: `${root} writable`,
    });
    const later = join(root, "not", "yet");
    assert.equal((await writableCheck("status_dir", later)).detail, `${later} can be created`);
    assert.deepEqual([...Deno.readDirSync(root)], [], "the probe file is removed, nothing created");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("storeChecks() reports no store, then a synced store and the age of its last sync", async () => {
  const root = await Deno.makeTempDir();
  const sim = await startSimulator({ conversations: 5, seed: 3 });
  try {
    const settings = await settingsIn(root);
    const now = Date.now();
    const none = storeChecks(settings.paths, { now, maxSyncAgeSeconds: 3600 });
    assert.deepEqual(none.map((c) => [c.name, c.status]), [["store", "warn"], [
      "last_sync",
      "warn",
    ]]);
    {
      using store = Store.open(settings.paths.storeFile);
      const client = new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
      await runSync({ store, client }, { mode: "all" });
    }
    const fresh = storeChecks(settings.paths, { now: Date.now(), maxSyncAgeSeconds: 3600 });
    assert.deepEqual(fresh.map((c) => [c.name, c.status]), [
      ["store", "ok"],
      ["integrity", "ok"],
      ["schema", "ok"],
      ["last_sync", "ok"],
    ]);
    assert.match(fresh[3]!.detail, /last completed sync \(run 1\) \d+s ago/);
    const stale = storeChecks(settings.paths, {
      now: Date.now() + 2 * 86_400_000,
      maxSyncAgeSeconds: 86_400,
    });
    assert.equal(stale[3]!.status, "warn");
    assert.match(stale[3]!.detail, /older than 1d00h: run `fast-intercom-mcp sync`/);
  } finally {
    await sim.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("processCheck() warns about crashed and stalled processes", async () => {
  const root = await Deno.makeTempDir();
  try {
    const settings = await settingsIn(root);
    assert.equal((await processCheck(settings)).detail, "0 running, none crashed or stalled");
    const gone = new Deno.Command("true").spawn();
    await gone.status;
    const record = async (id: string, pid: number, heartbeatAgoMs: number) =>
      processRecord(id, {
        pid,
        pid_start_time: pid === Deno.pid ? await ownStartTime() : null,
        last_heartbeat: new Date(Date.now() - heartbeatAgoMs).toISOString(),
      });
    await Deno.mkdir(settings.paths.statusDir, { recursive: true });
    await Deno.writeTextFile(
      join(settings.paths.statusDir, STATUS_FILES.active),
      JSON.stringify({
        "sync-dead": await record("sync-dead", gone.pid, 0),
        "sync-stuck": await record("sync-stuck", Deno.pid, 600_000),
        "sync-fine": await record("sync-fine", Deno.pid, 0),
      }),
    );
    const check = await processCheck(settings);
    assert.equal(check.status, "warn");
    assert.match(check.detail, /sync-dead crashed \(pid \d+ is gone\)/);
    assert.match(check.detail, /sync-stuck stalled \(no heartbeat for over 60s\)/);
    assert.doesNotMatch(check.detail, /sync-fine/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
