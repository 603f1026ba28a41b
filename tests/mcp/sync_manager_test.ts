import assert from "node:assert/strict";
import { ConfigError, LockedError } from "../../lib/errors.ts";
import {
  SyncManager,
  type SyncManagerOptions,
  type SyncRunner,
} from "../../lib/mcp/sync_manager.ts";
import type { SyncResult } from "../../lib/sync/engine.ts";
import type { SyncRequest } from "../../lib/sync/plan.ts";

function result(runId: number): SyncResult {
  return {
    runId,
    mode: "incremental",
    resumed: false,
    windowStart: 0,
    windowEnd: 100,
    totalCount: 3,
    counts: {
      conversationsSeen: 3,
      conversationsFetched: 2,
      conversationsSkipped: 1,
      partsUpserted: 9,
      contactsUpserted: 1,
      apiCalls: 4,
      retries: 0,
      rateLimited: 0,
    },
    durationSeconds: 0.5,
    conversationSeconds: 0.4,
    conversationsPerSecond: 4,
    streams: [],
    cursor: 100,
    limited: false,
    rateLimitWaitSeconds: 0,
    quarantined: [],
    missingContacts: 0,
  };
}

/** A runner whose syncs end when the test says so. */
function controlledRunner() {
  const calls: { request: SyncRequest; finish: (r: SyncResult | Error) => void }[] = [];
  const runner: SyncRunner = (request, hooks) =>
    new Promise<SyncResult>((resolve, reject) => {
      hooks.onProcessId(`sync-${calls.length + 1}`);
      calls.push({ request, finish: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      hooks.signal.addEventListener("abort", () => reject(new Error("aborted")));
    });
  return { runner, calls };
}

function manager(overrides: Partial<SyncManagerOptions> & { runner: SyncRunner | null }) {
  let now = 1_000_000;
  const m = new SyncManager({
    intervalMinutes: 0,
    maxAgeMinutes: 5,
    dataAgeSeconds: () => 600,
    clock: () => now,
    ...overrides,
  });
  return { m, advance: (ms: number) => (now += ms) };
}

Deno.test("SyncManager.start() runs one sync at a time and reports the running one", async () => {
  const { runner, calls } = controlledRunner();
  const { m } = manager({ runner });
  const first = m.start({ mode: "incremental" }, "tool");
  const second = m.start({ mode: "days", days: 3 }, "tool");
  assert.equal(first.started, true);
  assert.equal(second.started, false);
  assert.equal(second.job, first.job);
  assert.equal(await first.job.registered, "sync-1");
  assert.equal(calls.length, 1);
  calls[0]!.finish(result(7));
  const outcome = await first.job.done;
  assert.equal(outcome.status, "completed");
  assert.equal(m.running, null);
  assert.equal(m.state().last, first.job);
  assert.equal(m.start({ mode: "incremental" }, "tool").started, true);
  await m.close();
});

Deno.test("SyncManager reports another process's lock as `locked`, other errors as `failed`", async () => {
  const { runner, calls } = controlledRunner();
  const { m } = manager({ runner });
  const locked = m.start({ mode: "incremental" }, "tool").job;
  calls[0]!.finish(new LockedError("another sync is already running (pid 42)"));
  assert.deepEqual(
    { ...(await locked.done), finishedAt: 0 },
    { status: "locked", message: "another sync is already running (pid 42)", finishedAt: 0 },
  );
  const failed = m.start({ mode: "incremental" }, "tool").job;
  calls[1]!.finish(new Error("boom"));
  assert.equal((await failed.done).status, "failed");
  await m.close();
});

Deno.test("SyncManager.refreshIfStale() starts a sync only for stale data, and backs off after a failure", async () => {
  const { runner, calls } = controlledRunner();
  let age: number | null = 120;
  const { m, advance } = manager({
    runner,
    dataAgeSeconds: () => age,
    retryAfterFailureMs: 60_000,
  });
  assert.equal(m.refreshIfStale(), null, "2 minutes old is fresh enough for 5");
  age = 301;
  const job = m.refreshIfStale();
  assert.ok(job);
  assert.equal(job.trigger, "stale");
  assert.equal(m.refreshIfStale(), null, "single flight");
  calls[0]!.finish(new Error("network down"));
  await job.done;
  assert.equal(m.refreshIfStale(), null, "backs off after a failure");
  advance(60_001);
  const retry = m.refreshIfStale();
  assert.ok(retry);
  calls[1]!.finish(result(2));
  await retry.done;
  age = null;
  const never = m.refreshIfStale("startup");
  assert.equal(never?.trigger, "startup", "never synced counts as stale");
  calls[2]!.finish(result(3));
  await never!.done;
  await m.close();
});

Deno.test("SyncManager with max age 0 or without a runner never syncs on request", async () => {
  const { runner } = controlledRunner();
  const off = manager({ runner, maxAgeMinutes: 0, dataAgeSeconds: () => 1e9 }).m;
  assert.equal(off.refreshIfStale(), null);
  const noToken = manager({ runner: null }).m;
  assert.equal(noToken.enabled, false);
  assert.equal(noToken.refreshIfStale(), null);
  assert.throws(() => noToken.start({ mode: "incremental" }, "tool"), ConfigError);
  await off.close();
  await noToken.close();
});

Deno.test("SyncManager.close() interrupts the running sync and refuses new ones", async () => {
  const { runner } = controlledRunner();
  const { m } = manager({ runner });
  const job = m.start({ mode: "incremental" }, "periodic").job;
  await m.close();
  assert.equal(job.outcome?.status, "interrupted");
  assert.equal(m.enabled, false);
  assert.throws(() => m.start({ mode: "incremental" }, "tool"), /shutting down/);
});

Deno.test("SyncManager.startTimer() starts periodic incremental syncs", async () => {
  const { runner, calls } = controlledRunner();
  const { m } = manager({ runner, intervalMinutes: 1 / 600, maxAgeMinutes: 0 }); // every 100 ms
  m.startTimer();
  for (let i = 0; i < 50 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(calls.length, 1);
  assert.equal(m.running?.trigger, "periodic");
  assert.deepEqual(calls[0]!.request, { mode: "incremental" });
  await m.close();
});
