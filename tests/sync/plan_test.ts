import assert from "node:assert/strict";
import {
  type Checkpoint,
  checkpointOf,
  isCheckpoint,
  nextCursor,
  planSync,
} from "../../lib/sync/plan.ts";

const NOW = 1_780_000_000;
const OPTIONS = { now: NOW, initialSyncDays: 7, overlapSeconds: 300 };
const DAY = 86_400;

Deno.test("planSync() first incremental run covers initial_sync_days and ends now", () => {
  const plan = planSync({ mode: "incremental" }, { cursor: null, checkpoint: null }, OPTIONS);
  assert.equal(plan.windowStart, NOW - 7 * DAY);
  assert.equal(plan.windowEnd, NOW);
  assert.equal(plan.startedAt, NOW);
  assert.equal(plan.resumeFrom, plan.windowStart);
  assert.equal(plan.resumedRunId, null);
});

Deno.test("planSync() incremental starts at the cursor minus the overlap", () => {
  const plan = planSync({ mode: "incremental" }, { cursor: NOW - 3600, checkpoint: null }, OPTIONS);
  assert.equal(plan.windowStart, NOW - 3600 - 300);
});

Deno.test("planSync() explicit modes choose their window", () => {
  const state = { cursor: NOW - 60, checkpoint: null };
  assert.equal(planSync({ mode: "days", days: 30 }, state, OPTIONS).windowStart, NOW - 30 * DAY);
  assert.equal(
    planSync({ mode: "since", since: NOW - 500 }, state, OPTIONS).windowStart,
    NOW - 500,
  );
  assert.equal(planSync({ mode: "all" }, state, OPTIONS).windowStart, 0);
  assert.equal(planSync({ mode: "all", force: true }, state, OPTIONS).force, true);
});

Deno.test("planSync() resumes a checkpoint on a plain sync, not on an explicit window", () => {
  const checkpoint: Checkpoint = {
    version: 1,
    runId: 4,
    mode: "all",
    windowStart: 0,
    windowEnd: NOW - 900,
    startedAt: NOW - 900,
    resumeFrom: NOW - 5000,
    done: 450,
    pagesDone: 3,
    force: false,
  };
  const state = { cursor: null, checkpoint };
  const resumed = planSync({ mode: "incremental" }, state, OPTIONS);
  assert.equal(resumed.resumedRunId, 4);
  assert.equal(resumed.resumeFrom, NOW - 5000);
  assert.equal(resumed.windowEnd, NOW - 900);
  assert.equal(resumed.startedAt, NOW - 900, "the cursor will be the interrupted run's start");
  assert.equal(resumed.done, 450);
  const fresh = planSync({ mode: "days", days: 1 }, state, OPTIONS);
  assert.equal(fresh.resumedRunId, null);
  assert.equal(fresh.windowStart, NOW - DAY);
});

Deno.test("isCheckpoint() rejects what this program did not write", () => {
  assert.equal(isCheckpoint(null), false);
  assert.equal(isCheckpoint({ version: 2, windowStart: 0 }), false);
  assert.equal(isCheckpoint("x"), false);
});

Deno.test("nextCursor() moves to the run's start unless the window leaves a gap", () => {
  const plan = planSync({ mode: "incremental" }, { cursor: NOW - 3600, checkpoint: null }, OPTIONS);
  assert.equal(nextCursor(plan, NOW - 3600), NOW);
  assert.equal(nextCursor(plan, null), NOW);
  const lateDays = planSync({ mode: "days", days: 1 }, { cursor: null, checkpoint: null }, OPTIONS);
  assert.equal(nextCursor(lateDays, NOW - 10 * DAY), null, "a gap keeps the old cursor");
  assert.equal(nextCursor(lateDays, NOW - 3600), NOW);
});

Deno.test("checkpointOf() saves the plan's window with the run and its position; a resume reads it back", () => {
  const plan = planSync({ mode: "days", days: 2, force: true }, {
    cursor: null,
    checkpoint: null,
  }, OPTIONS);
  const checkpoint = checkpointOf(plan, 9, { resumeFrom: NOW - 100, done: 300, pagesDone: 2 });
  assert.deepEqual(checkpoint, {
    version: 1,
    runId: 9,
    mode: "days",
    windowStart: NOW - 2 * DAY,
    windowEnd: NOW,
    startedAt: NOW,
    resumeFrom: NOW - 100,
    done: 300,
    pagesDone: 2,
    force: true,
  });
  assert.ok(isCheckpoint(JSON.parse(JSON.stringify(checkpoint))));
  const resumed = planSync({ mode: "incremental" }, { cursor: null, checkpoint }, {
    ...OPTIONS,
    now: NOW + 60,
  });
  assert.deepEqual(resumed, {
    mode: "days",
    windowStart: NOW - 2 * DAY,
    windowEnd: NOW,
    startedAt: NOW,
    resumeFrom: NOW - 100,
    done: 300,
    pagesDone: 2,
    force: true,
    resumedRunId: 9,
  });
});
