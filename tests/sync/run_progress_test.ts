import assert from "node:assert/strict";
import { type OperationHandle, RATE_CEILING } from "../../lib/progress/progress.ts";
import type { ProgressUpdate } from "../../lib/progress/types.ts";
import { RunProgress } from "../../lib/sync/run_progress.ts";
import { type RunCounts, zeroCounts } from "../../lib/sync/run_record.ts";

/** An operation that records its updates. */
function recorder() {
  const updates: { message: string; data: ProgressUpdate | undefined }[] = [];
  const op = {
    update: (message: string, data?: ProgressUpdate) => updates.push({ message, data }),
  };
  return { op: op as unknown as OperationHandle, updates };
}

Deno.test("RunProgress counts a resumed run's window from what earlier runs did", () => {
  const { op, updates } = recorder();
  let counts: RunCounts = zeroCounts();
  const progress = new RunProgress({
    op,
    plan: { done: 300, pagesDone: 2 },
    counts: () => counts,
    ceiling: () => 16.7,
  });
  assert.equal(progress.total, 300);
  assert.equal(progress.announced, false);
  progress.announce(450, 150);
  assert.equal(progress.announced, true);
  assert.equal(progress.total, 750);
  assert.deepEqual(updates.at(-1), {
    message: "Found 450 conversations to check",
    data: { current: 300, total: 750 },
  });
  progress.announce(999, 150); // a later slice's search does not change the total
  assert.equal(progress.total, 750);

  progress.advance(140);
  counts = { ...counts, conversationsFetched: 100, conversationsSkipped: 40 };
  const position = progress.nextCommit(true, 150);
  assert.deepEqual(position, { pageNo: 3, done: 450 });
  progress.committed(position);
  const last = updates.at(-1)!;
  assert.equal(last.message, "batch 4/5: 100 fetched, 40 unchanged");
  assert.equal(last.data?.current, 440);
  assert.equal(last.data?.total, 750);
  assert.equal(last.data?.batch, 4);
  assert.equal(last.data?.batches, 5);
  assert.equal(last.data?.conversations_fetched, 100);
  assert.equal(last.data?.[RATE_CEILING], 16.7);
  // a page that was not from a search (conversations fetched again) moves no page or done
  assert.deepEqual(progress.nextCommit(false, 20), { pageNo: 3, done: 450 });
});

Deno.test("RunProgress grows the total when more conversations are processed than announced", () => {
  const { op, updates } = recorder();
  const progress = new RunProgress({
    op,
    plan: { done: 0, pagesDone: 0 },
    counts: zeroCounts,
    ceiling: () => null,
  });
  progress.addToTotal(3); // fetched again before the window
  progress.announce(10, 150);
  assert.equal(progress.total, 13);
  progress.advance(0);
  assert.equal(updates.length, 1, "nothing moved, nothing reported");
  progress.advance(15);
  assert.equal(progress.total, 15);
  assert.equal(updates.at(-1)?.message, "batch 1/1: 0 fetched, 0 unchanged");
  assert.equal(RATE_CEILING in (updates.at(-1)?.data ?? {}), false, "no ceiling without a limit");
});

Deno.test("RunProgress without an operation counts silently", () => {
  const progress = new RunProgress({
    op: undefined,
    plan: { done: 5, pagesDone: 1 },
    counts: zeroCounts,
    ceiling: () => null,
  });
  progress.announce(10, 5);
  progress.advance(3);
  assert.equal(progress.total, 15);
});
