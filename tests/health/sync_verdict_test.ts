import assert from "node:assert/strict";
import { syncVerdict, type SyncVerdictInput } from "../../lib/health/sync_verdict.ts";
import { processRecord } from "../_fixtures/fs.ts";
import { syncRun as run } from "../_fixtures/sync_runs.ts";

const NOW = Date.parse("2026-07-01T12:00:00Z");

const base = (over: Partial<SyncVerdictInput>): SyncVerdictInput => ({
  dataDir: "/data",
  runs: [],
  lastCompleted: null,
  lock: null,
  records: [],
  now: NOW,
  ...over,
});

const lock = { pid: 4242, hostname: "h", started_at: "2026-07-01T11:59:00Z", process_id: "sync-3" };

Deno.test("syncVerdict() of a fresh install: none", () => {
  assert.deepEqual(syncVerdict(base({})), {
    state: "none",
    detail: "no sync has run yet",
    processId: null,
    pid: null,
    runId: null,
    crash: null,
  });
});

Deno.test("syncVerdict() calls a run left `running` with nobody holding the lock crashed", () => {
  const runs = [run(2, "running"), run(1, "completed")];
  const verdict = syncVerdict(base({ runs, lastCompleted: runs[1]!, records: [] }));
  assert.equal(verdict.state, "crashed");
  assert.equal(verdict.runId, 2);
  assert.equal(
    verdict.detail,
    "sync sync-2, run 2 ended without finishing (killed or crashed), and no sync has completed " +
      "since: run `fast-intercom-mcp sync` (it resumes from the last saved page)",
  );
  // the same run with its holder alive is running
  const alive = syncVerdict(base({ runs, lastCompleted: runs[1]!, lock }));
  assert.equal(alive.state, "running");
  assert.equal(alive.crash, null);
});

Deno.test("syncVerdict() names the pid and run of a crashed status record", () => {
  const runs = [run(2, "running"), run(1, "completed")];
  const record = processRecord("sync-2", {
    status: "crashed",
    pid: 777,
    last_heartbeat: "2026-07-01T11:30:00Z",
    metadata: { data_dir: "/data" },
  });
  const verdict = syncVerdict(base({ runs, lastCompleted: runs[1]!, records: [record] }));
  assert.equal(verdict.state, "crashed");
  assert.deepEqual(verdict.crash, {
    processId: "sync-2",
    pid: 777,
    runId: 2,
    at: Date.parse("2026-07-01T11:30:00Z"),
  });
  assert.match(verdict.detail, /^sync sync-2, pid 777, run 2 ended without finishing/);
});

Deno.test("syncVerdict() forgets a crash once a later sync completed", () => {
  const runs = [run(3, "completed"), run(2, "interrupted")];
  const record = processRecord("sync-2", {
    status: "crashed",
    last_heartbeat: "2026-07-01T11:04:00Z",
  });
  const verdict = syncVerdict(base({ runs, lastCompleted: runs[0]!, records: [record] }));
  assert.equal(verdict.state, "completed");
  assert.equal(verdict.crash, null);
});

Deno.test("syncVerdict() keeps a crash while the sync that follows it is still running", () => {
  const runs = [run(3, "running"), run(2, "interrupted"), run(1, "completed")];
  const crashed = processRecord("sync-2", {
    status: "crashed",
    last_heartbeat: "2026-07-01T11:30:00Z",
  });
  const running = processRecord("sync-3", { status: "running" });
  const verdict = syncVerdict(
    base({ runs, lastCompleted: runs[2]!, lock, records: [crashed, running] }),
  );
  assert.equal(verdict.state, "running");
  assert.equal(verdict.crash?.processId, "sync-2");
  assert.match(verdict.detail, /^a sync is running \(sync-3, pid \d+\); before it, sync sync-2/);
});

Deno.test("syncVerdict() reports a stalled sync with its silence", () => {
  const record = processRecord("sync-3", {
    status: "stalled",
    pid: 4242,
    last_heartbeat: new Date(NOW - 103_000).toISOString(),
  });
  const verdict = syncVerdict(base({ runs: [run(3, "running")], lock, records: [record] }));
  assert.equal(verdict.state, "stalled");
  assert.equal(
    verdict.detail,
    "sync sync-3 (pid 4242) is stalled: no heartbeat for 1m43s; is it stopped (SIGSTOP) or " +
      "hung? `fast-intercom-mcp monitor status` shows it",
  );
});

Deno.test("syncVerdict() ignores status records of another data directory", () => {
  const other = processRecord("sync-9", { status: "crashed", metadata: { data_dir: "/other" } });
  assert.equal(syncVerdict(base({ records: [other] })).state, "none");
});

Deno.test("syncVerdict() reports interrupted and failed last runs", () => {
  const interrupted = run(2, "interrupted", { error: "interrupted by the user" });
  assert.equal(
    syncVerdict(base({ runs: [interrupted] })).detail,
    "run 2 was interrupted (interrupted by the user); the next `fast-intercom-mcp sync` resumes it",
  );
  const failed = run(2, "failed", { error: "token rejected" });
  const verdict = syncVerdict(base({ runs: [failed] }));
  assert.equal(verdict.state, "failed");
  assert.match(verdict.detail, /^run 2 failed: token rejected; see `fast-intercom-mcp logs errors/);
});

Deno.test("syncVerdict() takes a completed sync's status record as resolving a crash when the store cannot tell", () => {
  const crashed = processRecord("sync-2", {
    status: "crashed",
    last_heartbeat: "2026-07-01T11:30:00Z",
  });
  const done = processRecord("sync-3", {
    status: "completed",
    end_time: "2026-07-01T11:45:00Z",
  });
  const verdict = syncVerdict(base({ runs: [], lastCompleted: null, records: [crashed, done] }));
  assert.equal(verdict.crash, null);
  assert.equal(verdict.state, "none");
});

Deno.test("syncVerdict() with hidePids names processes and runs but no pid", () => {
  const runs = [run(3, "running"), run(2, "running")];
  const crashed = processRecord("sync-2", {
    status: "crashed",
    pid: 777,
    last_heartbeat: "2026-07-01T11:30:00Z",
  });
  const stalled = processRecord("sync-3", {
    status: "stalled",
    pid: 4242,
    last_heartbeat: new Date(NOW - 103_000).toISOString(),
  });
  const hidden = syncVerdict(base({ runs, lock, records: [crashed, stalled], hidePids: true }));
  assert.equal(hidden.state, "stalled");
  assert.equal(hidden.pid, null);
  assert.equal(hidden.crash?.pid, null);
  assert.equal(hidden.crash?.runId, 2);
  assert.match(
    hidden.detail,
    /^sync sync-3 is stalled: no heartbeat for 1m43s; .* sync sync-2, run 2 ended/,
  );
  assert.doesNotMatch(hidden.detail, /pid/);
  const running = syncVerdict(base({ runs, lock, records: [], hidePids: true }));
  assert.equal(running.detail, "a sync is running (sync-3)");
  assert.equal(running.pid, null);
  const shown = syncVerdict(base({ runs, lock, records: [crashed, stalled] }));
  assert.match(
    shown.detail,
    /^sync sync-3 \(pid 4242\) is stalled: .* sync sync-2, pid 777, run 2/,
  );
});
