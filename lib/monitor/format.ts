/**
 * The human dashboard of a {@link MonitorSnapshot}: the layout of the design (connection,
 * data, recent activity, errors), showing only what was measured. Pure: snapshot in, text out.
 */
import { formatBar, formatRate } from "../progress/console_sink.ts";
import { paint } from "../util/ansi.ts";
import { formatBytes, formatDuration, groupDigits } from "../util/format.ts";
import { fitText } from "./fit.ts";
import type { MonitorSnapshot, ProcessSnapshot } from "./snapshot.ts";

/** Options for {@link formatMonitorSnapshot}. */
export interface MonitorFormatOptions {
  /** ANSI colours. Default: false. */
  colors?: boolean;
  /** A last line such as "Refreshing every 5s (Ctrl-C to stop)". Default: none. */
  footer?: string;
  /** Terminal columns: longer lines are cut (never wrapped mid-word). Default: no limit. */
  width?: number;
}

/** `2026-07-01T15:30:45.123Z` → `2026-07-01 15:30:45Z`. */
function shortTime(iso: string | null): string {
  return iso === null ? "—" : iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function heading(title: string, colors: boolean): string[] {
  return ["", paint(title, "bold", colors), "─".repeat(title.length + 4)];
}

function connectionLine(s: MonitorSnapshot, colors: boolean): string {
  const c = s.connection;
  const cached = c.cached ? ", cached" : "";
  switch (c.state) {
    case "connected":
      return `${
        paint("✅ Connected", "green", colors)
      } to "${c.workspace?.name}" (${c.workspace?.id}) ` +
        `in ${c.latency_ms} ms (checked ${shortTime(c.checked_at)}${cached})`;
    case "not_configured":
      return `${paint("⚪ Not configured", "yellow", colors)}: ${c.detail}`;
    case "not_checked":
      return "⚪ Not checked";
    case "token_rejected":
      return `${paint("❌ Token rejected (401)", "boldRed", colors)} by ${c.api_url}: run ` +
        "`fast-intercom-mcp init` with a valid token";
    case "rate_limited":
      return `${
        paint("⚠️  Rate limited (429)", "yellow", colors)
      } by ${c.api_url}: reachable and ` +
        "the token works, but this window's request budget is spent (a running sync uses it)";
    case "unreachable":
      return `${paint("❌ Unreachable", "boldRed", colors)}: ${c.detail}`;
    case "error":
      return `${paint("❌ Error", "boldRed", colors)}: ${c.detail}`;
  }
}

/** A live process's record older than this is not shown as live (a sync beats every second). */
const SILENT_AFTER_SECONDS = 20;

/** One process: its bar and counters, or a loud line when it crashed or stalled. */
export function processLines(p: ProcessSnapshot, colors: boolean): string[] {
  const head = `${p.process_id} (${p.process_type}, pid ${p.pid}): ${p.description}`;
  if (p.alert === "crashed") {
    return [
      paint(`   ✖ CRASHED  ${head}`, "boldRed", colors),
      `     pid ${p.pid} is gone; last heartbeat ${formatDuration(p.heartbeat_age_seconds)} ago. ` +
      "A new sync resumes its work.",
    ];
  }
  // A running sync beats every second: a record older is a picture of the past, so its
  // rate, ETA and phase ("resets in 6s") are not shown as if they were still true.
  const silent = p.alert === null && p.heartbeat_age_seconds >= SILENT_AFTER_SECONDS;
  const fields: string[] = [];
  if (p.percentage !== null) {
    fields.push(`${formatBar(p.percentage, colors)} ${p.percentage.toFixed(1)}%`);
  }
  if (p.current !== null) {
    fields.push(
      p.total === null
        ? groupDigits(p.current)
        : `${groupDigits(p.current)}/${groupDigits(p.total)}`,
    );
  }
  const live = p.alert === null && !silent;
  if (p.rate !== null && live) fields.push(formatRate(p.rate));
  if (p.eta_seconds !== null && live) fields.push(`ETA ${formatDuration(p.eta_seconds)}`);
  if (p.phase && live) fields.push(p.phase);
  if (p.message) fields.push(p.message);
  const lines = p.alert === "stalled"
    ? [paint(`   ⚠ STALLED  ${head}`, "yellow", colors)]
    : [`   ▶ ${head}`];
  lines.push(`     ${fields.length > 0 ? fields.join("  ") : "started, no progress reported yet"}`);
  if (silent) {
    lines.push(paint(
      `     ⚠ no heartbeat for ${formatDuration(p.heartbeat_age_seconds)} (live processes ` +
        "report every few seconds): stopped or hung?",
      "yellow",
      colors,
    ));
  } else if (p.alert === "stalled") {
    lines.push(
      `     no heartbeat for ${formatDuration(p.heartbeat_age_seconds)}: stopped (SIGSTOP) or ` +
        "hung? `debug health` fails until it moves again",
    );
  } else if (p.no_progress && p.progress_age_seconds !== null) {
    lines.push(paint(
      `     ⚠ no progress for ${formatDuration(p.progress_age_seconds)} (alive: heartbeat ${
        formatDuration(p.heartbeat_age_seconds)
      } ago): retrying or waiting? ` +
        `\`fast-intercom-mcp logs show --follow --component ${p.process_type}\``,
      "yellow",
      colors,
    ));
  }
  return lines;
}

/** The dashboard. */
export function formatMonitorSnapshot(
  s: MonitorSnapshot,
  options: MonitorFormatOptions = {},
): string {
  const colors = options.colors ?? false;
  const db = s.database;
  const lines = [
    paint(`FastIntercom MCP Monitor — ${shortTime(s.generated_at)}`, "bold", colors),
    ...heading("Connection Status", colors),
    `   API Connection: ${connectionLine(s, colors)}`,
    `   Database: ${databaseLine(s, colors)}`,
    ...heading("Data Summary", colors),
  ];
  if (db.state === "damaged") {
    lines.push("   Store damaged: no figures until it is repaired or reset (see above).");
  } else if (db.available) {
    lines.push(
      `   Conversations: ${groupDigits(db.conversations)}`,
      `   Messages (parts): ${groupDigits(db.parts)}`,
      `   Contacts: ${groupDigits(db.contacts)}`,
      `   Tickets: ${groupDigits(db.tickets)}`,
      `   Companies: ${groupDigits(db.companies)}`,
      ...db.streams.map((st) =>
        `   ${st.stream[0]!.toUpperCase()}${st.stream.slice(1)} synced up to: ` +
        `${st.cursor === null ? "never" : shortTime(st.cursor)}${
          st.interrupted ? " (interrupted)" : ""
        }`
      ),
      `   Database Size: ${formatBytes(db.size_bytes)}`,
    );
    if (db.quarantined > 0) {
      lines.push(
        `   Quarantined: ${groupDigits(db.quarantined)} unreadable record(s), retried every sync`,
      );
    }
  } else if (db.state === "missing") {
    lines.push("   No data yet.");
  } else {
    lines.push("   No figures: the store cannot be read (see above).");
  }
  lines.push(...heading("⚡ Recent Activity", colors));
  const run = s.last_sync;
  if (run === null) {
    // the runs are in the store: when it cannot be read, "none yet" could be untrue
    lines.push(
      db.state === "damaged"
        ? "   Last Sync: cannot be read (store damaged)"
        : db.state === "unavailable"
        ? "   Last Sync: cannot be read (store unavailable, see above)"
        : "   Last Sync: none yet",
    );
  } else {
    const when = run.status === "running" || run.finished_at === null
      ? `started ${shortTime(run.started_at)}`
      : `finished ${shortTime(run.finished_at)}`;
    const counts = `${groupDigits(run.conversations_fetched)} conversations, ${
      groupDigits(run.parts_upserted)
    } parts`;
    const result = run.status === "completed" || run.status === "running"
      ? counts
      : run.error ?? counts;
    const status = run.status === "failed" || run.status === "crashed"
      ? paint(run.status, "boldRed", colors)
      : run.status;
    lines.push(`   Last Sync: run ${run.run_id} (${run.mode}) ${status}, ${when}: ${result}`);
  }
  lines.push(...syncLines(s, colors));
  if (s.processes.length === 0) lines.push("   Running: nothing");
  else {
    lines.push(`   Running: ${s.processes.length} process${s.processes.length === 1 ? "" : "es"}`);
    for (const p of s.processes) lines.push(...processLines(p, colors));
  }
  const e = s.errors;
  const window = formatDuration(e.window_seconds).replace(/^1h00m$/, "hour");
  const count = e.count === 0 ? "0" : paint(String(e.count), "boldRed", colors);
  const warnings = e.warnings === 0
    ? ""
    : ` and ${e.warnings} warning${e.warnings === 1 ? "" : "s"} ` +
      "(`fast-intercom-mcp logs errors --summary`)";
  lines.push(`   Recent Errors: ${count} in the last ${window}${warnings}`);
  if (e.newest !== null) {
    lines.push(
      `     newest ${shortTime(e.newest.timestamp)} [${e.newest.category}/${e.newest.kind}] ` +
        `${e.newest.component}: ${e.newest.message.replace(/\s+/g, " ")}`,
    );
  }
  for (const a of s.anomalies) {
    lines.push(paint(`   ⚠ Anomaly (${a.kind}): ${a.detail}`, "yellow", colors));
  }
  if (options.footer) lines.push("", options.footer);
  const text = lines.join("\n");
  return options.width === undefined ? text : fitText(text, options.width);
}

function databaseLine(s: MonitorSnapshot, colors: boolean): string {
  const db = s.database;
  switch (db.state) {
    case "available":
      return `${paint("✅ Available", "green", colors)} (${db.path})`;
    case "damaged":
      return `${paint("❌ Damaged", "boldRed", colors)}: ${db.error}`;
    case "missing":
      return `${paint("⚪ No store yet", "yellow", colors)} (${db.path}): run ` +
        "`fast-intercom-mcp sync`";
    default:
      return `${paint("❌ Not available", "boldRed", colors)}: ${db.error}`;
  }
}

/** The sync's state when it needs saying: what `status` and `debug health` say too. */
function syncLines(s: MonitorSnapshot, colors: boolean): string[] {
  switch (s.sync.state) {
    case "crashed":
      return [paint(`   Sync: ✖ CRASHED: ${s.sync.detail}`, "boldRed", colors)];
    case "stalled":
      return [paint(`   Sync: ⚠ STALLED: ${s.sync.detail}`, "yellow", colors)];
    case "interrupted":
      return [`   Sync: interrupted: ${s.sync.detail}`];
    case "failed":
      return [paint(`   Sync: failed: ${s.sync.detail}`, "boldRed", colors)];
    case "running": {
      // a crash before this run is still unresolved: say so, as debug health does
      const crash = s.sync.unresolved_crash;
      return crash === null ? [] : [
        paint(
          `   Sync: running; before it, ${crash}: no sync has completed since`,
          "yellow",
          colors,
        ),
      ];
    }
    default:
      return [];
  }
}
