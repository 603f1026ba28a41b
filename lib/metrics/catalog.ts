/**
 * Every metric this program exports, in one table: name, type, help and label names. The
 * exposition, the Grafana dashboard's test and the README read it, so a name exists in one
 * place. Names follow Prometheus conventions: a `fast_intercom_` prefix, base units in the
 * name (`_seconds`, `_bytes`), `_total` on counters, and label values from small fixed sets.
 */

/** One exported metric. */
export interface MetricSpec {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help: string;
  labels: readonly string[];
}

/** Bucket bounds of the run-duration histogram, in seconds (1 s … 1 day). */
export const DURATION_BUCKETS = [
  1,
  5,
  15,
  30,
  60,
  120,
  300,
  600,
  1800,
  3600,
  7200,
  21600,
  86400,
] as const;

/** Bucket bounds of the run-throughput histogram, in conversations per second. */
export const THROUGHPUT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500] as const;

/** Bucket bounds of the MCP tool latency histogram, in seconds. */
export const TOOL_LATENCY_BUCKETS = [
  0.001,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
] as const;

const spec = (
  name: string,
  type: MetricSpec["type"],
  help: string,
  labels: readonly string[] = [],
): MetricSpec => ({ name, type, help, labels });

/** The metrics, keyed by a short handle. */
export const METRICS = {
  buildInfo: spec(
    "fast_intercom_build_info",
    "gauge",
    "Always 1; the version of the program that answered the scrape.",
    ["version"],
  ),
  syncRuns: spec(
    "fast_intercom_sync_runs_total",
    "counter",
    "Sync runs recorded in the store, by outcome (completed, failed, interrupted, crashed).",
    ["outcome"],
  ),
  syncRunning: spec(
    "fast_intercom_sync_running",
    "gauge",
    "Sync runs recorded as running in the store (0 or 1: one sync per store).",
  ),
  conversationsFetched: spec(
    "fast_intercom_sync_conversations_fetched_total",
    "counter",
    "Conversations fetched in full and stored by sync runs (running runs included).",
  ),
  partsUpserted: spec(
    "fast_intercom_sync_parts_upserted_total",
    "counter",
    "Conversation parts written by sync runs (running runs included).",
  ),
  contactsUpserted: spec(
    "fast_intercom_sync_contacts_upserted_total",
    "counter",
    "Contacts written by sync runs (running runs included).",
  ),
  apiRequests: spec(
    "fast_intercom_api_requests_total",
    "counter",
    "HTTP requests sent to the Intercom API by sync runs, by endpoint template and status " +
      "(an HTTP code, or timeout / network when no response arrived).",
    ["endpoint", "status"],
  ),
  apiRetries: spec(
    "fast_intercom_api_retries_total",
    "counter",
    "API requests repeated by sync runs after a retryable failure (429 waits excluded).",
  ),
  apiRateLimitWaits: spec(
    "fast_intercom_api_rate_limit_waits_total",
    "counter",
    "429 responses sync runs received and waited out.",
  ),
  apiRateLimitRemaining: spec(
    "fast_intercom_api_rate_limit_remaining",
    "gauge",
    "Requests left in the current rate-limit window, as last reported to a running sync.",
  ),
  syncDuration: spec(
    "fast_intercom_sync_duration_seconds",
    "histogram",
    "Wall-clock duration of finished sync runs, by outcome.",
    ["outcome"],
  ),
  syncThroughput: spec(
    "fast_intercom_sync_throughput_conversations_per_second",
    "histogram",
    "Conversations fetched per second of completed sync runs.",
  ),
  lastSuccess: spec(
    "fast_intercom_last_successful_sync_timestamp_seconds",
    "gauge",
    "Unix time the newest completed sync run finished (absent before the first one).",
  ),
  storeConversations: spec(
    "fast_intercom_store_conversations",
    "gauge",
    "Conversations in the local store.",
  ),
  storeParts: spec(
    "fast_intercom_store_parts",
    "gauge",
    "Conversation parts (messages) in the local store.",
  ),
  storeContacts: spec("fast_intercom_store_contacts", "gauge", "Contacts in the local store."),
  storeSize: spec(
    "fast_intercom_store_size_bytes",
    "gauge",
    "Size of the store's database file and its write-ahead log.",
  ),
  storeUp: spec(
    "fast_intercom_store_up",
    "gauge",
    "1 when the store could be read for this scrape, 0 when it is missing or unreadable.",
  ),
  processes: spec(
    "fast_intercom_processes",
    "gauge",
    "Processes in the status directory by state: running, no_progress (alive, progress " +
      "stopped past the stall threshold), stalled (no heartbeat) and crashed (pid gone).",
    ["state"],
  ),
  anomalies: spec(
    "fast_intercom_anomaly",
    "gauge",
    "1 when the run history shows this anomaly now (median/MAD over recent runs), else 0.",
    ["kind"],
  ),
  toolCalls: spec(
    "fast_intercom_mcp_tool_calls_total",
    "counter",
    "MCP tool calls answered by this server process, by tool and outcome (ok, error).",
    ["tool", "outcome"],
  ),
  toolDuration: spec(
    "fast_intercom_mcp_tool_duration_seconds",
    "histogram",
    "Latency of MCP tool calls answered by this server process, by tool.",
    ["tool"],
  ),
} as const satisfies Record<string, MetricSpec>;

/** Names of every exported series family, including histogram `_bucket`/`_sum`/`_count`. */
export function exportedSeriesNames(): Set<string> {
  const names = new Set<string>();
  for (const m of Object.values(METRICS)) {
    if (m.type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(m.name + suffix);
    } else names.add(m.name);
  }
  return names;
}
