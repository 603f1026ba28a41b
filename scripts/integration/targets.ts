/**
 * The figures the integration script measures and the targets they are held to. The targets
 * come from the benchmarks (`scripts/sync_throughput.ts`, `scripts/store_bench.ts`) and the
 * original project's published figures, with room for a loaded CI machine:
 *
 * | figure                              | target            | why                                  |
 * | ----------------------------------- | ----------------- | ------------------------------------ |
 * | sync throughput                     | ≥ 10 conv/s       | Intercom's 167 req/10 s allows ~16/s |
 * | search latency p95 (MCP round trip) | ≤ 100 ms          | the original claimed 89 ms p95       |
 * | store bytes per conversation        | ≤ 32 KB           | every reply is kept, with full text  |
 * | peak RSS of the sync                | ≤ 200 MB          | as in scripts/sync_throughput.ts     |
 * | peak RSS of the MCP server          | ≤ 200 MB          | a desktop assistant's helper process |
 *
 * Throughput and bytes per conversation need at least {@link MIN_CONVERSATIONS} conversations
 * to mean anything (start-up and SQLite's fixed pages dominate below); with fewer they are
 * reported as n/a. API calls, 429s and retries are reported without a target.
 */
import { formatBytes } from "../../lib/util/format.ts";

/** Everything the report shows; null where the figure was not measured. */
export interface Figures {
  conversations_fetched: number | null;
  conversations_per_second: number | null;
  sync_duration_seconds: number | null;
  api_calls: number | null;
  rate_limited: number | null;
  retries: number | null;
  store_conversations: number | null;
  store_parts: number | null;
  store_size_bytes: number | null;
  bytes_per_conversation: number | null;
  searches: number | null;
  search_p50_ms: number | null;
  search_p95_ms: number | null;
  sync_peak_rss_bytes: number | null;
  server_peak_rss_bytes: number | null;
}

/** A figure held to a bound. */
export interface Target {
  key: keyof Figures;
  label: string;
  op: ">=" | "<=";
  value: number;
  unit: "conversations/s" | "ms" | "bytes";
  /** The figure only counts with at least {@link MIN_CONVERSATIONS} conversations. */
  needsVolume?: boolean;
}

/** Conversations needed before throughput and size per conversation are judged. */
export const MIN_CONVERSATIONS = 50;

const MB = 1_000_000;

/** The documented targets (see the module documentation). */
export const TARGETS: readonly Target[] = [
  {
    key: "conversations_per_second",
    label: "Sync throughput",
    op: ">=",
    value: 10,
    unit: "conversations/s",
    needsVolume: true,
  },
  {
    key: "search_p95_ms",
    label: "Search latency p95 (MCP round trip)",
    op: "<=",
    value: 100,
    unit: "ms",
  },
  {
    key: "bytes_per_conversation",
    label: "Store bytes per conversation",
    op: "<=",
    value: 32_000,
    unit: "bytes",
    needsVolume: true,
  },
  {
    key: "sync_peak_rss_bytes",
    label: "Peak RSS of the sync",
    op: "<=",
    value: 200 * MB,
    unit: "bytes",
  },
  {
    key: "server_peak_rss_bytes",
    label: "Peak RSS of the MCP server",
    op: "<=",
    value: 200 * MB,
    unit: "bytes",
  },
];

/** A target's verdict. */
export interface TargetResult {
  key: keyof Figures;
  label: string;
  target: string;
  actual: string;
  value: number | null;
  status: "pass" | "fail" | "n/a";
}

/** Judges `figures` against `targets`; unmeasured or too-small figures are `n/a`. */
export function evaluateTargets(
  figures: Figures,
  targets: readonly Target[] = TARGETS,
): TargetResult[] {
  const volume = figures.conversations_fetched ?? 0;
  return targets.map((t) => {
    const value = figures[t.key];
    const base = {
      key: t.key,
      label: t.label,
      target: `${t.op === ">=" ? "≥" : "≤"} ${formatFigure(t.value, t.unit)}`,
      value,
    };
    if (value === null) return { ...base, actual: "not measured", status: "n/a" as const };
    const actual = formatFigure(value, t.unit);
    if (t.needsVolume && volume < MIN_CONVERSATIONS) {
      return {
        ...base,
        actual: `${actual} (${volume} conversations: too few to judge)`,
        status: "n/a" as const,
      };
    }
    const pass = t.op === ">=" ? value >= t.value : value <= t.value;
    return { ...base, actual, status: pass ? "pass" as const : "fail" as const };
  });
}

/** A figure with its unit: `12.5 conversations/s`, `8.3 ms`, `7.7 KB`, `95.1 MB`. */
export function formatFigure(value: number, unit: Target["unit"]): string {
  if (unit === "bytes") return formatBytes(value);
  return `${value.toFixed(unit === "ms" ? 1 : 2)} ${unit}`;
}

/** The inputs {@link figuresFrom} reads: the JSON the script collected (any may be missing). */
export interface FigureSources {
  /** `sync --json`. */
  sync?: Record<string, unknown> | null;
  /** `status --json`. */
  status?: Record<string, unknown> | null;
  /** measure.ts of the sync. */
  syncMeasure?: Record<string, unknown> | null;
  /** mcp_check.ts. */
  mcp?: Record<string, unknown> | null;
}

/** Gathers the figures from the collected JSON documents. */
export function figuresFrom(sources: FigureSources): Figures {
  const num = (doc: Record<string, unknown> | null | undefined, key: string): number | null => {
    const v = doc?.[key];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  const { sync, status, syncMeasure, mcp } = sources;
  const latency = (mcp?.search_latency_ms ?? null) as Record<string, unknown> | null;
  const conversations = num(status, "conversations");
  const size = num(status, "size_bytes");
  const positive = (v: number | null) => (v !== null && v > 0 ? v : null);
  return {
    conversations_fetched: num(sync, "conversations_fetched"),
    conversations_per_second: num(sync, "conversations_per_second"),
    sync_duration_seconds: num(sync, "duration_seconds"),
    api_calls: num(sync, "api_calls"),
    rate_limited: num(sync, "rate_limited"),
    retries: num(sync, "retries"),
    store_conversations: conversations,
    store_parts: num(status, "parts"),
    store_size_bytes: size,
    bytes_per_conversation: size !== null && conversations
      ? Math.round(size / conversations)
      : null,
    searches: num(latency, "count"),
    search_p50_ms: num(latency, "p50"),
    search_p95_ms: num(latency, "p95"),
    sync_peak_rss_bytes: positive(num(syncMeasure, "peak_rss_bytes")),
    server_peak_rss_bytes: positive(num(mcp, "server_peak_rss_bytes")),
  };
}
