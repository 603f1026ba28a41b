/**
 * `monitor status`: one snapshot of everything an operator asks about: is the API really
 * reachable with this token (a real `GET /me`, cached briefly), what the store holds, how the
 * last sync went, what is running now (progress, rate, ETA, stalled or crashed), and the
 * errors of the last hour. Every field is measured, none assumed. JSON fields are snake_case.
 */
import type { Settings } from "../config/config.ts";
import { type Anomaly, detectAnomalies } from "../trends/anomalies.ts";
import { runTrend } from "../trends/run_trend.ts";
import { ANOMALY_HISTORY, trendReport } from "../trends/trends.ts";
import { ALL_LINES } from "../logs/filter.ts";
import { readErrors } from "../logs/errors.ts";
import { type ProcessRecord, readStatus, type StatusReport } from "../registry/status_reader.ts";
import { explainError, explainSqliteCondition, sqliteCondition } from "../explain_error.ts";
import { readSyncVerdict } from "../health/sync_check.ts";
import { crashDescription, type SyncState } from "../health/sync_verdict.ts";
import { Store } from "../store/store.ts";
import type { SyncRun } from "../sync/run_record.ts";
import { countsJson, type RunCountsJson } from "../sync/run_record.ts";
import { type Clock, isoOrNull, systemClock } from "../util/clock.ts";
import type { ApiProbeCache, ApiState } from "../health/api_probe.ts";

/** The API connection as the snapshot reports it. */
export interface ConnectionSnapshot {
  state: ApiState | "not_checked";
  detail: string;
  api_url: string;
  latency_ms: number | null;
  checked_at: string | null;
  /** Whether the result was reused from a probe less than a cache period old. */
  cached: boolean;
  workspace: { id: string; name: string } | null;
}

/** The local store. */
export interface DatabaseSnapshot {
  available: boolean;
  /** `damaged`: SQLite reports the file malformed; `unavailable`: any other reason. */
  state: "available" | "missing" | "damaged" | "unavailable";
  path: string;
  conversations: number;
  parts: number;
  contacts: number;
  size_bytes: number;
  schema_version: number | null;
  /** Records the sync could not read, set aside and retried every sync (`status` lists them). */
  quarantined: number;
  tickets: number;
  companies: number;
  /**
   * Each stream's cursor beyond conversations (tickets, companies), ISO in both fields:
   * `cursor_iso` is the field (and format, whole seconds) `status --json` and `sync --json`
   * share; `cursor` keeps its milliseconds as before.
   */
  streams: {
    stream: string;
    cursor: string | null;
    cursor_iso: string | null;
    interrupted: boolean;
  }[];
  /** Why it is not available, when it is not. */
  error: string | null;
}

/** The newest sync run recorded in the store, with its counters. */
export interface LastSyncSnapshot extends RunCountsJson {
  run_id: number;
  status: string;
  mode: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

/** A process of the status tracker, with a loud alert when it crashed or stalled. */
export interface ProcessSnapshot {
  process_id: string;
  process_type: string;
  status: string;
  alert: "crashed" | "stalled" | null;
  description: string;
  pid: number;
  current: number | null;
  total: number | null;
  percentage: number | null;
  rate: number | null;
  eta_seconds: number | null;
  message: string | null;
  /** What it is doing besides counting items ("waiting for rate limit, resets in 7s"). */
  phase?: string | null;
  started_at: string;
  last_heartbeat: string;
  heartbeat_age_seconds: number;
  /** Seconds since the process last reported progress (null before its first report). A live
   * process whose progress stopped for longer than the stall threshold is flagged by
   * `no_progress`: alive, but perhaps stuck (retrying, waiting on a hung request). */
  progress_age_seconds: number | null;
  no_progress: boolean;
}

/** Errors of the recent window. */
export interface ErrorsSnapshot {
  window_seconds: number;
  /** Errors (error and fatal lines). */
  count: number;
  /** Warnings: what the program recovered from (retries, 429 waits). */
  warnings: number;
  /** Errors by category. */
  by_category: Record<string, number>;
  /** The newest error. */
  newest: {
    timestamp: string;
    category: string;
    kind: string;
    component: string;
    message: string;
  } | null;
}

/** The whole snapshot. */
export interface MonitorSnapshot {
  generated_at: string;
  connection: ConnectionSnapshot;
  database: DatabaseSnapshot;
  last_sync: LastSyncSnapshot | null;
  processes: ProcessSnapshot[];
  /** The state of this data directory's sync, as `status` and `debug health` decide it. */
  sync: {
    state: SyncState;
    detail: string;
    /** A crash no completed sync has followed yet (`debug health` fails on it), or null. */
    unresolved_crash: string | null;
  };
  errors: ErrorsSnapshot;
  /** Anomalies of the run history (median/MAD; see `monitor trends`). */
  anomalies: Anomaly[];
}

/** Options for {@link collectMonitorSnapshot}. */
export interface SnapshotOptions {
  /** Probes (cached) the API; null leaves the connection "not_checked". */
  api: ApiProbeCache | null;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Window of the error count. Default: 3600 s. */
  errorWindowSeconds?: number;
}

/** Pages the monitor's damage check reads per refresh (a refresh every few seconds adds up). */
const MONITOR_SAMPLE_PAGES = 2048;

const iso = (seconds: number | null) =>
  seconds === null ? null : new Date(seconds * 1000).toISOString();

/** Gathers one snapshot; independent parts are read concurrently. */
export async function collectMonitorSnapshot(
  settings: Settings,
  options: SnapshotOptions,
): Promise<MonitorSnapshot> {
  const clock = options.clock ?? systemClock;
  const now = clock();
  const window = options.errorWindowSeconds ?? 3600;
  // the status directory is read once: for the processes and for the verdict
  const [connection, status, errors] = await Promise.all([
    connectionOf(settings, options.api),
    readStatus(settings.paths.statusDir, {
      stallAfterSeconds: settings.stallAfterSeconds,
      clock: () => now,
    }),
    errorsOf(settings.paths.logDir, now, window),
  ]);
  const processes = processesOf(settings, status, now);
  const { database, lastSync, runs, lastCompleted, history } = databaseOf(settings);
  const verdict = await readSyncVerdict(settings.paths, { runs, lastCompleted }, {
    now,
    stallAfterSeconds: settings.stallAfterSeconds,
  }, status).catch(() => null);
  // the newest run, left running by a process that is gone, is crashed here as everywhere
  if (lastSync !== null && verdict?.state === "crashed" && verdict.runId === lastSync.run_id) {
    lastSync.status = "crashed";
  }
  return {
    generated_at: new Date(now).toISOString(),
    connection,
    database,
    last_sync: lastSync,
    processes,
    sync: verdict === null
      ? { state: "none", detail: "the state of the sync cannot be read", unresolved_crash: null }
      : {
        state: verdict.state,
        detail: verdict.detail,
        unresolved_crash: verdict.crash === null ? null : crashDescription(verdict.crash),
      },
    errors,
    // judged on the runs the database section read; reread only when it could not read them
    anomalies: history === null
      ? anomaliesOf(settings.paths.storeFile, now)
      : detectAnomalies(history.map(runTrend), Math.floor(now / 1000)),
  };
}

function anomaliesOf(storeFile: string, now: number): Anomaly[] {
  try {
    return trendReport(storeFile, Math.floor(now / 1000), { limit: 0 }).anomalies;
  } catch {
    return []; // the database section already says why the store cannot be read
  }
}

async function connectionOf(
  settings: Settings,
  api: ApiProbeCache | null,
): Promise<ConnectionSnapshot> {
  if (api === null) {
    return {
      state: "not_checked",
      detail: "not checked",
      api_url: settings.apiUrl,
      latency_ms: null,
      checked_at: null,
      cached: false,
      workspace: null,
    };
  }
  const { probe, cached } = await api.get(settings);
  return {
    state: probe.state,
    detail: probe.detail,
    api_url: probe.apiUrl,
    latency_ms: probe.latencyMs,
    checked_at: new Date(probe.checkedAt).toISOString(),
    cached,
    workspace: probe.workspace,
  };
}

function databaseOf(settings: Settings): {
  database: DatabaseSnapshot;
  lastSync: LastSyncSnapshot | null;
  runs: SyncRun[];
  lastCompleted: SyncRun | null;
  /** The newest {@link ANOMALY_HISTORY} runs for the anomalies; null when not read. */
  history: SyncRun[] | null;
} {
  const path = settings.paths.storeFile;
  const none = { lastSync: null, runs: [], lastCompleted: null, history: null };
  const empty = {
    available: false,
    path,
    conversations: 0,
    parts: 0,
    contacts: 0,
    size_bytes: 0,
    schema_version: null,
    quarantined: 0,
    tickets: 0,
    companies: 0,
    streams: [],
  };
  try {
    Deno.statSync(path);
  } catch {
    return {
      database: { ...empty, state: "missing", error: "no store yet: run `fast-intercom-mcp sync`" },
      ...none,
    };
  }
  try {
    using store = Store.open(path, { readOnly: true, busyTimeoutMs: 2000 });
    // the same damage check as `debug health` and `status`, on a smaller sample per refresh
    const integrity = store.checkIntegrity({ maxPages: MONITOR_SAMPLE_PAGES });
    if (!integrity.sound) {
      return {
        database: {
          ...empty,
          state: "damaged",
          error: `${explainSqliteCondition("damaged", `the store ${path}`)} (${integrity.detail})`,
        },
        ...none,
      };
    }
    const stats = store.stats();
    const history = store.lastRuns(Math.max(20, ANOMALY_HISTORY));
    const runs = history.slice(0, 20);
    const run = runs[0];
    const support = store.support.counts();
    return {
      runs,
      history,
      lastCompleted: store.lastCompletedRun(),
      database: {
        available: true,
        state: "available",
        path,
        conversations: stats.conversations,
        parts: stats.parts,
        contacts: stats.contacts,
        size_bytes: stats.sizeBytes,
        schema_version: store.schemaVersion(),
        quarantined: store.gapCounts().quarantined,
        tickets: support.tickets,
        companies: support.companies,
        streams: store.support.streams().map((st) => ({
          stream: st.stream,
          cursor: iso(st.cursor),
          cursor_iso: isoOrNull(st.cursor),
          interrupted: st.checkpoint !== null,
        })),
        error: null,
      },
      lastSync: run === undefined ? null : {
        run_id: run.id,
        status: run.status,
        mode: run.mode,
        started_at: iso(run.startedAt)!,
        finished_at: iso(run.finishedAt),
        ...countsJson(run),
        error: run.error,
      },
    };
  } catch (error) {
    const damaged = sqliteCondition(error) === "damaged";
    const message = explainError(error, { storePath: `the store ${path}` }) ??
      (error instanceof Error ? error.message : String(error));
    return {
      database: { ...empty, state: damaged ? "damaged" : "unavailable", error: message },
      ...none,
    };
  }
}

function processesOf(settings: Settings, report: StatusReport, now: number): ProcessSnapshot[] {
  return report.active.map((record) => processSnapshot(record, now, settings.stallAfterSeconds));
}

/** The snapshot of one status record at `now` (ms); `stallAfterSeconds` defaults to 60. */
export function processSnapshot(
  record: ProcessRecord,
  now: number,
  stallAfterSeconds = 60,
): ProcessSnapshot {
  const alert = record.status === "crashed" || record.status === "stalled" ? record.status : null;
  const progressAge = record.last_progress === null
    ? null
    : Math.max(0, Math.round((now - Date.parse(record.last_progress)) / 1000));
  return settleProcess({
    process_id: record.process_id,
    process_type: record.process_type,
    status: record.status,
    alert,
    description: record.description,
    pid: record.pid,
    current: record.progress.current,
    total: record.progress.total,
    percentage: record.progress.percentage,
    rate: record.progress.rate,
    eta_seconds: record.progress.eta_seconds,
    message: record.progress.message,
    phase: record.progress.phase ?? null,
    started_at: record.start_time,
    last_heartbeat: record.last_heartbeat,
    heartbeat_age_seconds: Math.max(
      0,
      Math.round((now - Date.parse(record.last_heartbeat)) / 1000),
    ),
    progress_age_seconds: progressAge,
    no_progress: false,
  }, stallAfterSeconds);
}

/**
 * Flags `no_progress` from the ages, and drops the rate and ETA of a process that is not
 * moving: they were measured before it stopped, and would promise what is not happening.
 */
export function settleProcess(p: ProcessSnapshot, stallAfterSeconds: number): ProcessSnapshot {
  const noProgress = p.alert === null && p.progress_age_seconds !== null &&
    p.progress_age_seconds > stallAfterSeconds;
  const moving = p.alert === null && !noProgress;
  return {
    ...p,
    no_progress: noProgress,
    rate: moving ? p.rate : null,
    eta_seconds: moving ? p.eta_seconds : null,
  };
}

async function errorsOf(logDir: string, now: number, window: number): Promise<ErrorsSnapshot> {
  const filter = { ...ALL_LINES, since: now - window * 1000 };
  const byCategory: Record<string, number> = {};
  let count = 0;
  let warnings = 0;
  let newest: ErrorsSnapshot["newest"] = null;
  for await (const batch of readErrors(logDir, filter)) {
    for (const { entry, category, kind, severity } of batch) {
      if (severity === "warning") {
        warnings++;
        continue;
      }
      byCategory[category] = (byCategory[category] ?? 0) + 1;
      count++;
      newest = {
        timestamp: entry.timestamp,
        category,
        kind,
        component: entry.component,
        message: entry.message,
      };
    }
  }
  return { window_seconds: window, count, warnings, by_category: byCategory, newest };
}
