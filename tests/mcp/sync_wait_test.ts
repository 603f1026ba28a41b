import assert from "node:assert/strict";
import type { SyncJob, SyncOutcome, SyncProgress } from "../../lib/mcp/sync_manager.ts";
import { waitForSync } from "../../lib/mcp/sync_wait.ts";
import type { ToolCall } from "../../lib/mcp/tool_definition.ts";

/** A job whose progress and end the test drives. */
function fakeJob() {
  const listeners = new Set<(p: SyncProgress) => void>();
  const done = Promise.withResolvers<SyncOutcome>();
  const job: SyncJob = {
    processId: "sync-1",
    request: { mode: "incremental" },
    trigger: "tool",
    startedAt: 0,
    outcome: null,
    done: done.promise,
    registered: Promise.resolve("sync-1"),
    progress: null,
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waiting: 0,
  };
  const report = (current: number, total = 100) => {
    const p: SyncProgress = { type: "progress", message: `at ${current}`, current, total };
    job.progress = p;
    for (const l of listeners) l(p);
  };
  const finish = () => done.resolve({ status: "interrupted", message: "x", finishedAt: 0 });
  return { job, report, finish, listeners };
}

function recordingCall(signal = new AbortController().signal) {
  const sent: { progress: number; total?: number; message?: string }[] = [];
  const call: ToolCall = {
    signal,
    progress: (update) => {
      sent.push(update);
      return Promise.resolve();
    },
  };
  return { call, sent };
}

Deno.test("waitForSync() forwards strictly increasing progress, throttled, and a last one at the end", async () => {
  const { job, report, finish, listeners } = fakeJob();
  const { call, sent } = recordingCall();
  let now = 0;
  const waiting = waitForSync(job, { timeoutMs: 10_000, call, intervalMs: 500, clock: () => now });
  assert.equal(job.waiting, 1);
  report(10); // less than 500 ms after the first notification: held back
  now = 600;
  report(20);
  report(20); // not an increase
  now = 700;
  report(15); // not an increase
  now = 1200;
  report(40);
  finish();
  assert.equal(await waiting, "done");
  assert.deepEqual(sent.map((s) => s.progress), [0, 20, 40, 100], "the end reaches the total");
  assert.deepEqual(sent.slice(1).map((s) => s.total), [100, 100, 100]);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.progress > sent[i - 1]!.progress);
  assert.equal(job.waiting, 0);
  assert.equal(listeners.size, 0, "stops listening");
});

Deno.test("waitForSync() stops waiting when the call is cancelled; the sync is not touched", async () => {
  const { job, report } = fakeJob();
  const abort = new AbortController();
  const { call } = recordingCall(abort.signal);
  const waiting = waitForSync(job, { timeoutMs: 60_000, call });
  report(5);
  abort.abort();
  assert.equal(await waiting, "cancelled");
  assert.equal(job.waiting, 0);
  assert.equal(job.outcome, null);
  assert.equal(await waitForSync(job, { timeoutMs: 60_000, call }), "cancelled");
});

Deno.test("waitForSync() gives up after timeoutMs", async () => {
  const { job } = fakeJob();
  const { call } = recordingCall();
  assert.equal(await waitForSync(job, { timeoutMs: 20, call }), "timeout");
  assert.equal(job.waiting, 0);
});
