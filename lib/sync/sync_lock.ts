/**
 * One sync per data directory. The lock is an OS file lock (flock) on `sync.lock`: the kernel
 * releases it when the holder dies, even by SIGKILL, so a lock left by a dead process is simply
 * taken over. Who holds it is written beside it (`sync.lock.json`, atomically) for the message
 * a second `sync` prints.
 */
import { getLogger } from "@logtape/logtape";
import { dirname } from "node:path";
import { LockedError } from "../errors.ts";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import { isoFromSeconds, unixSeconds } from "../util/clock.ts";

/** Who holds the sync lock. */
export interface LockHolder {
  pid: number;
  hostname: string;
  started_at: string;
  process_id: string | null;
}

/** A held sync lock; release it with `release()` or `using`. */
export interface SyncLock extends Disposable {
  readonly holder: LockHolder;
  /** The holder recorded by a process that died without releasing the lock, if any. */
  readonly tookOverFrom: LockHolder | null;
  /** Records the status-tracker id of the holder, once known. */
  setProcessId(processId: string): Promise<void>;
  release(): void;
}

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
  const infoPath = `${path}.json`;
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const file = await Deno.open(path, { create: true, read: true, write: true, mode: 0o600 });
  let locked = false;
  try {
    locked = await file.tryLock(true);
  } catch (error) {
    file.close();
    throw error;
  }
  if (!locked) {
    file.close();
    const holder = await readHolder(infoPath);
    const who = holder
      ? `pid ${holder.pid} on ${holder.hostname}, started ${holder.started_at}${
        holder.process_id ? `, process ${holder.process_id}` : ""
      }`
      : "another process";
    throw new LockedError(
      `another sync is already running for this data directory (${who}): wait for it to finish, ` +
        "or watch it with `fast-intercom-mcp monitor status`",
    );
  }
  const previous = await readHolder(infoPath);
  let holder: LockHolder = {
    pid: Deno.pid,
    hostname: safeHostname(),
    started_at: isoFromSeconds(unixSeconds(options.now)),
    process_id: options.processId ?? null,
  };
  await atomicWriteTextFile(infoPath, JSON.stringify(holder) + "\n", { mode: 0o600 });
  const tookOverFrom = previous && previous.pid !== Deno.pid ? previous : null;
  if (tookOverFrom) {
    getLogger(["fast-intercom", "sync"]).warning(
      "took over the sync lock left by pid {pid} (started {started}), which exited without releasing it",
      { pid: tookOverFrom.pid, started: tookOverFrom.started_at },
    );
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      Deno.removeSync(infoPath);
    } catch {
      // already gone
    }
    try {
      file.unlockSync();
    } finally {
      file.close();
    }
  };
  const setProcessId = async (processId: string) => {
    holder = { ...holder, process_id: processId };
    await atomicWriteTextFile(infoPath, JSON.stringify(holder) + "\n", { mode: 0o600 });
  };
  return {
    get holder() {
      return holder;
    },
    tookOverFrom,
    setProcessId,
    release,
    [Symbol.dispose]: release,
  };
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return typeof parsed?.pid === "number" ? parsed as LockHolder : null;
  } catch {
    return null;
  }
}

function safeHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown-host";
  }
}

/** Who holds the sync lock right now, or null when no sync is running (probes without keeping it). */
export async function probeSyncLock(path: string): Promise<LockHolder | null> {
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
    return await readHolder(`${path}.json`) ??
      { pid: 0, hostname: "unknown", started_at: "unknown", process_id: null };
  } finally {
    file.close();
  }
}
