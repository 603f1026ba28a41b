/**
 * One row per sync run for `monitor trends` and anomaly detection: throughput, duration, API
 * calls per conversation, 429s, retries and how the run ended, from `sync_runs`.
 */
import type { SyncRun } from "../sync/run_record.ts";

/** A run's figures. Times are Unix seconds; rates are null when undefined (no duration). */
export interface RunTrend {
  run_id: number;
  mode: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  duration_seconds: number | null;
  conversations_fetched: number;
  conversations_per_second: number | null;
  api_calls: number;
  api_calls_per_conversation: number | null;
  rate_limited: number;
  retries: number;
  /** (retries + 429s) per API call: how much of the traffic went to failures. */
  retry_rate: number | null;
  failed: boolean;
  error: string | null;
}

/** The trend row of a run. */
export function runTrend(run: SyncRun): RunTrend {
  const duration = run.finishedAt === null ? null : Math.max(0, run.finishedAt - run.startedAt);
  const fetched = run.conversationsFetched;
  return {
    run_id: run.id,
    mode: run.mode,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    duration_seconds: duration,
    conversations_fetched: fetched,
    conversations_per_second: duration ? fetched / duration : null,
    api_calls: run.apiCalls,
    api_calls_per_conversation: fetched > 0 ? run.apiCalls / fetched : null,
    rate_limited: run.rateLimited,
    retries: run.retries,
    retry_rate: run.apiCalls > 0 ? (run.retries + run.rateLimited) / run.apiCalls : null,
    failed: run.status === "failed",
    error: run.error,
  };
}
