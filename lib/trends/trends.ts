/**
 * The run history of a store as trend rows and the anomalies in it: what `monitor trends`,
 * `monitor status`, the dashboard, `/metrics` and `debug health` show. Reads only `sync_runs`.
 */
import { Store } from "../store/store.ts";
import { type Anomaly, type AnomalyOptions, detectAnomalies } from "./anomalies.ts";
import { type RunTrend, runTrend } from "./run_trend.ts";

/** Runs and their anomalies. */
export interface TrendReport {
  runs: RunTrend[];
  anomalies: Anomaly[];
}

/** Runs read for anomaly detection: enough for a 30-run baseline and the runs judged. */
export const ANOMALY_HISTORY = 40;

/** Reads the newest `limit` runs (newest first) of the store at `path`; none without a store. */
export function readRunTrends(path: string, limit: number): RunTrend[] {
  try {
    Deno.statSync(path);
  } catch {
    return [];
  }
  using store = Store.open(path, { readOnly: true, busyTimeoutMs: 2000 });
  return store.lastRuns(limit).map(runTrend);
}

/**
 * The newest `limit` runs and the anomalies of the history at `nowSeconds` (judged on at least
 * {@link ANOMALY_HISTORY} runs, whatever `limit` shows).
 */
export function trendReport(
  storeFile: string,
  nowSeconds: number,
  options: { limit?: number } & AnomalyOptions = {},
): TrendReport {
  const limit = options.limit ?? 20;
  const history = readRunTrends(storeFile, Math.max(limit, ANOMALY_HISTORY));
  return {
    runs: history.slice(0, limit),
    anomalies: detectAnomalies(history, nowSeconds, options),
  };
}
