/**
 * The record of one sync run: its counters and its `sync_runs` row. The engine writes the row
 * (the page runner updates its counters with every committed page); `status`, `monitor status`,
 * `debug health`, the metrics (`monitor serve`, `monitor metrics`) and the MCP server read it.
 * This module imports nothing, so the store can use these types without depending on the engine.
 */

/** Counters of one sync run: what it has committed to the store, and the API calls it made. */
export interface RunCounts {
  conversationsSeen: number;
  conversationsFetched: number;
  conversationsSkipped: number;
  partsUpserted: number;
  contactsUpserted: number;
  apiCalls: number;
  retries: number;
  rateLimited: number;
}

/**
 * The snake_case name of each counter: its `sync_runs` column, and its key in every JSON output
 * (progress events, `sync --json`, `status --json`, `monitor status --json`, MCP tools, the
 * status tracker's result).
 */
export const RUN_COUNT_NAMES = {
  conversationsSeen: "conversations_seen",
  conversationsFetched: "conversations_fetched",
  conversationsSkipped: "conversations_skipped",
  partsUpserted: "parts_upserted",
  contactsUpserted: "contacts_upserted",
  apiCalls: "api_calls",
  retries: "retries",
  rateLimited: "rate_limited",
} as const satisfies Record<keyof RunCounts, string>;

/** {@link RunCounts} as JSON: `{ conversations_seen: 0, … }`. */
export type RunCountsJson = { [K in keyof RunCounts as (typeof RUN_COUNT_NAMES)[K]]: number };

/** A run that has done nothing yet (a new object each call: callers add to it). */
export function zeroCounts(): RunCounts {
  return {
    conversationsSeen: 0,
    conversationsFetched: 0,
    conversationsSkipped: 0,
    partsUpserted: 0,
    contactsUpserted: 0,
    apiCalls: 0,
    retries: 0,
    rateLimited: 0,
  };
}

/** The counters of `counts` (a `RunCounts` or a `SyncRun`) under their snake_case names. */
export function countsJson(counts: RunCounts): RunCountsJson {
  const json: Record<string, number> = {};
  for (const key of Object.keys(RUN_COUNT_NAMES) as (keyof RunCounts)[]) {
    json[RUN_COUNT_NAMES[key]] = counts[key];
  }
  return json as RunCountsJson;
}

/**
 * How a sync run ended, or `running`. `crashed`: its process died before finishing (killed,
 * out of memory, power lost) and the next sync found it so; `interrupted`: stopped on purpose
 * (Ctrl-C, SIGTERM) at a safe point.
 */
export type RunStatus = "running" | "completed" | "failed" | "interrupted" | "crashed";

/** One row of `sync_runs`, the history of syncs (see the module comment for who writes it). */
export interface SyncRun extends RunCounts {
  id: number;
  mode: string;
  windowStart: number | null;
  windowEnd: number | null;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  error: string | null;
  processId: string | null;
  sessionId: string | null;
}

/** What the engine records when a run starts. */
export interface NewRun {
  mode: string;
  windowStart: number | null;
  windowEnd: number | null;
  startedAt: number;
  processId?: string;
  sessionId?: string;
}

/**
 * A run's API requests by endpoint template and outcome (`{"GET /conversations/{id}":
 * {"200": 140, "429": 2}}`), from the client's stats; stored in `sync_runs.api_requests`.
 */
export type ApiRequestCounts = Record<string, Record<string, number>>;

/** How the engine closes a run. */
export interface RunEnd {
  status: "completed" | "failed" | "interrupted";
  finishedAt: number;
  error?: string;
  counts?: Partial<RunCounts>;
  apiRequests?: ApiRequestCounts;
}
