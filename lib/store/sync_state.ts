/** Sync bookkeeping: the history of runs, the completed cursor and the resume checkpoint. */
import { StoreError } from "../errors.ts";
import type { Connection, Row } from "./database.ts";
import {
  type ApiRequestCounts,
  type NewRun,
  RUN_COUNT_NAMES,
  type RunCounts,
  type RunEnd,
  type RunStatus,
  type SyncRun,
} from "../sync/run_record.ts";
import type { SyncState } from "./types.ts";
import { intOrNull, parseJson, storableText, textOrNull } from "./_values.ts";

const MAX_ERROR_LENGTH = 4000;

/** Records a new run as `running` and returns its id. */
export function startRun(conn: Connection, run: NewRun): number {
  const row = conn.get(
    "INSERT INTO sync_runs (mode, window_start, window_end, started_at, process_id, session_id) " +
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    run.mode,
    run.windowStart,
    run.windowEnd,
    run.startedAt,
    run.processId ?? null,
    run.sessionId ?? null,
  );
  return Number(row?.id);
}

function countAssignments(
  counts: Partial<RunCounts>,
): { sql: string[]; values: (number | string)[] } {
  const sql: string[] = [];
  const values: (number | string)[] = [];
  for (const [key, column] of Object.entries(RUN_COUNT_NAMES)) {
    const value = counts[key as keyof RunCounts];
    if (value === undefined) continue;
    sql.push(`${column} = ?`);
    values.push(value);
  }
  return { sql, values };
}

function assertRunUpdated(changes: number, id: number): void {
  if (changes === 0) {
    throw new StoreError(`no sync run with id ${id} in the store: it may have been reset`);
  }
}

/** Sets the given counters of run `id` to these totals (not increments). */
export function updateRun(
  conn: Connection,
  id: number,
  counts: Partial<RunCounts>,
  apiRequests?: ApiRequestCounts,
): void {
  const { sql, values } = countAssignments(counts);
  if (apiRequests !== undefined) {
    sql.push("api_requests = ?");
    values.push(JSON.stringify(apiRequests));
  }
  if (sql.length === 0) return;
  assertRunUpdated(
    conn.run(`UPDATE sync_runs SET ${sql.join(", ")} WHERE id = ?`, ...values, id),
    id,
  );
}

/** Closes run `id` with its final status, time, error and counters. */
export function finishRun(conn: Connection, id: number, end: RunEnd): void {
  const { sql, values } = countAssignments(end.counts ?? {});
  if (end.apiRequests !== undefined) {
    sql.push("api_requests = ?");
    values.push(JSON.stringify(end.apiRequests));
  }
  const error = end.error === undefined ? null : storableText(end.error.slice(0, MAX_ERROR_LENGTH));
  sql.push("status = ?", "finished_at = ?", "error = ?", "ended_by = ?");
  values.push(end.status, end.finishedAt);
  const changes = conn.run(
    `UPDATE sync_runs SET ${sql.join(", ")} WHERE id = ?`,
    ...values,
    error,
    end.status === "interrupted" ? "user" : null,
    id,
  );
  assertRunUpdated(changes, id);
}

/**
 * Marks every run still `running` as crashed at `now` (stored as `interrupted` with `ended_by`
 * `crashed`) and returns them. Call it while holding the sync lock: no run can be alive then,
 * so a `running` one was left by a process that died.
 */
export function markAbandonedRuns(conn: Connection, now: number): SyncRun[] {
  return conn.transaction(() => {
    const abandoned = conn.all("SELECT * FROM sync_runs WHERE status = 'running' ORDER BY id")
      .map(toRun);
    if (abandoned.length === 0) return [];
    conn.run(
      "UPDATE sync_runs SET status = 'interrupted', ended_by = 'crashed', finished_at = ?, " +
        "error = coalesce(error, 'its process ended without finishing the run (killed or crashed)') " +
        "WHERE status = 'running'",
      now,
    );
    return abandoned.map((run) => ({ ...run, status: "crashed" as const, finishedAt: now }));
  });
}

function toRun(row: Row): SyncRun {
  return {
    id: Number(row.id),
    mode: String(row.mode),
    windowStart: intOrNull(row.window_start),
    windowEnd: intOrNull(row.window_end),
    startedAt: Number(row.started_at),
    finishedAt: intOrNull(row.finished_at),
    // ended_by is absent from stores older than schema 4: those runs keep their status
    status: row.status === "interrupted" && row.ended_by === "crashed"
      ? "crashed"
      : String(row.status) as RunStatus,
    error: textOrNull(row.error),
    processId: textOrNull(row.process_id),
    sessionId: textOrNull(row.session_id),
    ...countsOf(row),
  };
}

function countsOf(row: Row): RunCounts {
  const counts = {} as RunCounts;
  for (const [key, column] of Object.entries(RUN_COUNT_NAMES)) {
    counts[key as keyof RunCounts] = Number(row[column]);
  }
  return counts;
}

/** The newest `limit` runs (default 10), newest first. */
export function lastRuns(conn: Connection, limit = 10): SyncRun[] {
  return conn.all("SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", Math.max(0, limit))
    .map(toRun);
}

/** The newest completed run, or null. */
export function lastCompletedRun(conn: Connection): SyncRun | null {
  const row = conn.get(
    "SELECT * FROM sync_runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1",
  );
  return row === undefined ? null : toRun(row);
}

/** The completed cursor and the resume checkpoint. */
export function readSyncState(conn: Connection): SyncState {
  // `*`: a read-only open may see a store older than `search_unsorted_at` (schema 4).
  const row = conn.get("SELECT * FROM sync_state WHERE id = 1");
  return {
    cursor: intOrNull(row?.cursor),
    checkpoint: parseJson<unknown>(row?.checkpoint ?? null, null),
    updatedAt: intOrNull(row?.updated_at),
    searchUnsortedAt: intOrNull(row?.search_unsorted_at),
  };
}

/**
 * Notes that a conversation search came back out of `updated_at` order (from then on no run
 * resumes from the middle of a search), and moves a saved checkpoint back to `resumeFrom` when
 * it is later than that.
 */
export function markSearchUnsorted(conn: Connection, resumeFrom: number, now: number): void {
  conn.transaction(() => {
    conn.run("UPDATE sync_state SET search_unsorted_at = ?, updated_at = ? WHERE id = 1", now, now);
    conn.run(
      "UPDATE sync_state SET checkpoint = json_set(checkpoint, '$.resumeFrom', ?) " +
        "WHERE id = 1 AND checkpoint IS NOT NULL AND json_extract(checkpoint, '$.resumeFrom') > ?",
      resumeFrom,
      resumeFrom,
    );
  });
}

/** Saves (or clears, with null) where an interrupted sync resumes. */
export function setCheckpoint(conn: Connection, checkpoint: unknown, now: number): void {
  conn.run(
    "UPDATE sync_state SET checkpoint = ?, updated_at = ? WHERE id = 1",
    checkpoint === null || checkpoint === undefined ? null : JSON.stringify(checkpoint),
    now,
  );
}

/** Sets the completed cursor and clears the checkpoint in one statement. */
export function completeCursor(conn: Connection, cursor: number, now: number): void {
  conn.run(
    "UPDATE sync_state SET cursor = ?, checkpoint = NULL, updated_at = ? WHERE id = 1",
    cursor,
    now,
  );
}
