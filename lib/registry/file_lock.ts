/**
 * An exclusive lock between processes, and the only one this program has: an OS file lock
 * (`flock`, `LockFileEx` on Windows) on the lock file. The kernel releases it when its holder
 * exits, even by SIGKILL, so no lock is ever stale: there are no pids to check and nothing to
 * break. The lock file itself stays (deleting a locked file would let two processes lock two
 * different files of one name). Who holds it is written beside it, `<path>.json` (atomically;
 * only the holder writes it), for the message a waiter gives up with and for probes.
 *
 * Used for one sync per data directory (`sync/sync_lock.ts`, held for the whole run) and for
 * the status directory's read-modify-write (`status_reader.ts`, held for milliseconds).
 */

import { dirname } from "node:path";
import { LockedError } from "../errors.ts";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import {
  type Clock,
  isoFromSeconds,
  realSleep,
  type Sleep,
  systemClock,
  unixSeconds,
} from "../util/clock.ts";
import { hostName } from "./process_info.ts";

/** Who holds a lock, as written to `<path>.json`. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When the lock was taken, UTC ISO to the second. */
  started_at: string;
  /** The status-tracker id of the holder, once known. */
  process_id: string | null;
}

/** Options for {@link acquireFileLock} and {@link withFileLock}. */
export interface FileLockOptions {
  /** Give up (with `LockedError`) after waiting this long; 0 tries once. Default: 10000 ms. */
  timeoutMs?: number;
  /** Base delay between attempts; a random 0–100% is added. Default: 5 ms. */
  retryMs?: number;
  /** The holder's status-tracker id, if known. Default: null. */
  processId?: string | null;
  /** The message of the `LockedError` thrown when the lock stays busy. Default: names the holder. */
  busyMessage?: (holder: LockHolder | null) => string;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: `realSleep`. */
  sleep?: Sleep;
}

/** A held lock. `release()` is safe twice; `using` / `await using` release it for you. */
export interface FileLock extends Disposable {
  readonly path: string;
  readonly holder: LockHolder;
  /** The holder recorded by a process that exited without releasing the lock (callers log it). */
  readonly tookOverFrom: LockHolder | null;
  /** Records the status-tracker id of the holder, once known. */
  setProcessId(processId: string): Promise<void>;
  release(): void;
}

/** Where the holder of the lock at `path` is written. */
export function holderPath(path: string): string {
  return `${path}.json`;
}

/** Takes the lock at `path`, waiting up to `timeoutMs`; throws `LockedError` when it stays busy. */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<FileLock> {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const deadline = clock() + (options.timeoutMs ?? 10_000);
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  while (true) {
    const file = await Deno.open(path, { create: true, read: true, write: true, mode: 0o600 });
    let locked = false;
    try {
      locked = await file.tryLock(true);
    } finally {
      if (!locked) file.close();
    }
    if (locked) return await held(path, file, clock, options);
    if (clock() >= deadline) {
      const holder = await readHolder(path);
      throw new LockedError(options.busyMessage?.(holder) ?? busy(path, holder));
    }
    await sleep((options.retryMs ?? 5) * (1 + Math.random()));
  }
}

/** Runs `fn` while holding the lock at `path`, releasing it afterwards even on error. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T> | T,
  options: FileLockOptions = {},
): Promise<T> {
  using _lock = await acquireFileLock(path, options);
  return await fn();
}

/** Who holds the lock at `path` right now, or null when it is free (probes without keeping it). */
export async function probeFileLock(path: string): Promise<LockHolder | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    if (await file.tryLock(true)) {
      await file.unlock();
      return null;
    }
    return await readHolder(path) ??
      { pid: 0, hostname: "unknown", started_at: "unknown", process_id: null };
  } finally {
    file.close();
  }
}

/** Records this process as the holder of the lock it just took. */
async function held(
  path: string,
  file: Deno.FsFile,
  clock: Clock,
  options: FileLockOptions,
): Promise<FileLock> {
  const info = holderPath(path);
  let holder: LockHolder = {
    pid: Deno.pid,
    hostname: hostName(),
    started_at: isoFromSeconds(unixSeconds(clock)),
    process_id: options.processId ?? null,
  };
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      Deno.removeSync(info);
    } catch {
      // never written, or already gone
    }
    try {
      file.unlockSync();
    } finally {
      file.close();
    }
  };
  let tookOverFrom: LockHolder | null;
  try {
    // A holder file left behind means its writer exited while holding the lock.
    const previous = await readHolder(path);
    tookOverFrom = previous && previous.pid !== Deno.pid ? previous : null;
    await atomicWriteTextFile(info, JSON.stringify(holder) + "\n", { mode: 0o600 });
  } catch (error) {
    release();
    throw error;
  }
  return {
    path,
    get holder() {
      return holder;
    },
    tookOverFrom,
    async setProcessId(processId: string) {
      holder = { ...holder, process_id: processId };
      await atomicWriteTextFile(info, JSON.stringify(holder) + "\n", { mode: 0o600 });
    },
    release,
    [Symbol.dispose]: release,
  };
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(holderPath(path)));
    return typeof parsed?.pid === "number" ? parsed as LockHolder : null;
  } catch {
    return null; // none, or being replaced
  }
}

function busy(path: string, holder: LockHolder | null): string {
  const who = holder
    ? `pid ${holder.pid} on ${holder.hostname} since ${holder.started_at}`
    : "another process";
  return `Cannot lock "${path}": held by ${who}; wait for it to finish`;
}
