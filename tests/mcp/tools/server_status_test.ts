import assert from "node:assert/strict";
import { readStoreStatus } from "../../../lib/app/store_status.ts";
import type { McpAppOptions } from "../../../lib/mcp/app.ts";
import type { ProcessRecord } from "../../../lib/registry/status_reader.ts";
import { mutateStatus } from "../../../lib/registry/status_writer.ts";
import { Store } from "../../../lib/store/store.ts";
import { acquireSyncLock } from "../../../lib/sync/sync_lock.ts";
import { processRecord } from "../../_fixtures/fs.ts";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("get_server_status reports counts, coverage, last sync and freshness from the store", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 19 });
  const nowMs = Date.now() + 10 * 60_000; // ten minutes after the sync
  await using c = await memoryClient(fx, {
    clock: () => nowMs,
    maxSyncAgeMinutes: 5,
    runner: null,
  });
  const r = await c.call("get_server_status");
  const s = dataOf(r);
  const stats = fx.store.stats();
  assert.equal(s.store.conversations, stats.conversations);
  assert.equal(s.store.parts, stats.parts);
  assert.equal(s.store.contacts, stats.contacts);
  assert.equal(s.store.path, fx.settings.paths.storeFile);
  assert.equal(s.last_sync.status, "completed");
  assert.equal(s.last_sync.mode, "all");
  assert.equal(s.coverage.synced_spans.length, 1);
  assert.equal(s.coverage.synced_spans[0].start, "1970-01-01T00:00:00Z");
  assert.ok(s.freshness.data_age_seconds >= 600);
  assert.equal(s.freshness.stale, true, "older than max_sync_age_minutes");
  assert.equal(s.background_sync.enabled, false);
  assert.deepEqual(s.running_processes, []);
  assert.equal(s.server.workspace_id, fx.sim.workspace.app.id_code);
  assert.match(textOf(r), /30 conversations/);
  assert.match(textOf(r), /Background sync: off/);
  const extra = await c.call("get_server_status", { verbose: true });
  assert.equal(extra.isError, true);
});

Deno.test("get_server_status shows the store path and pid to local clients only", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 19 });
  await using remote = await memoryClient(fx, { transport: "http", revealLocalDetails: false });
  const hidden = await remote.call("get_server_status");
  const s = dataOf(hidden);
  assert.equal(s.store.path, null);
  assert.equal(s.server.pid, null);
  assert.equal(s.store.conversations, 3);
  assert.ok(!textOf(hidden).includes(fx.settings.paths.dataDir), textOf(hidden));
  assert.ok(!JSON.stringify(s).includes(fx.settings.paths.dataDir));
  await using local = await memoryClient(fx, { transport: "http", revealLocalDetails: true });
  const shown = dataOf(await local.call("get_server_status"));
  assert.equal(shown.store.path, fx.settings.paths.storeFile);
  assert.equal(shown.server.pid, Deno.pid);
});

/** Adds `record` to the status directory's running processes. */
async function addRecord(statusDir: string, record: ProcessRecord): Promise<void> {
  await mutateStatus(statusDir, (state) => {
    state.active[record.process_id] = record;
  });
}

Deno.test("get_server_status reports the sync's state as status, monitor and health decide it", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 19 });
  const { paths } = fx.settings;
  const stateOf = async (options: Partial<McpAppOptions> = {}) => {
    // a new server each time: the status directory is read once a second at most
    await using c = await memoryClient(fx, { runner: null, ...options });
    const r = await c.call("get_server_status");
    return { s: dataOf(r), text: textOf(r) };
  };
  const agreed = async () => (await readStoreStatus(paths)).sync;

  // after a completed sync
  const done = await stateOf();
  assert.equal(done.s.sync_state.state, "completed");
  assert.equal(done.s.sync_state.detail, (await agreed()).detail);

  // killed: its run left `running`, its pid gone, nobody holds the lock
  const writer = Store.open(paths.storeFile);
  const runId = writer.startRun({
    mode: "incremental",
    windowStart: 0,
    windowEnd: null,
    startedAt: Math.floor(Date.now() / 1000),
    processId: "sync-killed",
  });
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  await addRecord(
    paths.statusDir,
    processRecord("sync-killed", { pid: gone.pid, metadata: { data_dir: paths.dataDir } }),
  );
  const crashed = await stateOf();
  assert.deepEqual(
    {
      state: crashed.s.sync_state.state,
      pid: crashed.s.sync_state.pid,
      run_id: crashed.s.sync_state.run_id,
      process_id: crashed.s.sync_state.process_id,
    },
    { state: "crashed", pid: gone.pid, run_id: runId, process_id: "sync-killed" },
  );
  const verdict = await agreed();
  assert.equal(verdict.state, "crashed");
  assert.equal(crashed.s.sync_state.detail, verdict.detail);
  assert.equal(crashed.s.last_sync.status, "crashed", "the dead run is not shown as running");
  assert.match(
    crashed.text,
    new RegExp(`Sync state: crashed — sync sync-killed, pid ${gone.pid}, run ${runId} ended`),
  );
  // a client on a network sees the verdict without this machine's pids
  const remote = await stateOf({ transport: "http", revealLocalDetails: false });
  assert.equal(remote.s.sync_state.state, "crashed");
  assert.equal(remote.s.sync_state.pid, null);
  assert.doesNotMatch(remote.s.sync_state.detail, /pid/);
  assert.doesNotMatch(remote.s.sync_state.unresolved_crash, /pid/);

  // a live sync holding the lock whose heartbeat stopped 10 minutes ago: stalled
  const lock = await acquireSyncLock(paths.syncLockFile, { processId: "sync-silent" });
  try {
    const stale = new Date(Date.now() - 600_000).toISOString();
    await addRecord(
      paths.statusDir,
      processRecord("sync-silent", {
        start_time: stale,
        last_heartbeat: stale,
        metadata: { data_dir: paths.dataDir },
      }),
    );
    const stalled = await stateOf();
    assert.equal(stalled.s.sync_state.state, "stalled");
    assert.equal(stalled.s.sync_state.detail, (await agreed()).detail);
    assert.match(stalled.text, /Sync state: stalled — sync sync-silent \(pid \d+\) is stalled/);

    // the same sync beating again: running, the earlier crash still unresolved
    await addRecord(
      paths.statusDir,
      processRecord("sync-silent", {
        metadata: { data_dir: paths.dataDir },
        progress: {
          current: 2,
          total: 3,
          percentage: 66.7,
          message: null,
          rate: 1,
          eta_seconds: 1,
          phase: "waiting for rate limit, resets in 7s",
        },
      }),
    );
    const running = await stateOf();
    assert.equal(running.s.sync_state.state, "running");
    assert.equal(running.s.sync_state.detail, (await agreed()).detail);
    assert.match(running.s.sync_state.unresolved_crash, /^sync sync-killed/);
    const live = running.s.running_processes.find(
      (p: { process_id: string }) => p.process_id === "sync-silent",
    );
    assert.equal(live.progress.phase, "waiting for rate limit, resets in 7s");
    assert.match(running.text, /Running: sync-silent .*, waiting for rate limit, resets in 7s/);
  } finally {
    lock.release();
  }

  // interrupted by the user, its record gone: interrupted
  await mutateStatus(paths.statusDir, (state) => {
    delete state.active["sync-killed"];
    delete state.active["sync-silent"];
  });
  writer.finishRun(runId, {
    status: "interrupted",
    finishedAt: Math.floor(Date.now() / 1000),
    error: "interrupted by the user",
  });
  writer.close();
  const interrupted = await stateOf();
  assert.equal(interrupted.s.sync_state.state, "interrupted");
  assert.equal(interrupted.s.sync_state.detail, (await agreed()).detail);
  assert.match(interrupted.text, new RegExp(`Sync state: interrupted — run ${runId} was`));
});
