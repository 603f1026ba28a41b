/**
 * The `sync` check of `debug health`: the verdict of `sync_verdict.ts` as ok, warn or fail.
 * A sync stalled now, or a crash that no completed sync has followed, fails: that is what a
 * CI or container gate must see. An interrupted or failed last run warns.
 */
import type { Paths } from "../config/paths.ts";
import { explainError } from "../explain_error.ts";
import { readStatus, type StatusReport } from "../registry/status_reader.ts";
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

/**
 * A witness of the sync could not be read: the message names the directory, what is wrong and
 * the setting that chooses another (`explainError` returns it as is).
 */
export class SyncWitnessError extends Error {
  override name = "SyncWitnessError";
  readonly explained = true;
  constructor(
    /** `the status directory`, `the data directory`. */
    what: string,
    /** The directory. */
    readonly path: string,
    /** The flag or variable that chooses another one. */
    setting: string,
    options: { cause: unknown },
  ) {
    super(witnessProblem(what, path, setting, options.cause), options);
  }
}

function witnessProblem(what: string, path: string, setting: string, cause: unknown): string {
  if (cause instanceof Deno.errors.NotADirectory || cause instanceof Deno.errors.AlreadyExists) {
    return `${what} ${path} is a file, or a part of its path is: move that file away, or ` +
      `choose another directory (${setting})`;
  }
  if (cause instanceof Deno.errors.PermissionDenied) {
    return `${what} ${path} cannot be read by this user: give it access (check \`ls -ld ` +
      `${path}\`), or choose another directory (${setting})`;
  }
  const why = explainError(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return `cannot read ${what} ${path}: ${why}`;
}

/**
 * Reads the lock and the status directory (unless the caller has just read it: `status`), and
 * decides the state of this directory's sync. The lock is always probed here, after the runs
 * were read: a run left `running` while nobody holds the lock is crashed only when the lock was
 * probed after the run was seen.
 */
export async function readSyncVerdict(
  paths: Paths,
  store: Pick<StoreFindings, "runs" | "lastCompleted">,
  options: SyncCheckOptions,
  status?: StatusReport,
): Promise<SyncVerdict> {
  const [lock, report] = await Promise.all([
    probeSyncLock(paths.syncLockFile).catch((cause) => {
      throw new SyncWitnessError("the data directory", paths.dataDir, "--data-dir", { cause });
    }),
    status ?? readStatus(paths.statusDir, {
      stallAfterSeconds: options.stallAfterSeconds,
      clock: () => options.now,
    }).catch((cause) => {
      throw new SyncWitnessError(
        "the status directory",
        paths.statusDir,
        "FASTINTERCOM_STATUS_DIR",
        { cause },
      );
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
