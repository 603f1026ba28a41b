/**
 * An exclusive lock between processes: a lock file created atomically (temp file + link, so it
 * is never seen empty) holding the owner's pid, its start time and the time it was taken.
 * A lock whose holder is gone (or whose pid now belongs to another process), or that is older
 * than a bound, is broken. Waiters retry with short randomised sleeps.
 */

import { getLogger } from "@logtape/logtape";
import { LockedError } from "../errors.ts";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "../util/clock.ts";
import { hostName, isProcessAlive, ownStartTime, processStartTime } from "./process_info.ts";

const logger = getLogger(["fast-intercom", "status"]);

/** Options for {@link acquireFileLock} and {@link withFileLock}. */
export interface FileLockOptions {
  /** Give up (with `LockedError`) after waiting this long. Default: 10000 ms. */
  timeoutMs?: number;
  /** A lock older than this is broken whoever holds it. Default: 30000 ms. */
  staleMs?: number;
  /** Once a lock is this old, check whether its holder still exists. Default: 500 ms. */
  checkHolderAfterMs?: number;
  /** Base delay between attempts; a random 0–100% is added. Default: 5 ms. */
  retryMs?: number;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: `realSleep`. */
  sleep?: Sleep;
}

/** A held lock. Release it exactly once (`await using` does it for you). */
export interface FileLock extends AsyncDisposable {
  readonly path: string;
  release(): Promise<void>;
}

/** What a lock file contains. */
export interface LockHolder {
  pid: number;
  pid_start_time: string | null;
  hostname: string;
  acquired_ms: number;
  token: string;
}

// Same-process callers queue here instead of polling the file.
const localQueues = new Map<string, Promise<unknown>>();

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text);
    return typeof value?.pid === "number" && typeof value?.acquired_ms === "number"
      ? value as LockHolder
      : null;
  } catch {
    return null;
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function holderIsGone(
  holder: LockHolder,
  now: number,
  options: Required<Pick<FileLockOptions, "staleMs" | "checkHolderAfterMs">>,
  verified: Set<string>,
): Promise<boolean> {
  const age = now - holder.acquired_ms;
  if (age > options.staleMs) return true;
  if (age < options.checkHolderAfterMs || holder.hostname !== hostName()) return false;
  if (verified.has(holder.token)) return false; // found alive before: `ps` once per holder
  if (isProcessAlive(holder.pid) === false) return true;
  if (holder.pid_start_time !== null) {
    const started = await processStartTime(holder.pid);
    if (started !== null && started !== holder.pid_start_time) return true;
  }
  verified.add(holder.token);
  return false;
}

/** Removes a stale lock, unless it changed hands since `seen` was read. */
async function breakLock(path: string, seen: string): Promise<void> {
  const aside = `${path}.stale.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.rename(path, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const moved = await readText(aside);
  if (moved !== seen) {
    // someone took the lock between our read and the rename: hand it back if the place is free
    await Deno.link(aside, path).catch(() => {});
  } else {
    logger.warn("Broke stale lock {path} held by {holder}", { path, holder: seen });
  }
  await Deno.remove(aside).catch(() => {});
}

/** Loops until the lock file is ours; returns what we wrote in it. */
async function acquireFromFile(path: string, options: FileLockOptions): Promise<string> {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleness = {
    staleMs: options.staleMs ?? 30_000,
    checkHolderAfterMs: options.checkHolderAfterMs ?? 500,
  };
  const retryMs = options.retryMs ?? 5;
  const startTime = await ownStartTime();
  const deadline = clock() + timeoutMs;
  const verified = new Set<string>();
  while (true) {
    const holder: LockHolder = {
      pid: Deno.pid,
      pid_start_time: startTime,
      hostname: hostName(),
      acquired_ms: clock(),
      token: crypto.randomUUID(),
    };
    const content = JSON.stringify(holder);
    try {
      await atomicWriteTextFile(path, content, { createNew: true });
      return content;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const seen = await readText(path);
    if (seen === null) continue; // released between our attempt and the read
    const current = parseHolder(seen);
    if (current === null || await holderIsGone(current, clock(), staleness, verified)) {
      await breakLock(path, seen);
      continue;
    }
    if (clock() >= deadline) {
      throw new LockedError(
        `Cannot lock "${path}": held by pid ${current.pid} on ${current.hostname} for ` +
          `${clock() - current.acquired_ms} ms; wait for it to finish, or delete the file if ` +
          `that process is gone`,
      );
    }
    await sleep(retryMs * (1 + Math.random()));
  }
}

/** Removes the lock file if it is still ours. */
async function releaseFile(path: string, content: string): Promise<void> {
  if (await readText(path) === content) {
    await Deno.remove(path).catch(() => {});
  } else {
    logger.warn("Lock {path} was taken over while held; leaving it to its new owner", { path });
  }
}

/** Takes the lock at `path`, waiting up to `timeoutMs`; throws `LockedError` on timeout. */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<FileLock> {
  const previous = localQueues.get(path) ?? Promise.resolve();
  let done = () => {};
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  localQueues.set(path, tail);
  const leave = () => {
    done();
    if (localQueues.get(path) === tail) localQueues.delete(path);
  };
  await previous;
  let content: string;
  try {
    content = await acquireFromFile(path, options);
  } catch (error) {
    leave();
    throw error;
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await releaseFile(path, content);
    } finally {
      leave();
    }
  };
  return { path, release, [Symbol.asyncDispose]: release };
}

/** Runs `fn` while holding the lock at `path`, releasing it afterwards even on error. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T> | T,
  options: FileLockOptions = {},
): Promise<T> {
  const lock = await acquireFileLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
