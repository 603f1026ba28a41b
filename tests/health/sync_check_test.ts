import assert from "node:assert/strict";
import { join } from "node:path";
import type { Paths } from "../../lib/config/paths.ts";
import { syncCheck } from "../../lib/health/sync_check.ts";
import type { ProcessMap, ProcessRecord } from "../../lib/registry/status_reader.ts";
import type { SyncRun } from "../../lib/sync/run_record.ts";
import { acquireSyncLock } from "../../lib/sync/sync_lock.ts";
import { deadPid, processRecord, settingsIn, withTempDir } from "../_fixtures/fs.ts";
import { syncRun } from "../_fixtures/sync_runs.ts";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const options = { now: NOW, stallAfterSeconds: 60 };

function run(id: number, status: SyncRun["status"], over: Partial<SyncRun> = {}): SyncRun {
  return syncRun(id, status, {
    error: status === "interrupted" ? "interrupted by the user" : null,
    ...over,
  });
}

/** Paths under a temp dir, with `records` as the status directory's running processes. */
async function pathsWith(root: string, records: ProcessRecord[]): Promise<Paths> {
  const { paths } = await settingsIn(root);
  await Deno.mkdir(paths.dataDir, { recursive: true });
  await Deno.mkdir(paths.statusDir, { recursive: true });
  const map: ProcessMap = Object.fromEntries(records.map((r) => [r.process_id, r]));
  await Deno.writeTextFile(join(paths.statusDir, "active_processes.json"), JSON.stringify(map));
  return paths;
}

/** A running sync record of this data directory, alive (this process's pid). */
function syncRecord(paths: Paths, id: string, over: Partial<ProcessRecord> = {}) {
  return processRecord(id, {
    start_time: "2026-07-01T11:00:00.000Z",
    last_heartbeat: new Date(NOW - 2_000).toISOString(),
    metadata: { data_dir: paths.dataDir },
    ...over,
  });
}

Deno.test("syncCheck() fails a sync stalled now (alive, no heartbeat past the threshold)", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const { paths: base } = await settingsIn(root);
    const record = syncRecord(base, "sync-2", {
      last_heartbeat: new Date(NOW - 5 * 60_000).toISOString(),
    });
    const paths = await pathsWith(root, [record]);
    const runs = [run(2, "running"), run(1, "completed")];
    // a stopped (SIGSTOP) or hung sync still holds the lock: no crash, only the missing heartbeat
    using _lock = await acquireSyncLock(paths.syncLockFile, { processId: "sync-2" });
    const check = await syncCheck(paths, { runs, lastCompleted: runs[1]! }, options);
    assert.equal(check.status, "fail", check.detail);
    assert.equal(
      check.detail,
      `sync sync-2 (pid ${Deno.pid}) is stalled: no heartbeat for 5m00s; is it stopped ` +
        "(SIGSTOP) or hung? `fast-intercom-mcp monitor status` shows it",
    );
  });
});

Deno.test("syncCheck() fails a crash that no completed sync followed", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const { paths: base } = await settingsIn(root);
    // the process recorded as running is gone
    const record = syncRecord(base, "sync-2", { pid: await deadPid() });
    const paths = await pathsWith(root, [record]);
    const runs = [run(2, "running"), run(1, "completed")];
    const check = await syncCheck(paths, { runs, lastCompleted: runs[1]! }, options);
    assert.equal(check.status, "fail", check.detail);
    assert.match(check.detail, /run 2 ended without finishing \(killed or crashed\)/);
    // a run left `running` with nobody alive is a crash even without a status record
    const bare = await pathsWith(join(root, "bare"), []);
    const alone = await syncCheck(bare, { runs, lastCompleted: runs[1]! }, options);
    assert.equal(alone.status, "fail", alone.detail);
    assert.match(alone.detail, /no sync has completed since/);
  });
});

Deno.test("syncCheck() passes once a sync completed after the crash", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const paths = await pathsWith(root, []);
    const runs = [run(3, "completed"), run(2, "crashed"), run(1, "completed")];
    const check = await syncCheck(paths, { runs, lastCompleted: runs[0]! }, options);
    assert.deepEqual(check, { name: "sync", status: "ok", detail: "run 3 completed" });
  });
});

Deno.test("syncCheck() warns about an interrupted or a failed last run", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const paths = await pathsWith(root, []);
    const interrupted = [run(2, "interrupted"), run(1, "completed")];
    const warned = await syncCheck(
      paths,
      { runs: interrupted, lastCompleted: interrupted[1]! },
      options,
    );
    assert.equal(warned.status, "warn", warned.detail);
    assert.match(warned.detail, /run 2 was interrupted .*resumes it/);
    const failed = [run(2, "failed", { error: "HTTP 500" }), run(1, "completed")];
    const check = await syncCheck(paths, { runs: failed, lastCompleted: failed[1]! }, options);
    assert.equal(check.status, "warn", check.detail);
    assert.match(check.detail, /run 2 failed: HTTP 500/);
  });
});

Deno.test("syncCheck() passes a running sync with a fresh heartbeat, and a fresh install", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const { paths: base } = await settingsIn(root);
    const paths = await pathsWith(root, [syncRecord(base, "sync-2")]);
    const runs = [run(2, "running"), run(1, "completed")];
    // a running sync holds the sync lock (without it, a `running` run is a crashed one)
    using _lock = await acquireSyncLock(paths.syncLockFile, { processId: "sync-2" });
    const check = await syncCheck(paths, { runs, lastCompleted: runs[1]! }, options);
    assert.equal(check.status, "ok", check.detail);
    assert.match(check.detail, new RegExp(`^a sync is running \\(sync-2, pid ${Deno.pid}\\)$`));
    const fresh = await pathsWith(join(root, "fresh"), []);
    assert.deepEqual(await syncCheck(fresh, { runs: [], lastCompleted: null }, options), {
      name: "sync",
      status: "ok",
      detail: "no sync has run yet",
    });
  });
});

Deno.test("syncCheck() names the status directory that is a file, and the fix", async () => {
  await withTempDir("fim-sync-check-", async (root) => {
    const { paths } = await settingsIn(root);
    await Deno.mkdir(paths.dataDir, { recursive: true });
    await Deno.writeTextFile(paths.statusDir, "not a directory\n");
    const check = await syncCheck(paths, { runs: [], lastCompleted: null }, options);
    assert.equal(check.status, "fail");
    assert.equal(
      check.detail,
      `cannot tell the state of the sync: the status directory ${paths.statusDir} is a file, ` +
        "or a part of its path is: move that file away, or choose another directory " +
        "(FASTINTERCOM_STATUS_DIR)",
    );
  });
});
