/**
 * The only code that writes the status directory (see `status_reader.ts` for its layout and
 * readers): a locked read-modify-write, and the housekeeping every tracker does once
 * (`reconcile()`, `prune()`). The status tracker is its one caller.
 */

import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { type FileLockOptions, withFileLock } from "./file_lock.ts";
import {
  deriveStatuses,
  type ProcessMap,
  readProcessMap,
  type ReadStatusOptions,
  STATUS_FILES,
  summarize,
} from "./status_reader.ts";
import { ensurePrivateDir } from "../util/private_files.ts";

const logger = getLogger(["fast-intercom", "status"]);

/** The contents of the status directory, locked for modification. */
export interface StatusState {
  active: ProcessMap;
  completed: ProcessMap;
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
  await ensurePrivateDir(dir);
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
