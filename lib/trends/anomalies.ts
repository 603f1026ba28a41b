/**
 * Anomalies in the run history, judged against the workspace's own usual behaviour with
 * robust statistics (median and MAD, see robust.ts) rather than fixed thresholds:
 *
 * - `slow_run`: the newest completed run fetched conversations far more slowly than the
 *   usual run of the same mode (modified z ≤ −3.5 and under half the median).
 * - `high_retry_rate`: the newest finished run spent far more of its API calls on retries and
 *   429s than usual (z ≥ 3.5 and at least 5 points above the median rate).
 * - `run_failed`: the newest finished run failed where failures are rare (under 20 % of the
 *   runs before it).
 * - `missed_interval`: no run has started for much longer than the usual gap between starts
 *   (beyond the median plus 3.5 robust deviations, and at least twice the median).
 * - `stopped_growing`: the last 3 completed runs fetched nothing, where runs usually fetch
 *   something: the workspace stopped changing, or the sync no longer sees its changes.
 *
 * Each needs a baseline of at least 5 comparable runs; with less history nothing is flagged.
 */
import { formatSeconds } from "../util/format.ts";
import { mad, median, OUTLIER_Z, robustZ } from "./robust.ts";
import type { RunTrend } from "./run_trend.ts";

/** The kinds of anomaly, in display order. */
export const ANOMALY_KINDS = [
  "slow_run",
  "high_retry_rate",
  "run_failed",
  "missed_interval",
  "stopped_growing",
] as const;
/** A kind of anomaly. */
export type AnomalyKind = typeof ANOMALY_KINDS[number];

/** One anomaly, with the figures it was judged on. */
export interface Anomaly {
  kind: AnomalyKind;
  /** One line: what was seen against what is usual. */
  detail: string;
  /** The run it concerns, when it concerns one. */
  run_id: number | null;
  value: number;
  usual: number;
}

/** Options for {@link detectAnomalies}. */
export interface AnomalyOptions {
  /** Comparable runs needed before anything is flagged. Default 5. */
  minBaseline?: number;
  /** Runs a baseline takes, newest first. Default 30. */
  maxBaseline?: number;
  /** Runs fetching fewer conversations are too small to judge throughput. Default 20. */
  minFetched?: number;
}

const rate = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const percent = (n: number) => `${(n * 100).toFixed(1)} %`;
const modeOf = (run: RunTrend) => run.mode.replace(/ \(resumed\)$/, "");

/**
 * The anomalies of a history (`runs` in any order) at `nowSeconds` (Unix seconds, UTC).
 */
export function detectAnomalies(
  runs: readonly RunTrend[],
  nowSeconds: number,
  options: AnomalyOptions = {},
): Anomaly[] {
  const o = { minBaseline: 5, maxBaseline: 30, minFetched: 20, ...options };
  const history = [...runs].sort((a, b) => a.started_at - b.started_at || a.run_id - b.run_id);
  return [
    slowRun(history, o),
    highRetryRate(history, o),
    runFailed(history, o),
    missedInterval(history, nowSeconds, o),
    stoppedGrowing(history, o),
  ].filter((a): a is Anomaly => a !== null);
}

type Resolved = Required<AnomalyOptions>;

/** The newest run passing `keep`, and the baseline of the comparable runs before it. */
function newestAndBaseline(
  history: RunTrend[],
  keep: (run: RunTrend) => boolean,
  o: Resolved,
): { newest: RunTrend; baseline: RunTrend[] } | null {
  const kept = history.filter(keep);
  const newest = kept.at(-1);
  if (newest === undefined) return null;
  const baseline = kept.slice(0, -1).slice(-o.maxBaseline);
  return baseline.length < o.minBaseline ? null : { newest, baseline };
}

function slowRun(history: RunTrend[], o: Resolved): Anomaly | null {
  const last = history.filter((r) => r.status === "completed").at(-1);
  if (last === undefined) return null;
  const found = newestAndBaseline(
    history,
    (r) =>
      r.status === "completed" && modeOf(r) === modeOf(last) &&
      r.conversations_fetched >= o.minFetched && r.conversations_per_second !== null,
    o,
  );
  if (found === null || found.newest !== last) return null;
  const x = last.conversations_per_second!;
  const baseline = found.baseline.map((r) => r.conversations_per_second!);
  const usual = median(baseline);
  if (!(robustZ(x, baseline) <= -OUTLIER_Z && x < usual / 2)) return null;
  return {
    kind: "slow_run",
    detail: `run ${last.run_id} (${modeOf(last)}) fetched ${rate(x)} conversations/s; usually ${
      rate(usual)
    }/s (median of ${baseline.length} runs)`,
    run_id: last.run_id,
    value: x,
    usual,
  };
}

function highRetryRate(history: RunTrend[], o: Resolved): Anomaly | null {
  const finished = history.filter((r) => r.finished_at !== null);
  const last = finished.at(-1);
  if (last === undefined || last.retry_rate === null || last.api_calls < o.minFetched) return null;
  const found = newestAndBaseline(
    finished,
    (r) => r.retry_rate !== null && r.api_calls >= o.minFetched,
    o,
  );
  if (found === null || found.newest !== last) return null;
  const x = last.retry_rate;
  const baseline = found.baseline.map((r) => r.retry_rate!);
  const usual = median(baseline);
  if (!(robustZ(x, baseline, 0.01) >= OUTLIER_Z && x >= usual + 0.05)) return null;
  return {
    kind: "high_retry_rate",
    detail: `run ${last.run_id}: ${percent(x)} of its ${last.api_calls} API calls were retries ` +
      `or 429s (${last.retries} retries, ${last.rate_limited} 429s); usually ${percent(usual)}`,
    run_id: last.run_id,
    value: x,
    usual,
  };
}

function runFailed(history: RunTrend[], o: Resolved): Anomaly | null {
  const finished = history.filter((r) => r.finished_at !== null);
  const last = finished.at(-1);
  if (last === undefined || !last.failed) return null;
  const baseline = finished.slice(0, -1).slice(-o.maxBaseline);
  if (baseline.length < o.minBaseline) return null;
  const failures = baseline.filter((r) => r.failed).length;
  const share = failures / baseline.length;
  if (share >= 0.2) return null;
  return {
    kind: "run_failed",
    detail: `run ${last.run_id} failed${last.error ? ` (${last.error.slice(0, 160)})` : ""}; ` +
      `${failures} of the ${baseline.length} runs before it failed`,
    run_id: last.run_id,
    value: 1,
    usual: share,
  };
}

function missedInterval(history: RunTrend[], now: number, o: Resolved): Anomaly | null {
  if (history.some((r) => r.status === "running")) return null;
  const starts = history.map((r) => r.started_at).slice(-(o.maxBaseline + 1));
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!).filter((g) => g > 0);
  const last = starts.at(-1);
  if (last === undefined || gaps.length < o.minBaseline) return null;
  const usual = median(gaps);
  const limit = usual + Math.max((OUTLIER_Z / 0.6745) * mad(gaps), usual);
  const gap = now - last;
  if (gap <= limit) return null;
  return {
    kind: "missed_interval",
    detail: `no sync has started for ${formatSeconds(gap)}; runs usually start every ${
      formatSeconds(usual)
    } (is the scheduler or the MCP server's background sync still running?)`,
    run_id: null,
    value: gap,
    usual,
  };
}

function stoppedGrowing(history: RunTrend[], o: Resolved): Anomaly | null {
  const completed = history.filter((r) => r.status === "completed");
  const recent = completed.slice(-3);
  const baseline = completed.slice(0, -3).slice(-o.maxBaseline);
  if (recent.length < 3 || baseline.length < o.minBaseline) return null;
  if (recent.some((r) => r.conversations_fetched > 0)) return null;
  const fetched = baseline.map((r) => r.conversations_fetched);
  const usual = median(fetched);
  if (usual < 1) return null;
  return {
    kind: "stopped_growing",
    detail:
      `the last ${recent.length} runs fetched no conversation; runs usually fetch ${
        Math.round(usual)
      } (median of ${baseline.length}): has the workspace stopped changing, or is the token's ` +
      "access narrower?",
    run_id: recent.at(-1)!.run_id,
    value: 0,
    usual,
  };
}
