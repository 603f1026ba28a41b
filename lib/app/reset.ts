/** `reset`: delete the store and its sync state, keeping the config and the logs. */
import type { Paths } from "../config/paths.ts";
import { acquireSyncLock } from "../sync/sync_lock.ts";

/** Deletes the store files (under the sync lock, so no sync is writing); returns what it removed. */
export async function resetStore(paths: Paths): Promise<string[]> {
  await Deno.mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  using _lock = await acquireSyncLock(paths.syncLockFile);
  const removed: string[] = [];
  for (const file of [paths.storeFile, `${paths.storeFile}-wal`, `${paths.storeFile}-shm`]) {
    try {
      await Deno.remove(file);
      removed.push(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return removed;
}
