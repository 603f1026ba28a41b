/**
 * One sync per data directory: the lock file `sync.lock` (see `registry/file_lock.ts`), taken
 * at once or refused. Its holder (`sync.lock.json`) is written by the sync holding it and read
 * by a second `sync` (for its message) and by `status` (`probeSyncLock`).
 */
import { getLogger } from "@logtape/logtape";
import {
  acquireFileLock,
  type FileLock,
  type LockHolder,
  probeFileLock,
} from "../registry/file_lock.ts";

export type { LockHolder } from "../registry/file_lock.ts";

/** A held sync lock; release it with `release()` or `using`. */
export type SyncLock = FileLock;

/** Options for {@link acquireSyncLock}. */
export interface AcquireOptions {
  /** The status-tracker id of this sync, shown to a second sync. */
  processId?: string | null;
  /** Default: `Date.now`. */
  now?: () => number;
}

/** Takes the sync lock at `path` or throws `LockedError` naming the holder (pid, start time). */
export async function acquireSyncLock(
  path: string,
  options: AcquireOptions = {},
): Promise<SyncLock> {
  const lock = await acquireFileLock(path, {
    timeoutMs: 0,
    processId: options.processId ?? null,
    busyMessage: refusal,
    ...(options.now ? { clock: options.now } : {}),
  });
  const dead = lock.tookOverFrom;
  if (dead) {
    getLogger(["fast-intercom", "sync"]).warning(
      "took over the sync lock left by pid {pid} (started {started}), which exited without releasing it",
      { pid: dead.pid, started: dead.started_at },
    );
  }
  return lock;
}

/** Who holds the sync lock right now, or null when no sync is running (probes without keeping it). */
export function probeSyncLock(path: string): Promise<LockHolder | null> {
  return probeFileLock(path);
}

function refusal(holder: LockHolder | null): string {
  const who = holder
    ? `pid ${holder.pid} on ${holder.hostname}, started ${holder.started_at}${
      holder.process_id ? `, process ${holder.process_id}` : ""
    }`
    : "another process";
  return `another sync is already running for this data directory (${who}): wait for it to finish, ` +
    "or watch it with `fast-intercom-mcp monitor status`";
}
