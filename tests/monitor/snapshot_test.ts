import assert from "node:assert/strict";
import { join } from "node:path";
import { ApiProbeCache } from "../../lib/health/api_probe.ts";
import { collectMonitorSnapshot, processSnapshot } from "../../lib/monitor/snapshot.ts";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { hostName } from "../../lib/registry/process_info.ts";
import { STATUS_FILES } from "../../lib/registry/status_reader.ts";
import { StatusTracker } from "../../lib/registry/status_tracker.ts";
import { Store } from "../../lib/store/store.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { processRecord, settingsIn } from "../_fixtures/fs.ts";

function errorLine(msAgo: number, message: string): string {
  return JSON.stringify({
    timestamp: new Date(Date.now() - msAgo).toISOString(),
    level: "error",
    component: "sync",
    message,
    session_id: `s-${msAgo}`,
  }) + "\n";
}

Deno.test("collectMonitorSnapshot() reports what is measured when nothing exists yet", async () => {
  const root = await Deno.makeTempDir();
  try {
    const settings = await settingsIn(root, { apiUrl: "http://127.0.0.1:9", token: null });
    const snapshot = await collectMonitorSnapshot(settings, { api: new ApiProbeCache() });
    assert.equal(snapshot.connection.state, "not_configured");
    assert.equal(snapshot.database.available, false);
    assert.match(snapshot.database.error ?? "", /no store yet/);
    assert.equal(snapshot.last_sync, null);
    assert.deepEqual(snapshot.processes, []);
    assert.deepEqual(snapshot.errors, {
      window_seconds: 3600,
      warnings: 0,
      count: 0,
      by_category: {},
      newest: null,
    });
    const offline = await collectMonitorSnapshot(settings, { api: null });
    assert.equal(offline.connection.state, "not_checked");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("collectMonitorSnapshot() shows connection, data, last sync, processes and errors", async () => {
  const root = await Deno.makeTempDir();
  const sim = await startSimulator({ conversations: 12, seed: 5 });
  try {
    const settings = await settingsIn(root, { apiUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
    {
      using store = Store.open(settings.paths.storeFile);
      const client = new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
      await runSync({ store, client }, { mode: "all" });
    }
    const tracker = new StatusTracker({ dir: settings.paths.statusDir, heartbeatIntervalMs: 0 });
    const running = await tracker.start("sync", "Incremental sync", { sessionId: "sess-live" });
    running.update({
      current: 42,
      total: 100,
      percentage: 42,
      rate: 3.5,
      eta_seconds: 17,
      message: "page 3",
    });
    await running.heartbeat(); // writes the pending progress now
    // a sync that was killed: its record still says running, its pid is gone
    const gone = new Deno.Command("true").spawn();
    await gone.status;
    const activePath = join(settings.paths.statusDir, STATUS_FILES.active);
    const active = JSON.parse(await Deno.readTextFile(activePath));
    active["sync-killed"] = {
      ...active[running.id],
      process_id: "sync-killed",
      pid: gone.pid,
      pid_start_time: null,
      hostname: hostName(),
      start_time: "2020-01-01T00:00:00.000Z",
    };
    await Deno.writeTextFile(activePath, JSON.stringify(active));
    await Deno.mkdir(settings.paths.logDir, { recursive: true });
    await Deno.writeTextFile(
      join(settings.paths.logDir, "errors.log"),
      errorLine(7_200_000, "sync failed: old, outside the hour") +
        errorLine(
          600_000,
          "sync failed: Could not reach Intercom at h for GET /me (connection error: x)",
        ) +
        errorLine(60_000, "sync failed: token rejected by Intercom (401): bad"),
    );

    const cache = new ApiProbeCache();
    const snapshot = await collectMonitorSnapshot(settings, { api: cache });
    assert.equal(snapshot.connection.state, "connected");
    assert.equal(snapshot.connection.cached, false);
    assert.equal(snapshot.connection.workspace?.name, sim.workspace.app.name);
    assert.ok((snapshot.connection.latency_ms ?? -1) >= 0);
    assert.equal(snapshot.database.available, true);
    assert.equal(snapshot.database.conversations, 12);
    assert.ok(snapshot.database.parts > 0);
    assert.equal(snapshot.last_sync?.status, "completed");
    assert.equal(snapshot.last_sync?.conversations_fetched, 12);
    const [killed, live] = snapshot.processes;
    assert.equal(killed?.process_id, "sync-killed");
    assert.equal(killed?.alert, "crashed");
    assert.equal(live?.process_id, running.id);
    assert.equal(live?.alert, null);
    assert.deepEqual(
      [live?.current, live?.total, live?.percentage, live?.rate, live?.eta_seconds, live?.message],
      [42, 100, 42, 3.5, 17, "page 3"],
    );
    assert.equal(snapshot.errors.count, 2);
    assert.deepEqual(snapshot.errors.by_category, { network: 1, api: 1 });
    assert.equal(snapshot.errors.newest?.kind, "auth");
    const again = await collectMonitorSnapshot(settings, { api: cache });
    assert.equal(again.connection.cached, true, "the probe is reused between refreshes");
    await running.complete();
  } finally {
    await sim.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("processSnapshot() flags a live process whose progress stopped past the threshold", () => {
  const now = Date.parse("2026-07-01T15:40:00Z");
  const record = processRecord("sync-20260701-153000-aaaaaa", {
    pid: 1,
    hostname: "h",
    start_time: "2026-07-01T15:30:00.000Z",
    last_heartbeat: "2026-07-01T15:39:58.000Z",
    last_progress: "2026-07-01T15:37:00.000Z",
    progress: {
      current: 5,
      total: 10,
      percentage: 50,
      message: "batch 1/2",
      rate: null,
      eta_seconds: null,
    },
  });
  const stuck = processSnapshot(record, now, 60);
  assert.equal(stuck.progress_age_seconds, 180);
  assert.equal(stuck.heartbeat_age_seconds, 2);
  assert.equal(stuck.no_progress, true);
  assert.equal(processSnapshot(record, now, 300).no_progress, false);
  assert.equal(processSnapshot({ ...record, last_progress: null }, now, 60).no_progress, false);
});
