/**
 * What the web dashboard shows, read from the same sources as `monitor status`: processes
 * from the status directory (flagged as `processSnapshot` flags them), the last runs and the
 * run totals from `sync_runs`, store counts, warnings and errors of the last hour by category
 * from the logs, and the `debug health` checks. Each reader is a pure-ish function of the
 * settings and a time, so the feed decides how often each runs.
 */
import type { Settings } from "../config/config.ts";
import { runHealthChecks } from "../health/health.ts";
import { categorizeError } from "../logs/error_categories.ts";
import { levelRank } from "../logs/entry.ts";
import { ALL_LINES } from "../logs/filter.ts";
import { readLogs } from "../logs/reader.ts";
import { type ProcessSnapshot, processSnapshot } from "../monitor/snapshot.ts";
import { readStatus } from "../registry/status_reader.ts";
import type { Store } from "../store/store.ts";
import type { StoreHandle } from "../metrics/store_reader.ts";
import type { RunStatusTotals } from "../store/store_metrics.ts";

/** A finished or running run, for the "last runs" table. */
export interface RunRow {
  id: number;
  status: string;
  mode: string;
  started_at: number;
  finished_at: number | null;
  duration_seconds: number | null;
  conversations_fetched: number;
  parts_upserted: number;
  api_calls: number;
  retries: number;
  rate_limited: number;
  conversations_per_second: number | null;
  error: string | null;
}

/** Cumulative counters over every run, sampled for the charts. */
export interface Totals {
  conversations_fetched: number;
  api_calls: number;
  rate_limited: number;
  retries: number;
}

/** Store counts. */
export interface StoreCounts {
  available: boolean;
  conversations: number;
  parts: number;
  contacts: number;
  size_bytes: number;
}

/** Warnings and errors of a window by category. */
export interface LogActivity {
  window_seconds: number;
  errors: number;
  warnings: number;
  /** category → counts by level. */
  by_category: Record<string, { errors: number; warnings: number }>;
  newest: { timestamp: string; level: string; category: string; message: string }[];
}

/** The `debug health` verdict, as the dashboard lists it. */
export interface HealthSummary {
  checked_at: string;
  status: string;
  checks: { name: string; status: string; detail: string }[];
}

/** The store's part: last runs, run totals and counts (null when there is no store). */
export interface StoreRead {
  runs: RunRow[];
  totals: Totals;
  counts: StoreCounts | null;
}

const NO_STORE: StoreRead = {
  runs: [],
  totals: { conversations_fetched: 0, api_calls: 0, rate_limited: 0, retries: 0 },
  counts: null,
};

/** Processes of the status directory at `now`, flagged. */
export async function readProcesses(settings: Settings, now: number): Promise<ProcessSnapshot[]> {
  const report = await readStatus(settings.paths.statusDir, {
    stallAfterSeconds: settings.stallAfterSeconds,
    clock: () => now,
  }).catch(() => null);
  return (report?.active ?? []).map((r) => processSnapshot(r, now, settings.stallAfterSeconds));
}

function runRow(run: ReturnType<Store["lastRuns"]>[number]): RunRow {
  const duration = run.finishedAt === null ? null : Math.max(0, run.finishedAt - run.startedAt);
  return {
    id: run.id,
    status: run.status,
    mode: run.mode,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    duration_seconds: duration,
    conversations_fetched: run.conversationsFetched,
    parts_upserted: run.partsUpserted,
    api_calls: run.apiCalls,
    retries: run.retries,
    rate_limited: run.rateLimited,
    conversations_per_second: duration ? run.conversationsFetched / duration : null,
    error: run.error,
  };
}

/** Last runs and totals; with `counts`, the row counts too (the costly part). */
export function readStore(
  handle: StoreHandle,
  options: { counts: boolean; runs?: number },
): StoreRead {
  try {
    const store = handle.get();
    if (store === null) return NO_STORE;
    const all: RunStatusTotals[] = Object.values(store.runTotals().byStatus);
    const sum = (pick: (t: RunStatusTotals) => number) => all.reduce((n, t) => n + pick(t), 0);
    const counts = options.counts ? store.rowCounts() : null;
    return {
      runs: store.lastRuns(options.runs ?? 10).map(runRow),
      totals: {
        conversations_fetched: sum((t) => t.conversationsFetched),
        api_calls: sum((t) => t.apiCalls),
        rate_limited: sum((t) => t.rateLimited),
        retries: sum((t) => t.retries),
      },
      counts: counts === null ? null : {
        available: true,
        conversations: counts.conversations,
        parts: counts.parts,
        contacts: counts.contacts,
        size_bytes: counts.sizeBytes,
      },
    };
  } catch {
    handle.close();
    return NO_STORE;
  }
}

const WARNING_RANK = levelRank("warning");
const ERROR_RANK = levelRank("error");

/** Warnings and errors of the last `windowSeconds` by category, with the 5 newest. */
export async function readLogActivity(
  logDir: string,
  now: number,
  windowSeconds = 3600,
): Promise<LogActivity> {
  const activity: LogActivity = {
    window_seconds: windowSeconds,
    errors: 0,
    warnings: 0,
    by_category: {},
    newest: [],
  };
  const filter = {
    ...ALL_LINES,
    levels: { min: WARNING_RANK, max: ALL_LINES.levels.max },
    since: now - windowSeconds * 1000,
  };
  try {
    for await (const batch of readLogs(logDir, filter)) {
      for (const entry of batch) {
        const isError = levelRank(entry.level) >= ERROR_RANK;
        const { category } = categorizeError(entry);
        const slot = activity.by_category[category] ??= { errors: 0, warnings: 0 };
        if (isError) {
          slot.errors++;
          activity.errors++;
        } else {
          slot.warnings++;
          activity.warnings++;
        }
        activity.newest.push({
          timestamp: entry.timestamp,
          level: entry.level,
          category,
          message: entry.message.replace(/\s+/g, " ").slice(0, 300),
        });
        if (activity.newest.length > 5) activity.newest.shift();
      }
    }
  } catch {
    // no log directory yet, or it vanished while read: nothing to show
  }
  activity.newest.reverse();
  return activity;
}

/** Runs the `debug health` checks (with the API probe) for the dashboard. */
export async function readHealth(settings: Settings): Promise<HealthSummary> {
  const loaded = { paths: settings.paths, settings, error: null };
  const report = await runHealthChecks(loaded, { api: settings.token !== null });
  return {
    checked_at: report.checked_at,
    status: report.status,
    checks: report.checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail })),
  };
}
