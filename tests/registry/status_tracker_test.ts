import assert from "node:assert/strict";
import { join } from "node:path";
import { hostName, ownStartTime } from "../../lib/registry/process_info.ts";
import { ProgressBroadcaster } from "../../lib/progress/progress.ts";
import { readStatus, STATUS_FILES } from "../../lib/registry/status_reader.ts";
import { mutateStatus } from "../../lib/registry/status_writer.ts";
import { StatusTracker, statusTrackerSink } from "../../lib/registry/status_tracker.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);
const TRACKER_URL = new URL("../../lib/registry/status_tracker.ts", import.meta.url).href;
const PROJECT_DIR = new URL("../../", import.meta.url).pathname;

function fakeTracker(dir: string, options: { retentionDays?: number } = {}) {
  let now = T0;
  const tracker = new StatusTracker({ dir, clock: () => now, heartbeatIntervalMs: 0, ...options });
  return { tracker, advance: (ms: number) => (now += ms) };
}

const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(path));

/** Runs TypeScript `code` in a child Deno process with all permissions. */
function spawnChild(code: string, env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", "--ext=ts", code],
    cwd: PROJECT_DIR,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("StatusTracker.start() records a running process with pid and start time", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "Syncing 7 days", {
      metadata: { days: 7 },
      logFiles: ["/logs/sync.log"],
      sessionId: "sess-test",
    });
    assert.match(tracked.id, /^sync-20260701-153022-[0-9a-f]{6}$/);
    const active = await readJson(join(dir, STATUS_FILES.active));
    assert.deepEqual(active[tracked.id], {
      process_id: tracked.id,
      process_type: "sync",
      status: "running",
      pid: Deno.pid,
      pid_start_time: await ownStartTime(),
      hostname: hostName(),
      start_time: "2026-07-01T15:30:22.000Z",
      end_time: null,
      last_heartbeat: "2026-07-01T15:30:22.000Z",
      last_progress: null,
      description: "Syncing 7 days",
      log_files: ["/logs/sync.log", join(dir, STATUS_FILES.logs, `${tracked.id}.log`)],
      progress: {
        current: null,
        total: null,
        percentage: null,
        message: null,
        rate: null,
        eta_seconds: null,
      },
      metadata: { days: 7 },
      session_id: "sess-test",
      error: null,
    });
    await tracked.complete();
  });
});

Deno.test("TrackedProcess.update() writes at most once a second", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker, advance } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "Syncing");
    const progress = async () =>
      (await readJson(join(dir, STATUS_FILES.active)))[tracked.id].progress;
    advance(500);
    tracked.update({ current: 10, total: 100, message: "page 1" });
    await tracked.flush();
    assert.equal((await progress()).current, null);
    advance(600);
    tracked.update({ current: 20, percentage: 20, message: "page 2" });
    await tracked.flush();
    assert.deepEqual(await progress(), {
      current: 20,
      total: 100,
      percentage: 20,
      message: "page 2",
      rate: null,
      eta_seconds: null,
    });
    const stored = (await readJson(join(dir, STATUS_FILES.active)))[tracked.id];
    assert.equal(stored.last_progress, "2026-07-01T15:30:23.100Z");
    await tracked.complete();
  });
});

Deno.test("TrackedProcess.update() dates progress by the counter, not by every message", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker, advance } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "Syncing");
    advance(1000);
    tracked.update({ current: 10, total: 100, message: "batch 1" });
    const first = tracked.record().last_progress;
    advance(5000);
    tracked.update({ current: 10, message: "waiting for rate limit, resets in 5s" });
    const record = tracked.record();
    assert.equal(record.last_progress, first, "a message alone is not progress");
    assert.equal(Date.parse(record.last_heartbeat) - Date.parse(first!), 5000, "but a heartbeat");
    advance(1000);
    tracked.update({ current: 11, message: "batch 1" });
    assert.equal(Date.parse(tracked.record().last_progress!) - Date.parse(first!), 6000);
    await tracked.complete();
  });
});

Deno.test("TrackedProcess.complete() moves the record to completed and updates the summary", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker, advance } = fakeTracker(dir);
    const a = await tracker.start("sync", "a");
    const b = await tracker.start("serve", "b");
    advance(45_000);
    await a.complete({ conversations: 987 });
    await a.complete(); // a second end is ignored
    const active = await readJson(join(dir, STATUS_FILES.active));
    const completed = await readJson(join(dir, STATUS_FILES.completed));
    assert.deepEqual(Object.keys(active), [b.id]);
    assert.equal(completed[a.id].status, "completed");
    assert.equal(completed[a.id].end_time, "2026-07-01T15:31:07.000Z");
    assert.deepEqual(completed[a.id].metadata, { result: { conversations: 987 } });
    const summary = await readJson(join(dir, STATUS_FILES.summary));
    assert.equal(summary.active_count, 1);
    assert.equal(summary.completed_count, 1);
    assert.deepEqual(summary.by_type, { sync: { completed: 1 }, serve: { running: 1 } });
    await b.interrupt();
  });
});

Deno.test("TrackedProcess.fail() and interrupt() end the record with the reason", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker } = fakeTracker(dir);
    const failed = await tracker.start("sync", "a");
    const stopped = await tracker.start("sync", "b");
    await failed.fail(new TypeError("HTTP 401 from /me"));
    await stopped.interrupt("SIGINT");
    const completed = await readJson(join(dir, STATUS_FILES.completed));
    assert.deepEqual([completed[failed.id].status, completed[failed.id].error], [
      "failed",
      "TypeError: HTTP 401 from /me",
    ]);
    assert.deepEqual([completed[stopped.id].status, completed[stopped.id].error], [
      "interrupted",
      "SIGINT",
    ]);
  });
});

Deno.test("TrackedProcess.logLine() appends to aggregated_logs/<id>.log", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "a");
    tracked.logLine("first");
    tracked.logLine("second\n");
    await tracked.complete();
    tracked.logLine("after the end is dropped");
    const log = await Deno.readTextFile(join(dir, STATUS_FILES.logs, `${tracked.id}.log`));
    assert.equal(log, "first\nsecond\n");
  });
});

Deno.test("StatusTracker.read() reports a silent process as stalled", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker, advance } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "a");
    advance(59_000);
    assert.equal((await tracker.read()).active[0]?.status, "running");
    advance(2_000);
    assert.equal((await tracker.read()).active[0]?.status, "stalled");
    await tracked.heartbeat();
    assert.equal((await tracker.read()).active[0]?.status, "running");
    await tracked.complete();
  });
});

Deno.test("StatusTracker.start() prunes completed records past the retention", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const old = fakeTracker(dir);
    const tracked = await old.tracker.start("sync", "old");
    await tracked.complete();
    const later = new StatusTracker({
      dir,
      clock: () => T0 + 8 * 86_400_000,
      heartbeatIntervalMs: 0,
    });
    const fresh = await later.start("sync", "new");
    const completed = await readJson(join(dir, STATUS_FILES.completed));
    assert.deepEqual(Object.keys(completed), []);
    await fresh.complete();
  });
});

Deno.test("statusTrackerSink() mirrors an operation's progress into its record", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    let now = T0;
    const clock = () => now;
    const tracker = new StatusTracker({ dir, clock, heartbeatIntervalMs: 0 });
    const tracked = await tracker.start("sync", "Syncing");
    const broadcaster = new ProgressBroadcaster({ clock, sessionId: "s" });
    const other = broadcaster.startOperation("index", "unrelated");
    const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 100 });
    broadcaster.addSink(
      statusTrackerSink(tracked, { operationId: op.id, finishWithOperation: true }),
    );
    for (let i = 1; i <= 5; i++) {
      now += 1000;
      op.update(`batch ${i}`, { current: i * 10 });
      other.update("noise", { current: 999 });
    }
    await tracked.flush();
    const running = (await readJson(join(dir, STATUS_FILES.active)))[tracked.id];
    assert.deepEqual(running.progress, {
      current: 50,
      total: 100,
      percentage: 50,
      message: "batch 5",
      rate: 10,
      eta_seconds: 5,
      phase: null,
    });
    op.complete("done", { conversations: 50 });
    await tracked.flush();
    const completed = (await readJson(join(dir, STATUS_FILES.completed)))[tracked.id];
    assert.equal(completed.status, "completed");
    assert.deepEqual(completed.metadata.result, { conversations: 50 });
  });
});

Deno.test("statusTrackerSink() keeps the rate-limit budget a sync reports, for /metrics", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    let now = T0;
    const clock = () => now;
    const tracker = new StatusTracker({ dir, clock, heartbeatIntervalMs: 0, updateIntervalMs: 0 });
    const tracked = await tracker.start("sync", "Syncing");
    const broadcaster = new ProgressBroadcaster({ clock, sessionId: "s" });
    const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 100 });
    broadcaster.addSink(statusTrackerSink(tracked, { operationId: op.id }));
    now += 1000;
    op.update("batch 1", { current: 10, rate_limit_remaining: 57 });
    now += 1000;
    op.update("batch 1", { current: 20 }); // no figure this time: the last one stays
    await tracked.flush();
    const running = (await readJson(join(dir, STATUS_FILES.active)))[tracked.id];
    assert.equal(running.metadata.rate_limit_remaining, 57);
    assert.equal(running.progress.current, 20);
  });
});

Deno.test("the heartbeat timer keeps a running record fresh", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const tracker = new StatusTracker({ dir, heartbeatIntervalMs: 10 });
    const tracked = await tracker.start("serve", "a");
    const first = (await readJson(join(dir, STATUS_FILES.active)))[tracked.id].last_heartbeat;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await tracked.flush();
    const later = (await readJson(join(dir, STATUS_FILES.active)))[tracked.id].last_heartbeat;
    assert.ok(later > first, `${later} > ${first}`);
    await tracked.complete();
  });
});

Deno.test("20 processes writing at once lose no entry and readers always parse", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const code = `
      import { StatusTracker } from "${TRACKER_URL}";
      const tracker = new StatusTracker({ dir: Deno.env.get("STATUS_DIR"), updateIntervalMs: 0 });
      const child = Number(Deno.env.get("CHILD"));
      for (let job = 0; job < 5; job++) {
        const tracked = await tracker.start("worker", "job", { metadata: { child, job } });
        for (let i = 1; i <= 3; i++) tracked.update({ current: i, total: 3 });
        await tracked.heartbeat();
        if (job === 4) await tracked.fail(new Error("planned")); else await tracked.complete();
        console.log(tracked.id);
      }`;
    const children = Array.from(
      { length: 20 },
      (_, i) => spawnChild(code, { STATUS_DIR: dir, CHILD: String(i) }),
    );
    let done = false;
    let reads = 0;
    const readers = Array.from({ length: 2 }, async () => {
      while (!done) {
        for (const name of [STATUS_FILES.active, STATUS_FILES.completed, STATUS_FILES.summary]) {
          try {
            JSON.parse(await Deno.readTextFile(join(dir, name))); // throws on half a file
          } catch (error) {
            if (!(error instanceof Deno.errors.NotFound)) throw error;
          }
        }
        await readStatus(dir, { checkPid: false });
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    const outputs = await Promise.all(children.map((c) => c.output()));
    done = true;
    await Promise.all(readers);
    for (const output of outputs) {
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    }
    const ids = outputs.flatMap((o) => new TextDecoder().decode(o.stdout).trim().split("\n"));
    assert.equal(new Set(ids).size, 100);
    const report = await readStatus(dir);
    assert.deepEqual(report.active, []);
    assert.deepEqual(new Set(report.completed.map((r) => r.process_id)), new Set(ids));
    assert.deepEqual(report.summary.by_status, { completed: 80, failed: 20 });
    assert.ok(report.completed.every((r) => r.progress.current === 3));
    assert.ok(reads > 5, `reads: ${reads}`);
    assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.includes(".tmp")), []);
  });
});

Deno.test("a tracked child killed with SIGKILL is reported crashed, then reconciled", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const code = `
      import { StatusTracker } from "${TRACKER_URL}";
      const tracker = new StatusTracker({ dir: Deno.env.get("STATUS_DIR") });
      const tracked = await tracker.start("sync", "doomed");
      console.log(tracked.id);
      setTimeout(() => {}, 60_000);`;
    const child = spawnChild(code, { STATUS_DIR: dir });
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let id = "";
    try {
      while (!id.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        id += value;
      }
      id = id.trim();
      assert.equal((await readStatus(dir)).active[0]?.status, "running");
    } finally {
      child.kill("SIGKILL");
      await child.status;
      await reader.cancel();
      await child.stderr.cancel();
    }
    const report = await readStatus(dir);
    assert.deepEqual(report.active.map((r) => [r.process_id, r.status]), [[id, "crashed"]]);
    const tracker = new StatusTracker({ dir, heartbeatIntervalMs: 0 });
    const next = await tracker.start("sync", "next"); // housekeeping reconciles the crash
    const after = await readStatus(dir);
    assert.deepEqual(after.active.map((r) => r.process_id), [next.id]);
    assert.equal(after.completed.find((r) => r.process_id === id)?.status, "crashed");
    await next.complete();
  });
});

Deno.test("a record for this pid with another start time is reported crashed", async () => {
  await withTempDir("status_tracker_test_", async (dir) => {
    const { tracker } = fakeTracker(dir);
    const tracked = await tracker.start("sync", "a");
    await mutateStatus(dir, (state) => {
      state.active[tracked.id]!.pid_start_time = "2001-01-01T00:00:00Z";
    });
    assert.equal((await tracker.read()).active[0]?.status, "crashed");
    await tracked.complete();
  });
});
