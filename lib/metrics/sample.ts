/**
 * What a scrape reports, read from what the program already records: the store (row counts,
 * size, and `sync_runs` for run outcomes, API counters and duration/throughput histograms) and
 * the status directory (running, stalled, crashed processes and the rate-limit budget a
 * running sync last saw). Nothing is counted twice: a sync in another process shows here
 * because it writes its counters to `sync_runs` after every page.
 */
import type { Settings } from "../config/config.ts";
import { processSnapshot } from "../monitor/snapshot.ts";
import { hostName, isProcessAlive } from "../registry/process_info.ts";
import { type ProcessRecord, readStatus, type StatusReport } from "../registry/status_reader.ts";
import type { RunBuckets, RunTotals } from "../store/store_metrics.ts";
import { Store } from "../store/store.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { DURATION_BUCKETS, THROUGHPUT_BUCKETS } from "./catalog.ts";

/** Outcomes of a finished run. */
export const RUN_OUTCOMES = ["completed", "failed", "interrupted", "crashed"] as const;
/** A finished run's outcome. */
export type RunOutcome = typeof RUN_OUTCOMES[number];

/** Process states as exported (exclusive: each process counts once). */
export const PROCESS_STATES = ["running", "no_progress", "stalled", "crashed"] as const;
/** A process's exported state. */
export type ProcessState = typeof PROCESS_STATES[number];

/** The store's part of a sample. */
export interface StoreSample {
  conversations: number;
  parts: number;
  contacts: number;
  sizeBytes: number;
  runs: RunTotals;
  durations: Record<RunOutcome, RunBuckets>;
  throughput: RunBuckets;
  /** API requests by `"<endpoint> <status>"` summed over runs; empty until runs record them. */
  apiRequests: { endpoint: string; status: string; count: number }[];
}

/** Everything one scrape exports (besides in-process MCP metrics). */
export interface MetricsSample {
  /** Null when the store is missing or unreadable. */
  store: StoreSample | null;
  processes: Record<ProcessState, number>;
  /** The lowest budget a running sync last reported; null when none did. */
  rateLimitRemaining: number | null;
}

/** Options for {@link collectMetricsSample}. */
export interface SampleOptions {
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Reads the store; tests inject failures. Default: opens `settings.paths.storeFile`. */
  readStore?: (path: string) => StoreSample | null;
}

/** The counters of an open store (read-only is enough). */
export function sampleFromStore(store: Store): StoreSample {
  const stats = store.rowCounts();
  const durations = Object.fromEntries(
    RUN_OUTCOMES.map((status) => [
      status,
      store.runBuckets("duration_seconds", { status, bounds: DURATION_BUCKETS }),
    ]),
  ) as Record<RunOutcome, RunBuckets>;
  return {
    conversations: stats.conversations,
    parts: stats.parts,
    contacts: stats.contacts,
    sizeBytes: stats.sizeBytes,
    runs: store.runTotals(),
    durations,
    throughput: store.runBuckets("conversations_per_second", {
      status: "completed",
      bounds: THROUGHPUT_BUCKETS,
    }),
    apiRequests: store.apiRequestTotals(),
  };
}

/** Reads the store's counters; null when there is no store or it cannot be read. */
export function readStoreSample(path: string): StoreSample | null {
  try {
    Deno.statSync(path);
  } catch {
    return null;
  }
  try {
    using store = Store.open(path, { readOnly: true, busyTimeoutMs: 2000 });
    return sampleFromStore(store);
  } catch {
    return null;
  }
}

/** Counts processes by exported state at `now`. */
export function processStates(
  records: ProcessRecord[],
  now: number,
  stallAfterSeconds: number,
): Record<ProcessState, number> {
  const counts: Record<ProcessState, number> = {
    running: 0,
    no_progress: 0,
    stalled: 0,
    crashed: 0,
  };
  for (const record of records) {
    const p = processSnapshot(record, now, stallAfterSeconds);
    if (p.alert !== null) counts[p.alert]++;
    else if (p.no_progress) counts.no_progress++;
    else counts.running++;
  }
  return counts;
}

/** The lowest `rate_limit_remaining` that running processes recorded in their metadata. */
export function rateLimitRemaining(records: ProcessRecord[]): number | null {
  let lowest: number | null = null;
  for (const record of records) {
    if (record.status !== "running") continue;
    const value = record.metadata?.rate_limit_remaining;
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    lowest = lowest === null ? value : Math.min(lowest, value);
  }
  return lowest;
}

/** Marks running or stalled records of this host whose pid is gone as crashed. */
function markGone(report: StatusReport): StatusReport {
  const host = hostName();
  const active = report.active.map((r) =>
    (r.status === "running" || r.status === "stalled") && r.hostname === host &&
      isProcessAlive(r.pid) === false
      ? { ...r, status: "crashed" as const }
      : r
  );
  return { ...report, active };
}

/** Collects one sample; the store and the status directory are read concurrently. */
export async function collectMetricsSample(
  settings: Settings,
  options: SampleOptions = {},
): Promise<MetricsSample> {
  const now = (options.clock ?? systemClock)();
  const readStore = options.readStore ?? readStoreSample;
  const [report, store] = await Promise.all([
    // no `ps` per scrape (it costs ~5–30 ms on a busy host): a gone pid is found with a
    // signal-0 check; a pid reused by another program is not told apart here, and reads as
    // stalled once its heartbeats stop (monitor status and debug health do the full check)
    readStatus(settings.paths.statusDir, {
      stallAfterSeconds: settings.stallAfterSeconds,
      clock: () => now,
      checkPid: false,
    }).then(markGone, () => null),
    Promise.resolve().then(() => readStore(settings.paths.storeFile)),
  ]);
  const active = report?.active ?? [];
  return {
    store,
    processes: processStates(active, now, settings.stallAfterSeconds),
    rateLimitRemaining: rateLimitRemaining(active),
  };
}
