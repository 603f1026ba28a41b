/**
 * `monitor trends` for people: a summary line per measure with its sparkline over the runs
 * (oldest to newest) and its median, the runs as a table (newest first), and the anomalies.
 * Pure: runs and anomalies in, text out. Sparklines only on a terminal.
 */
import { gridTable } from "../cli/format.ts";
import { isoFromSeconds } from "../util/clock.ts";
import { formatDuration, groupDigits } from "../util/format.ts";
import type { Anomaly } from "./anomalies.ts";
import { median } from "./robust.ts";
import type { RunTrend } from "./run_trend.ts";
import { sparkline } from "./sparkline.ts";

/** Options for {@link formatTrends}. */
export interface TrendFormatOptions {
  /** Sparklines (a terminal). Default: false. */
  sparklines?: boolean;
}

const fixed = (n: number | null, digits = 2) => (n === null ? "—" : n.toFixed(digits));

const MEASURES: {
  label: string;
  pick: (r: RunTrend) => number | null;
  show: (n: number) => string;
}[] = [
  { label: "conversations/s", pick: (r) => r.conversations_per_second, show: (n) => n.toFixed(2) },
  {
    label: "duration",
    pick: (r) => r.duration_seconds,
    show: (n) => formatDuration(n, { days: true }),
  },
  {
    label: "API calls/conversation",
    pick: (r) => r.api_calls_per_conversation,
    show: (n) => n.toFixed(2),
  },
  { label: "429s", pick: (r) => r.rate_limited, show: (n) => groupDigits(n) },
  { label: "retries", pick: (r) => r.retries, show: (n) => groupDigits(n) },
  {
    label: "failed",
    pick: (r) => (r.finished_at === null ? null : r.failed ? 1 : 0),
    show: (n) => String(n),
  },
];

/** The trends of `runs` (any order) with their anomalies. */
export function formatTrends(
  runs: readonly RunTrend[],
  anomalies: readonly Anomaly[],
  options: TrendFormatOptions = {},
): string {
  if (runs.length === 0) return "No sync run recorded yet: run `fast-intercom-mcp sync`.";
  const oldestFirst = [...runs].sort((a, b) => a.run_id - b.run_id);
  const lines = [`Last ${runs.length} sync run${runs.length === 1 ? "" : "s"} (oldest → newest)`];
  const width = Math.max(...MEASURES.map((m) => m.label.length));
  for (const m of MEASURES) {
    const values = oldestFirst.map(m.pick);
    const present = values.filter((v): v is number => v !== null);
    const summary = present.length === 0
      ? "—"
      : `median ${m.show(median(present))}, newest ${
        values.at(-1) === null ? "—" : m.show(values.at(-1)!)
      }`;
    lines.push(
      `  ${m.label.padEnd(width)}  ${options.sparklines ? `${sparkline(values)}  ` : ""}${summary}`,
    );
  }
  const rows = [...oldestFirst].reverse().map((r) => [
    String(r.run_id),
    isoFromSeconds(r.started_at).replace("T", " "),
    r.mode,
    r.status,
    r.duration_seconds === null ? "—" : formatDuration(r.duration_seconds, { days: true }),
    groupDigits(r.conversations_fetched),
    fixed(r.conversations_per_second),
    fixed(r.api_calls_per_conversation),
    groupDigits(r.rate_limited),
    groupDigits(r.retries),
  ]);
  lines.push(
    "",
    gridTable(
      [
        "Run",
        "Started (UTC)",
        "Mode",
        "Status",
        "Duration",
        "Fetched",
        "Conv/s",
        "Calls/conv",
        "429s",
        "Retries",
      ],
      rows,
    ),
    "",
  );
  if (anomalies.length === 0) {
    lines.push("Anomalies: none (compared with each measure's median and MAD)");
  } else {
    lines.push(`Anomalies (${anomalies.length}):`);
    for (const a of anomalies) lines.push(`  ⚠ ${a.kind}: ${a.detail}`);
  }
  return lines.join("\n");
}
