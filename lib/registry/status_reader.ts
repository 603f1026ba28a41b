/**
 * The status directory shared by every process: its record types, reading with derived
 * states (a running record whose process is gone is `crashed`, one without a heartbeat for
 * the threshold is `stalled`), and the locked read-modify-write the tracker, `reconcile()`
 * and `prune()` use. Every file is replaced atomically, so readers never see half a file.
 *
 * ```
 * <dir>/active_processes.json      { "<process_id>": ProcessRecord }   running processes
 * <dir>/completed_processes.json   { "<process_id>": ProcessRecord }   ended, kept `retentionDays`
 * <dir>/status_summary.json        counts by status and type
 * <dir>/aggregated_logs/<id>.log   lines a process chose to keep
 * ```
 */

import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { type FileLockOptions, withFileLock } from "./file_lock.ts";
import { hostName, isProcessAlive, processStartTimes } from "./process_info.ts";

const logger = getLogger(["fast-intercom", "status"]);

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
  /** Last time the process reported progress. */
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

/** The contents of the status directory, locked for modification. */
export interface StatusState {
  active: ProcessMap;
  completed: ProcessMap;
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

function writeJson(path: string, value: unknown): Promise<void> {
  return atomicWriteTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

/** Reads a map for modification; a corrupt file is moved aside (and logged) instead of lost. */
async function readForUpdate(path: string): Promise<ProcessMap> {
  try {
    return await readProcessMap(path);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const aside = `${path}.corrupt-${Date.now()}`;
    await Deno.rename(path, aside);
    logger.error("Status file {path} was corrupt; moved to {aside} and started afresh", {
      path,
      aside,
    });
    return {};
  }
}

/**
 * Runs `fn` on the status files under the directory lock and writes back what changed
 * (each file atomically), refreshing status_summary.json.
 */
export async function mutateStatus<T>(
  dir: string,
  fn: (state: StatusState) => T | Promise<T>,
  options: { clock?: Clock; lock?: FileLockOptions } = {},
): Promise<T> {
  await Deno.mkdir(dir, { recursive: true });
  return await withFileLock(join(dir, STATUS_FILES.lock), async () => {
    const activePath = join(dir, STATUS_FILES.active);
    const completedPath = join(dir, STATUS_FILES.completed);
    const state = {
      active: await readForUpdate(activePath),
      completed: await readForUpdate(completedPath),
    };
    const before = {
      active: JSON.stringify(state.active),
      completed: JSON.stringify(state.completed),
    };
    const result = await fn(state);
    const completedChanged = JSON.stringify(state.completed) !== before.completed;
    const activeChanged = JSON.stringify(state.active) !== before.active;
    // completed first: a record being moved is then always in at least one file for a
    // reader that reads active first (as readStatus does)
    if (completedChanged) await writeJson(completedPath, state.completed);
    if (activeChanged) await writeJson(activePath, state.active);
    if (activeChanged || completedChanged) {
      const active = Object.values(state.active);
      const all = [...active, ...Object.values(state.completed)];
      const summary = summarize(all, active.length, (options.clock ?? systemClock)());
      await writeJson(join(dir, STATUS_FILES.summary), summary);
    }
    return result;
  }, options.lock);
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

/**
 * Moves running records whose process is gone to completed as `crashed`, under the lock.
 * Returns the ids moved. Stalled records stay active: they may still recover.
 */
export async function reconcile(dir: string, options: ReadStatusOptions = {}): Promise<string[]> {
  const now = (options.clock ?? systemClock)();
  return await mutateStatus(dir, async (state) => {
    const derived = await deriveStatuses(Object.values(state.active), options);
    const moved: string[] = [];
    for (const [id, status] of derived) {
      const record = state.active[id];
      if (status !== "crashed" || record === undefined) continue;
      delete state.active[id];
      state.completed[id] = {
        ...record,
        status: "crashed",
        end_time: new Date(now).toISOString(),
        error: record.error ??
          `process ${record.pid} ended without reporting (killed or crashed)`,
      };
      moved.push(id);
    }
    return moved;
  }, { clock: options.clock ?? systemClock });
}

/** Options for {@link prune}. */
export interface PruneOptions {
  /** Completed records and logs older than this are removed. Default: 7. */
  retentionDays?: number;
  /** At most this many completed records are kept (newest). Default: 1000. */
  maxCompleted?: number;
  /** Default: `systemClock`. */
  clock?: Clock;
}

/** Removes completed records and aggregated logs past retention. Returns the ids removed. */
export async function prune(dir: string, options: PruneOptions = {}): Promise<string[]> {
  const now = (options.clock ?? systemClock)();
  const cutoff = now - (options.retentionDays ?? 7) * 86_400_000;
  const maxCompleted = options.maxCompleted ?? 1000;
  const { removed, keep } = await mutateStatus(dir, (state) => {
    const records = Object.values(state.completed)
      .sort((a, b) => (b.end_time ?? "").localeCompare(a.end_time ?? ""));
    const removed: string[] = [];
    records.forEach((record, index) => {
      const ended = Date.parse(record.end_time ?? record.start_time);
      if (index >= maxCompleted || !(ended >= cutoff)) {
        delete state.completed[record.process_id];
        removed.push(record.process_id);
      }
    });
    return {
      removed,
      keep: new Set([...Object.keys(state.active), ...Object.keys(state.completed)]),
    };
  }, { clock: options.clock ?? systemClock });
  await removeOldLogs(join(dir, STATUS_FILES.logs), keep, new Set(removed), cutoff);
  return removed;
}

/** Deletes logs of removed processes, and unreferenced logs last written before `cutoff`. */
async function removeOldLogs(
  logDir: string,
  keep: Set<string>,
  removed: Set<string>,
  cutoff: number,
): Promise<void> {
  try {
    for await (const entry of Deno.readDir(logDir)) {
      if (!entry.isFile || !entry.name.endsWith(".log")) continue;
      const id = entry.name.slice(0, -".log".length);
      if (keep.has(id)) continue;
      const path = join(logDir, entry.name);
      const stale = removed.has(id) || ((await Deno.stat(path)).mtime?.getTime() ?? 0) < cutoff;
      if (stale) await Deno.remove(path).catch(() => {});
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
