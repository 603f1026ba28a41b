/**
 * The `sync` check of `debug health`: the verdict of `sync_verdict.ts` as ok, warn or fail.
 * A sync stalled now, or a crash that no completed sync has followed, fails: that is what a
 * CI or container gate must see. An interrupted or failed last run warns.
 */
import type { Paths } from "../config/paths.ts";
import { explainError } from "../explain_error.ts";
import { readStatus } from "../registry/status_reader.ts";
import { probeSyncLock } from "../sync/sync_lock.ts";
import type { HealthCheck } from "./checks.ts";
import type { StoreFindings } from "./store_checks.ts";
import { type SyncVerdict, syncVerdict } from "./sync_verdict.ts";

/** Options for {@link syncCheck}. */
export interface SyncCheckOptions {
  /** Now, Unix ms. */
  now: number;
  /** A running sync without a heartbeat this long is stalled. */
  stallAfterSeconds: number;
}

/** Reads the lock and the status directory, and decides the state of this directory's sync. */
export async function readSyncVerdict(
  paths: Paths,
  store: Pick<StoreFindings, "runs" | "lastCompleted">,
  options: SyncCheckOptions,
): Promise<SyncVerdict> {
  const [lock, report] = await Promise.all([
    probeSyncLock(paths.syncLockFile),
    readStatus(paths.statusDir, {
      stallAfterSeconds: options.stallAfterSeconds,
      clock: () => options.now,
    }),
  ]);
  return syncVerdict({
    dataDir: paths.dataDir,
    runs: store.runs,
    lastCompleted: store.lastCompleted,
    lock,
    records: [...report.active, ...report.completed],
    now: options.now,
  });
}

/** The sync check; never throws. */
export async function syncCheck(
  paths: Paths,
  store: Pick<StoreFindings, "runs" | "lastCompleted">,
  options: SyncCheckOptions,
): Promise<HealthCheck> {
  let verdict: SyncVerdict;
  try {
    verdict = await readSyncVerdict(paths, store, options);
  } catch (error) {
    const why = explainError(error) ?? (error instanceof Error ? error.message : String(error));
    return { name: "sync", status: "fail", detail: `cannot tell the state of the sync: ${why}` };
  }
  const status = verdict.state === "stalled" || verdict.crash !== null
    ? "fail"
    : verdict.state === "interrupted" || verdict.state === "failed"
    ? "warn"
    : "ok";
  return { name: "sync", status, detail: verdict.detail };
}
