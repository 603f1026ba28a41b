/**
 * What the sync of one data directory is doing, decided once from its three witnesses so that
 * `status`, `monitor status` and `debug health` say the same thing:
 *
 * - the sync lock (an OS lock the kernel drops when its holder dies): is a sync alive now?
 * - the status directory's records (heartbeats, with `crashed` and `stalled` derived): is it
 *   making progress, and which process died?
 * - the store's `sync_runs`: how did each run end, and did one complete after a crash?
 *
 * A run left `running` in the store while nobody holds the lock was abandoned by a process
 * that died (killed, crashed, power lost): it is crashed, whatever the store says.
 */
import type { ProcessRecord } from "../registry/status_reader.ts";
import type { SyncRun } from "../sync/run_record.ts";
import type { LockHolder } from "../sync/sync_lock.ts";
import { formatSeconds } from "../util/format.ts";

/** The state of a data directory's sync. */
export type SyncState =
  | "running"
  | "stalled"
  | "crashed"
  | "interrupted"
  | "failed"
  | "completed"
  | "none";

/** A sync whose process died before finishing its run. */
export interface CrashedSync {
  processId: string | null;
  pid: number | null;
  runId: number | null;
  /** Last sign of life, Unix ms (null when unknown). */
  at: number | null;
}

/** The verdict, with one line for people. */
export interface SyncVerdict {
  state: SyncState;
  detail: string;
  processId: string | null;
  pid: number | null;
  runId: number | null;
  /** The newest crash not followed by a completed sync, or null. */
  crash: CrashedSync | null;
}

/** What {@link syncVerdict} weighs. */
export interface SyncVerdictInput {
  /** The data directory: status records of other directories are left out. */
  dataDir: string;
  /** The store's newest runs, newest first ([] when there is no store). */
  runs: SyncRun[];
  /** The store's newest completed run. */
  lastCompleted: SyncRun | null;
  /** Who holds the sync lock now (null: no sync is alive). */
  lock: LockHolder | null;
  /** Status records, active (with derived `crashed`/`stalled`) and completed. */
  records: ProcessRecord[];
  /** Now, Unix ms. */
  now: number;
  /** Leave process ids of this machine (pids) out, for clients on a network. Default false. */
  hidePids?: boolean;
}

const PROGRAM = "fast-intercom-mcp";

function isOurSync(record: ProcessRecord, dataDir: string): boolean {
  const dir = record.metadata?.data_dir;
  return record.process_type === "sync" && (dir === undefined || dir === dataDir);
}

/** `sync sync-…, pid 4242, run 12 ended without finishing (killed or crashed)`. */
export function crashDescription(crash: CrashedSync): string {
  const who = [
    crash.processId === null ? null : `sync ${crash.processId}`,
    crash.pid === null ? null : `pid ${crash.pid}`,
    crash.runId === null ? null : `run ${crash.runId}`,
  ].filter((x) => x !== null).join(", ");
  return `${who || "a sync"} ended without finishing (killed or crashed)`;
}

/** Decides the state of the data directory's sync. */
export function syncVerdict(input: SyncVerdictInput): SyncVerdict {
  const { runs, now } = input;
  const hide = input.hidePids === true;
  const lock: { process_id: string | null; pid: number | null } | null = hide && input.lock !== null
    ? { ...input.lock, pid: null }
    : input.lock;
  const records: (Omit<ProcessRecord, "pid"> & { pid: number | null })[] = input.records
    .filter((r) => isOurSync(r, input.dataDir))
    .map((r) => (hide ? { ...r, pid: null } : r));
  // A sync completed after a crash resolves it; the status records say so too when the store
  // cannot be read (damaged, or newer than this program).
  const completedAt = Math.max(
    (input.lastCompleted?.finishedAt ?? 0) * 1000,
    ...records.filter((r) => r.status === "completed" && r.end_time !== null)
      .map((r) => Date.parse(r.end_time!)),
  );
  const runOf = (processId: string | null) =>
    processId === null ? null : runs.find((r) => r.processId === processId) ?? null;

  // The newest crash that no completed sync followed.
  const crashes: CrashedSync[] = records
    .filter((r) => r.status === "crashed")
    .map((r) => ({
      processId: r.process_id,
      pid: r.pid,
      runId: runOf(r.process_id)?.id ?? null,
      at: Date.parse(r.last_heartbeat),
    }));
  const unresolved = crashes.filter((c) => c.at === null || !(c.at <= completedAt));
  // The newest run, left running with nobody holding the lock: no run completed after it.
  const newest = runs[0];
  if (newest?.status === "running" && lock === null) {
    const record = records.find((r) => r.process_id === newest.processId);
    unresolved.push({
      processId: newest.processId,
      pid: record?.pid ?? null,
      runId: newest.id,
      at: record ? Date.parse(record.last_heartbeat) : newest.startedAt * 1000,
    });
  }
  const crash = unresolved.sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0] ?? null;
  const crashNote = crash === null
    ? ""
    : `; before it, ${crashDescription(crash)} and no sync has completed since`;

  const live = records.filter((r) => r.status === "running" || r.status === "stalled");
  const stalled = live.find((r) => r.status === "stalled");
  if (stalled !== undefined) {
    const age = formatSeconds((now - Date.parse(stalled.last_heartbeat)) / 1000);
    return {
      state: "stalled",
      detail:
        `sync ${stalled.process_id}${
          stalled.pid === null ? "" : ` (pid ${stalled.pid})`
        } is stalled: no heartbeat for ` +
        `${age}; is it stopped (SIGSTOP) or hung? \`${PROGRAM} monitor status\` shows it` +
        crashNote,
      processId: stalled.process_id,
      pid: stalled.pid,
      runId: runOf(stalled.process_id)?.id ?? null,
      crash,
    };
  }
  if (lock !== null || live.length > 0) {
    const record = live[0] ?? records.find((r) => r.process_id === lock?.process_id);
    const processId = record?.process_id ?? lock?.process_id ?? null;
    const pid = record?.pid ?? lock?.pid ?? null;
    return {
      state: "running",
      detail:
        `a sync is running (${processId ?? "untracked"}${hide ? "" : `, pid ${pid ?? "?"}`})` +
        crashNote,
      processId,
      pid,
      runId: runOf(processId)?.id ?? (newest?.status === "running" ? newest.id : null),
      crash,
    };
  }
  if (crash !== null) {
    return {
      state: "crashed",
      detail: `${crashDescription(crash)}, and no sync has completed since: run \`${PROGRAM} ` +
        "sync` (it resumes from the last saved page)",
      processId: crash.processId,
      pid: crash.pid,
      runId: crash.runId,
      crash,
    };
  }
  if (newest === undefined) {
    return { state: "none", detail: "no sync has run yet", ...nobody(), crash: null };
  }
  const who = { processId: newest.processId, pid: null, runId: newest.id, crash: null };
  switch (newest.status) {
    case "interrupted":
      return {
        state: "interrupted",
        detail: `run ${newest.id} was interrupted (${newest.error ?? "stopped"}); the next ` +
          `\`${PROGRAM} sync\` resumes it`,
        ...who,
      };
    case "failed":
      return {
        state: "failed",
        detail: `run ${newest.id} failed: ${newest.error ?? "unknown error"}; see ` +
          `\`${PROGRAM} logs errors --summary\``,
        ...who,
      };
    default:
      return { state: "completed", detail: `run ${newest.id} completed`, ...who };
  }
}

function nobody() {
  return { processId: null, pid: null, runId: null };
}
