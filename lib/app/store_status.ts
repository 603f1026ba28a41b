/** What `status` shows: the store's contents and the sync history, read without writing. */
import type { Paths } from "../config/paths.ts";
import { StoreError } from "../errors.ts";
import { explainSqliteCondition } from "../explain_error.ts";
import { Store } from "../store/store.ts";
import type { QuarantineEntry } from "../store/sync_gaps.ts";
import type { SupportCounts } from "../store/support_reads.ts";
import type { StreamState } from "../store/support_types.ts";
import type { StoreStats } from "../store/types.ts";
import { isCheckpoint } from "../sync/plan.ts";
import type { SyncRun } from "../sync/run_record.ts";
import { type LockHolder, probeSyncLock } from "../sync/sync_lock.ts";
import { readSyncVerdict } from "../health/sync_check.ts";
import type { SyncVerdict } from "../health/sync_verdict.ts";

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
  /** The state of the sync, as `monitor status` and `debug health` decide it. */
  sync: SyncVerdict;
  /** Records that cannot be read, set aside and retried by every sync. */
  quarantined: QuarantineEntry[];
  /** Contacts named by stored conversations that could not be fetched yet. */
  missingContacts: number;
  /** Tickets, ticket parts, companies and ticket types stored. */
  support: SupportCounts;
  /** Each stream's cursor and checkpoint (tickets, companies). */
  streams: StreamState[];
}

/** Reads the store's status; a missing store is reported, not created. */
export async function readStoreStatus(
  paths: Paths,
  options: { runs?: number; stallAfterSeconds?: number; now?: number } = {},
): Promise<StoreStatus> {
  const exists = await Deno.stat(paths.storeFile).then(() => true, () => false);
  const runningSync = await probeSyncLock(paths.syncLockFile);
  const verdictOf = (runs: SyncRun[], lastCompleted: SyncRun | null) =>
    readSyncVerdict(paths, { runs, lastCompleted }, {
      now: options.now ?? Date.now(),
      stallAfterSeconds: options.stallAfterSeconds ?? 60,
    });
  if (!exists) {
    return {
      sync: await verdictOf([], null),
      storeFile: paths.storeFile,
      exists: false,
      stats: null,
      cursor: null,
      resumeFrom: null,
      lastRuns: [],
      schemaVersion: null,
      runningSync,
      quarantined: [],
      missingContacts: 0,
      support: { tickets: 0, ticketParts: 0, companies: 0, ticketTypes: 0 },
      streams: [],
    };
  }
  using store = Store.open(paths.storeFile, { readOnly: true });
  // the same damage check as `debug health`: a wound in pages no query here reads still counts
  if (!store.checkIntegrity().sound) {
    throw new StoreError(explainSqliteCondition("damaged", `the store ${paths.storeFile}`));
  }
  const state = store.syncState();
  const runs = store.lastRuns(Math.max(20, options.runs ?? 5));
  const sync = await verdictOf(runs, store.lastCompletedRun());
  return {
    storeFile: paths.storeFile,
    exists: true,
    stats: store.stats(),
    cursor: state.cursor,
    resumeFrom: isCheckpoint(state.checkpoint) ? state.checkpoint.resumeFrom : null,
    // a run its dead process left `running` is crashed, here as in monitor and health
    lastRuns: runs.slice(0, options.runs ?? 5).map((run) =>
      sync.state === "crashed" && run.id === sync.runId && run.status === "running"
        ? { ...run, status: "crashed" as const }
        : run
    ),
    schemaVersion: store.schemaVersion(),
    runningSync,
    sync,
    quarantined: store.quarantined(),
    missingContacts: store.gapCounts().missingContacts,
    support: store.support.counts(),
    streams: store.support.streams(),
  };
}
