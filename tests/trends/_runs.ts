/** Synthetic run histories for the trend and anomaly tests. */
import { Store } from "../../lib/store/store.ts";
import type { RunTrend } from "../../lib/trends/run_trend.ts";

const T0 = 1_780_000_000;
/** When {@link recordRuns}' first run starts (Unix s). */
export const RUNS_T0 = T0;

/** A finished run started at `start` (Unix s); overrides win. */
export function trend(id: number, start: number, over: Partial<RunTrend> = {}): RunTrend {
  const duration = over.duration_seconds ?? 100;
  const fetched = over.conversations_fetched ?? 100;
  const apiCalls = over.api_calls ?? fetched + 5;
  const retries = over.retries ?? 1;
  const limited = over.rate_limited ?? 0;
  return {
    run_id: id,
    mode: "incremental",
    status: "completed",
    started_at: start,
    finished_at: start + duration,
    duration_seconds: duration,
    conversations_fetched: fetched,
    conversations_per_second: duration > 0 ? fetched / duration : null,
    api_calls: apiCalls,
    api_calls_per_conversation: fetched > 0 ? apiCalls / fetched : null,
    rate_limited: limited,
    retries,
    retry_rate: apiCalls > 0 ? (retries + limited) / apiCalls : null,
    failed: (over.status ?? "completed") === "failed",
    error: null,
    ...over,
  };
}

/** `n` ordinary runs every `every` seconds from `t0`, with small variation. */
export function usualRuns(n: number, t0: number, every = 600): RunTrend[] {
  return Array.from({ length: n }, (_, i) =>
    trend(i + 1, t0 + i * every, {
      duration_seconds: 100 + (i % 3) * 5,
      conversations_fetched: 100 + (i % 4) * 3,
    }));
}

/** Records `n` completed runs every 10 minutes; the last one `slowBy` times slower. */
export function recordRuns(path: string, n: number, slowBy = 1): void {
  using store = Store.open(path);
  for (let i = 0; i < n; i++) {
    const start = T0 + i * 600;
    const id = store.startRun({
      mode: "incremental",
      windowStart: 0,
      windowEnd: 1,
      startedAt: start,
    });
    const seconds = (100 + (i % 3) * 4) * (i === n - 1 ? slowBy : 1);
    store.finishRun(id, {
      status: "completed",
      finishedAt: start + seconds,
      counts: { conversationsFetched: 100, apiCalls: 104, retries: 1 },
    });
  }
}
