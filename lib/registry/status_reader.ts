/**
 * The status directory shared by every process: its record types, and reading it with derived
 * states (a running record whose process is gone is `crashed`, one without a heartbeat for the
 * threshold is `stalled`). Written only through `status_writer.ts` by the status tracker of each
 * process; read by `monitor status`, `monitor logs`, `debug health` and the MCP server's status.
 * Every file is replaced atomically, so readers never see half a file.
 *
 * ```
 * <dir>/active_processes.json      { "<process_id>": ProcessRecord }   running processes
 * <dir>/completed_processes.json   { "<process_id>": ProcessRecord }   ended, kept `retentionDays`
 * <dir>/status_summary.json        counts by status and type
 * <dir>/aggregated_logs/<id>.log   lines a process chose to keep
 * ```
 */

import { join } from "node:path";
import { type Clock, systemClock } from "../util/clock.ts";
import { hostName, isProcessAlive, processStartTimes } from "./process_info.ts";

/** File names inside the status directory. */
export const STATUS_FILES = {
  active: "active_processes.json",
  completed: "completed_processes.json",
  summary: "status_summary.json",
  lock: ".status.lock",
  logs: "aggregated_logs",
} as const;

/** States of a process record; `crashed` and `stalled` are derived when reading. */
export type ProcessStatus =
  | "running"
  | "completed"
  | "failed"
  | "interrupted"
  | "crashed"
  | "stalled";

/** The last reported progress of a process. */
export interface ProcessProgress {
  current: number | null;
  total: number | null;
  percentage: number | null;
  message: string | null;
  rate: number | null;
  eta_seconds: number | null;
  /** What it is doing besides counting items ("waiting for rate limit, resets in 7s"). */
  phase?: string | null;
}

/** One process, as stored in active_processes.json / completed_processes.json. */
export interface ProcessRecord {
  process_id: string;
  process_type: string;
  status: ProcessStatus;
  pid: number;
  /** `ps` start time of `pid` (UTC ISO), to tell a reused pid apart; null if unknown. */
  pid_start_time: string | null;
  hostname: string;
  start_time: string;
  end_time: string | null;
  /** Last time the process reported anything (update or heartbeat). */
  last_heartbeat: string;
  /** Last time its counter of items done moved (or its first report). */
  last_progress: string | null;
  description: string;
  log_files: string[];
  progress: ProcessProgress;
  metadata: Record<string, unknown>;
  session_id: string;
  error: string | null;
}

/** Processes keyed by id. */
export type ProcessMap = Record<string, ProcessRecord>;

/** Counts written to status_summary.json and returned by {@link readStatus}. */
export interface StatusSummary {
  updated_at: string;
  active_count: number;
  completed_count: number;
  by_status: Partial<Record<ProcessStatus, number>>;
  by_type: Record<string, Partial<Record<ProcessStatus, number>>>;
}

/** Options for reading with derived states. */
export interface ReadStatusOptions {
  /** Default: `systemClock`. */
  clock?: Clock;
  /** A running record without a heartbeat for this long is `stalled`. Default: 60. */
  stallAfterSeconds?: number;
  /** Check that recorded pids still exist and started when recorded. Default: true. */
  checkPid?: boolean;
}

function safeEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The status directory: `FASTINTERCOM_STATUS_DIR`, else `~/.fastintercom-status`. */
export function defaultStatusDir(
  options: { env?: (name: string) => string | undefined } = {},
): string {
  const env = options.env ?? safeEnv;
  const configured = env("FASTINTERCOM_STATUS_DIR");
  if (configured) return configured;
  const home = env("HOME") ?? env("USERPROFILE") ?? ".";
  return join(home, ".fastintercom-status");
}

/** Reads a process map; `{}` when the file does not exist yet. Throws SyntaxError if corrupt. */
export async function readProcessMap(path: string): Promise<ProcessMap> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  const value = JSON.parse(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SyntaxError(`"${path}" does not hold an object of process records`);
  }
  return value as ProcessMap;
}

/** Counts processes by status and by type. */
export function summarize(records: ProcessRecord[], activeCount: number, now: number) {
  const summary: StatusSummary = {
    updated_at: new Date(now).toISOString(),
    active_count: activeCount,
    completed_count: records.length - activeCount,
    by_status: {},
    by_type: {},
  };
  for (const record of records) {
    summary.by_status[record.status] = (summary.by_status[record.status] ?? 0) + 1;
    const byType = (summary.by_type[record.process_type] ??= {});
    byType[record.status] = (byType[record.status] ?? 0) + 1;
  }
  return summary;
}

/**
 * Which running records are really `crashed` (pid gone, or reused by a process that started
 * at another time) or `stalled` (no heartbeat for the threshold). Only pids of this host are
 * checked. Returns the derived status by process id.
 */
export async function deriveStatuses(
  records: ProcessRecord[],
  options: ReadStatusOptions = {},
): Promise<Map<string, "crashed" | "stalled">> {
  const now = (options.clock ?? systemClock)();
  const stallMs = (options.stallAfterSeconds ?? 60) * 1000;
  const derived = new Map<string, "crashed" | "stalled">();
  const running = records.filter((r) => r.status === "running");
  const host = hostName();
  const local = options.checkPid === false ? [] : running.filter((r) => r.hostname === host);
  for (const record of local) {
    if (isProcessAlive(record.pid) === false) derived.set(record.process_id, "crashed");
  }
  const withStart = local.filter((r) => r.pid_start_time !== null && !derived.has(r.process_id));
  const starts = withStart.length > 0 ? await processStartTimes(withStart.map((r) => r.pid)) : null;
  for (const record of withStart) {
    if (starts !== null && starts.get(record.pid) !== record.pid_start_time) {
      derived.set(record.process_id, "crashed");
    }
  }
  for (const record of running) {
    if (derived.has(record.process_id)) continue;
    const heartbeat = Date.parse(record.last_heartbeat);
    if (!(now - heartbeat <= stallMs)) derived.set(record.process_id, "stalled");
  }
  return derived;
}

/** What {@link readStatus} returns. */
export interface StatusReport {
  /** Running processes (oldest first) with derived `crashed` / `stalled` states. */
  active: ProcessRecord[];
  /** Ended processes, most recent first. */
  completed: ProcessRecord[];
  summary: StatusSummary;
}

/** Reads the status directory without locking, deriving `crashed` and `stalled` states. */
export async function readStatus(
  dir: string,
  options: ReadStatusOptions = {},
): Promise<StatusReport> {
  // active before completed: writers add to completed before removing from active
  const activeMap = await readProcessMap(join(dir, STATUS_FILES.active));
  const completedMap = await readProcessMap(join(dir, STATUS_FILES.completed));
  const active = Object.values(activeMap).filter((r) => !(r.process_id in completedMap));
  const derived = await deriveStatuses(active, options);
  const activeList = active
    .map((record) => {
      const status = derived.get(record.process_id);
      return status === undefined ? record : { ...record, status };
    })
    .sort((a, b) => a.start_time.localeCompare(b.start_time));
  const completed = Object.values(completedMap)
    .sort((a, b) => (b.end_time ?? "").localeCompare(a.end_time ?? ""));
  const now = (options.clock ?? systemClock)();
  const summary = summarize([...activeList, ...completed], activeList.length, now);
  return { active: activeList, completed, summary };
}
