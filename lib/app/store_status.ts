/** What `status` shows: the store's contents and the sync history, read without writing. */
import type { Paths } from "../config/paths.ts";
import { Store } from "../store/store.ts";
import type { StoreStats } from "../store/types.ts";
import { isCheckpoint } from "../sync/plan.ts";
import type { SyncRun } from "../sync/run_record.ts";
import { type LockHolder, probeSyncLock } from "../sync/sync_lock.ts";

/** A snapshot of the local store. */
export interface StoreStatus {
  storeFile: string;
  exists: boolean;
  stats: StoreStats | null;
  cursor: number | null;
  /** An interrupted run waits to be resumed from here (Unix seconds), or null. */
  resumeFrom: number | null;
  lastRuns: SyncRun[];
  schemaVersion: number | null;
  /** The process syncing this data directory now, or null. */
  runningSync: LockHolder | null;
}

/** Reads the store's status; a missing store is reported, not created. */
export async function readStoreStatus(
  paths: Paths,
  options: { runs?: number } = {},
): Promise<StoreStatus> {
  const exists = await Deno.stat(paths.storeFile).then(() => true, () => false);
  const runningSync = await probeSyncLock(paths.syncLockFile);
  if (!exists) {
    return {
      storeFile: paths.storeFile,
      exists: false,
      stats: null,
      cursor: null,
      resumeFrom: null,
      lastRuns: [],
      schemaVersion: null,
      runningSync,
    };
  }
  using store = Store.open(paths.storeFile, { readOnly: true });
  const state = store.syncState();
  return {
    storeFile: paths.storeFile,
    exists: true,
    stats: store.stats(),
    cursor: state.cursor,
    resumeFrom: isCheckpoint(state.checkpoint) ? state.checkpoint.resumeFrom : null,
    lastRuns: store.lastRuns(options.runs ?? 5),
    schemaVersion: store.schemaVersion(),
    runningSync,
  };
}
