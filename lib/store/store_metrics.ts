/**
 * Cheap aggregates for metrics and trends: row counts (no span or sum scans over the wide
 * conversation rows), totals of `sync_runs` by outcome and cumulative bucket counts of run
 * durations and throughput, computed in SQL so that a scrape reads a handful of numbers
 * however many runs the store has recorded.
 */
import type { Connection } from "./database.ts";
import type { RunStatus } from "../sync/run_record.ts";

/** Sums over the runs of one status. */
export interface RunStatusTotals {
  runs: number;
  conversationsFetched: number;
  partsUpserted: number;
  contactsUpserted: number;
  apiCalls: number;
  retries: number;
  rateLimited: number;
}

/** Every run's counters summed by status, and when the newest completed run finished. */
export interface RunTotals {
  byStatus: Record<RunStatus, RunStatusTotals>;
  /** `finished_at` (Unix seconds) of the newest completed run, or null. */
  lastCompletedAt: number | null;
}

/** Cumulative counts of observations ≤ each bound, with their sum and count. */
export interface RunBuckets {
  bounds: number[];
  /** `cumulative[i]` = observations ≤ `bounds[i]`. */
  cumulative: number[];
  sum: number;
  count: number;
}

/** Row counts and size on disk. */
export interface RowCounts {
  conversations: number;
  parts: number;
  contacts: number;
  sizeBytes: number;
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** Conversations, parts and contacts in one read snapshot, and the files' size. */
export function rowCounts(conn: Connection): RowCounts {
  const row = conn.snapshot(() =>
    conn.get(
      "SELECT (SELECT count(*) FROM conversations) AS conversations, " +
        "(SELECT count(*) FROM conversation_parts) AS parts, " +
        "(SELECT count(*) FROM contacts) AS contacts",
    )
  );
  return {
    conversations: Number(row?.conversations ?? 0),
    parts: Number(row?.parts ?? 0),
    contacts: Number(row?.contacts ?? 0),
    sizeBytes: fileSize(conn.path) + fileSize(`${conn.path}-wal`),
  };
}

/** Requests to one endpoint template with one outcome, summed over every run. */
export interface ApiRequestTotal {
  endpoint: string;
  status: string;
  count: number;
}

/**
 * `sync_runs.api_requests` summed by endpoint and status. A store from before schema 3 (read
 * without migrating) has no such column: then there is nothing to sum.
 */
export function apiRequestTotals(conn: Connection): ApiRequestTotal[] {
  const hasColumn = conn.get(
    "SELECT 1 AS found FROM pragma_table_info('sync_runs') WHERE name = 'api_requests'",
  );
  if (hasColumn === undefined) return [];
  return conn.all(
    "SELECT e.key AS endpoint, s.key AS status, sum(s.value) AS n " +
      "FROM sync_runs, json_each(sync_runs.api_requests) AS e, json_each(e.value) AS s " +
      "WHERE json_valid(sync_runs.api_requests) GROUP BY 1, 2 ORDER BY 1, 2",
  ).map((row) => ({
    endpoint: String(row.endpoint),
    status: String(row.status),
    count: Number(row.n),
  }));
}

const STATUSES: RunStatus[] = ["running", "completed", "failed", "interrupted", "crashed"];

/**
 * The SQL of a run's status as readers see it: a run whose process died is stored as
 * `interrupted` with `ended_by = 'crashed'` (schema 4); older stores have no such column.
 */
function statusExpression(conn: Connection): string {
  const hasColumn = conn.get(
    "SELECT 1 AS found FROM pragma_table_info('sync_runs') WHERE name = 'ended_by'",
  );
  return hasColumn === undefined
    ? "status"
    : "(CASE WHEN status = 'interrupted' AND ended_by = 'crashed' THEN 'crashed' ELSE status END)";
}

const emptyTotals = (): RunStatusTotals => ({
  runs: 0,
  conversationsFetched: 0,
  partsUpserted: 0,
  contactsUpserted: 0,
  apiCalls: 0,
  retries: 0,
  rateLimited: 0,
});

/** Totals of every run by status (one grouped query). */
export function runTotals(conn: Connection): RunTotals {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, emptyTotals()])) as Record<
    RunStatus,
    RunStatusTotals
  >;
  let lastCompletedAt: number | null = null;
  const status = statusExpression(conn);
  for (
    const row of conn.all(
      `SELECT ${status} AS status, count(*) AS runs,` +
        " sum(conversations_fetched) AS fetched, " +
        "sum(parts_upserted) AS parts, sum(contacts_upserted) AS contacts, " +
        "sum(api_calls) AS api_calls, sum(retries) AS retries, " +
        "sum(rate_limited) AS rate_limited, " +
        "max(CASE WHEN status = 'completed' THEN finished_at END) AS last_completed " +
        "FROM sync_runs GROUP BY 1",
    )
  ) {
    const status = String(row.status) as RunStatus;
    if (!(status in byStatus)) continue;
    byStatus[status] = {
      runs: Number(row.runs),
      conversationsFetched: Number(row.fetched ?? 0),
      partsUpserted: Number(row.parts ?? 0),
      contactsUpserted: Number(row.contacts ?? 0),
      apiCalls: Number(row.api_calls ?? 0),
      retries: Number(row.retries ?? 0),
      rateLimited: Number(row.rate_limited ?? 0),
    };
    if (row.last_completed !== null && row.last_completed !== undefined) {
      lastCompletedAt = Number(row.last_completed);
    }
  }
  return { byStatus, lastCompletedAt };
}

/** What {@link runBuckets} measures per finished run. */
export type RunMeasure = "duration_seconds" | "conversations_per_second";

const MEASURES: Record<RunMeasure, { expr: string; where: string }> = {
  duration_seconds: {
    expr: "max(0, finished_at - started_at)",
    where: "finished_at IS NOT NULL",
  },
  // Runs of zero recorded seconds have no meaningful rate and are left out.
  conversations_per_second: {
    expr: "CAST(conversations_fetched AS REAL) / (finished_at - started_at)",
    where: "finished_at IS NOT NULL AND finished_at > started_at",
  },
};

/**
 * Cumulative bucket counts of `measure` over the finished runs of `status`, in one scan.
 * `bounds` must be ascending finite numbers.
 */
export function runBuckets(
  conn: Connection,
  measure: RunMeasure,
  options: { status: Exclude<RunStatus, "running">; bounds: readonly number[] },
): RunBuckets {
  const { expr, where } = MEASURES[measure];
  const bounds = [...options.bounds];
  for (const b of bounds) {
    if (!Number.isFinite(b)) throw new RangeError(`bucket bound ${b} is not a finite number`);
  }
  const columns = bounds.map((b, i) => `sum(v <= ${Number(b)}) AS b${i}`).join(", ");
  const row = conn.get(
    `SELECT count(*) AS n, total(v) AS s${columns ? ", " + columns : ""} ` +
      `FROM (SELECT ${expr} AS v FROM sync_runs WHERE ${statusExpression(conn)} = ? ` +
      `AND ${where})`,
    options.status,
  );
  return {
    bounds,
    cumulative: bounds.map((_, i) => Number(row?.[`b${i}`] ?? 0)),
    sum: Number(row?.s ?? 0),
    count: Number(row?.n ?? 0),
  };
}
