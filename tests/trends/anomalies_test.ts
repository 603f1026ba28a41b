import assert from "node:assert/strict";
import { detectAnomalies } from "../../lib/trends/anomalies.ts";
import { trend, usualRuns } from "./_runs.ts";

const T0 = 1_780_000_000;
const EVERY = 600;
const kinds = (runs: ReturnType<typeof usualRuns>, now: number) =>
  detectAnomalies(runs, now).map((a) => a.kind);

Deno.test("detectAnomalies() flags nothing in an ordinary history, or with under 5 runs", () => {
  const runs = usualRuns(20, T0);
  assert.deepEqual(kinds(runs, T0 + 20 * EVERY), []);
  const few = [...usualRuns(3, T0), trend(4, T0 + 3 * EVERY, { duration_seconds: 5000 })];
  assert.deepEqual(kinds(few, T0 + 4 * EVERY), []);
});

Deno.test("detectAnomalies() flags a run much slower than usual, not a mildly slower one", () => {
  const runs = usualRuns(20, T0);
  const slow = [...runs, trend(21, T0 + 20 * EVERY, { duration_seconds: 600 })];
  const [a] = detectAnomalies(slow, T0 + 20 * EVERY + 700);
  assert.equal(a?.kind, "slow_run");
  assert.match(
    a!.detail,
    /^run 21 \(incremental\) fetched 0\.17 conversations\/s; usually 1\.0\d\/s \(median of 20 runs\)$/,
  );
  const mild = [...runs, trend(21, T0 + 20 * EVERY, { duration_seconds: 130 })];
  assert.deepEqual(kinds(mild, T0 + 20 * EVERY + 200), []);
  // a full run is not judged against incremental ones
  const full = [...runs, trend(21, T0 + 20 * EVERY, { mode: "all", duration_seconds: 600 })];
  assert.deepEqual(kinds(full, T0 + 20 * EVERY + 700), []);
});

Deno.test("detectAnomalies() flags a retry and 429 rate far above usual", () => {
  const runs = usualRuns(20, T0);
  const noisy = [
    ...runs,
    trend(21, T0 + 20 * EVERY, { api_calls: 200, retries: 30, rate_limited: 40 }),
  ];
  const found = detectAnomalies(noisy, T0 + 20 * EVERY + 200);
  assert.deepEqual(found.map((a) => a.kind), ["high_retry_rate"]);
  assert.match(
    found[0]!.detail,
    /^run 21: 35\.0 % of its 200 API calls were retries or 429s \(30 retries, 40 429s\); usually 0\.9 %$/,
  );
});

Deno.test("detectAnomalies() flags a failure where failures are rare, not where they are common", () => {
  const runs = usualRuns(20, T0);
  const failed = [...runs, trend(21, T0 + 20 * EVERY, { status: "failed", error: "boom" })];
  assert.deepEqual(kinds(failed, T0 + 20 * EVERY + 200), ["run_failed"]);
  const flaky = runs.map((r, i) => i % 3 === 0 ? { ...r, status: "failed", failed: true } : r);
  const again = [...flaky, trend(21, T0 + 20 * EVERY, { status: "failed" })];
  assert.deepEqual(kinds(again, T0 + 20 * EVERY + 200), []);
});

Deno.test("detectAnomalies() flags a missed interval, unless a run is running", () => {
  const runs = usualRuns(20, T0);
  const last = T0 + 19 * EVERY;
  assert.deepEqual(kinds(runs, last + 2 * EVERY - 10), []);
  const [a] = detectAnomalies(runs, last + 3 * EVERY);
  assert.equal(a?.kind, "missed_interval");
  assert.equal(
    a!.detail,
    "no sync has started for 30m00s; runs usually start every 10m00s (is the scheduler or the " +
      "MCP server's background sync still running?)",
  );
  const running = [...runs, trend(21, last + EVERY, { status: "running", finished_at: null })];
  assert.deepEqual(kinds(running, last + 10 * EVERY), []);
});

Deno.test("detectAnomalies() flags runs that stopped fetching anything", () => {
  const runs = usualRuns(20, T0);
  const idle = [20, 21, 22].map((i) => trend(i + 1, T0 + i * EVERY, { conversations_fetched: 0 }));
  const found = detectAnomalies([...runs, ...idle], T0 + 23 * EVERY);
  assert.deepEqual(found.map((a) => a.kind), ["stopped_growing"]);
  assert.match(
    found[0]!.detail,
    /^the last 3 runs fetched no conversation; runs usually fetch 10\d/,
  );
  // a quiet workspace where most runs fetch nothing is not an anomaly
  const quiet = usualRuns(20, T0).map((r) => ({ ...r, conversations_fetched: 0 }));
  assert.deepEqual(kinds([...quiet, ...idle], T0 + 23 * EVERY), []);
});
