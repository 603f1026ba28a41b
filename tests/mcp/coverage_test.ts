import assert from "node:assert/strict";
import { checkWindow, coveredSpans } from "../../lib/mcp/coverage.ts";
import { type SyncRun, zeroCounts } from "../../lib/sync/run_record.ts";

function run(status: SyncRun["status"], windowStart: number | null, windowEnd: number): SyncRun {
  return {
    id: 1,
    mode: "incremental",
    windowStart,
    windowEnd,
    startedAt: windowEnd,
    finishedAt: windowEnd,
    status,
    error: null,
    processId: null,
    sessionId: null,
    ...zeroCounts(),
  };
}

Deno.test("coveredSpans() merges completed windows that touch and ignores other runs", () => {
  const spans = coveredSpans([
    run("completed", 500, 800),
    run("completed", 100, 300),
    run("completed", 290, 400),
    run("failed", 0, 1000),
    run("interrupted", 400, 500),
    run("completed", 401, 450),
  ]);
  assert.deepEqual(spans, [{ start: 100, end: 450 }, { start: 500, end: 800 }]);
  assert.deepEqual(coveredSpans([run("completed", null, 50)]), [{ start: 0, end: 50 }]);
  assert.deepEqual(coveredSpans([]), []);
});

Deno.test("checkWindow() says covered, partial or not covered, with the gaps", () => {
  const spans = [{ start: 100, end: 450 }, { start: 500, end: 800 }];
  const now = 1000;
  const cases: [number, number, string, [number, number][]][] = [
    [150, 400, "covered", []],
    [150, 600, "partial", [[451, 499]]],
    [50, 120, "partial", [[50, 99]]],
    [10, 90, "not_covered", [[10, 90]]],
    [700, 2000, "partial", [[801, 1000]]],
  ];
  for (const [start, end, status, gaps] of cases) {
    const result = checkWindow(spans, { start, end }, { now });
    assert.equal(result.status, status, `${start}..${end}`);
    assert.deepEqual(result.gaps.map((g) => [g.start, g.end]), gaps, `${start}..${end}`);
  }
});

Deno.test("checkWindow() tolerates a recent unsynced tail as freshness, not a hole", () => {
  const spans = [{ start: 100, end: 950 }];
  const result = checkWindow(spans, { start: 200, end: 1000 }, { now: 1000, toleranceSeconds: 60 });
  assert.deepEqual(result, { status: "covered", gaps: [], unsyncedSince: 951 });
  const old = checkWindow(spans, { start: 200, end: 1000 }, { now: 1000, toleranceSeconds: 10 });
  assert.equal(old.status, "partial");
  assert.equal(old.unsyncedSince, null);
});

Deno.test("checkWindow() without any completed sync says never_synced", () => {
  const result = checkWindow([], { start: 5, end: 9 }, { now: 100 });
  assert.deepEqual(result, {
    status: "never_synced",
    gaps: [{ start: 5, end: 9 }],
    unsyncedSince: null,
  });
});
