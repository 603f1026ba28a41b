/**
 * How log lines are printed: a human line (coloured on a terminal), a JSON object that keeps
 * the message apart from its metadata, and the export encodings (json, ndjson, csv, text).
 * Formatters are pure factories: `getXFormatter(options)` returns `(entry) => string`.
 */
import { paint, type Style } from "../util/ansi.ts";
import { groupDigits } from "../util/format.ts";
import type { LogEntry } from "./entry.ts";

/** Options for {@link getHumanFormatter}. */
export interface HumanFormatterOptions {
  /** ANSI colours. Default: false. */
  colors?: boolean;
}

const LEVEL_LABELS: Record<string, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  warning: "WARNING",
  error: "ERROR",
  fatal: "FATAL",
};

const LEVEL_STYLES: Record<string, Style> = {
  trace: "dim",
  debug: "dim",
  info: "green",
  warning: "yellow",
  error: "red",
  fatal: "boldRed",
};

/** `ERROR`, `WARNING`… for a level (unknown levels in upper case). */
export function levelLabel(level: string): string {
  return LEVEL_LABELS[level] ?? level.toUpperCase();
}

/** `2026-07-01T15:30:45.123Z ERROR   sync: sync failed: …` (message on one line). */
export function getHumanFormatter(options: HumanFormatterOptions = {}): (e: LogEntry) => string {
  const colors = options.colors ?? false;
  return (entry) => {
    const label = levelLabel(entry.level).padEnd(7);
    const message = oneLine(entry.message);
    if (!colors) return `${entry.timestamp} ${label} ${entry.component}: ${message}`;
    const style = LEVEL_STYLES[entry.level];
    return `${paint(entry.timestamp, "dim")} ${style ? paint(label, style) : label} ` +
      `${paint(entry.component, "cyan")}: ${message}`;
  };
}

function oneLine(text: string): string {
  return text.includes("\n") ? text.replace(/\r?\n/g, "⏎ ") : text;
}

/** The JSON form of an entry: fixed fields, then the record's own properties apart. */
export function entryJson(entry: LogEntry): Record<string, unknown> {
  return {
    timestamp: entry.timestamp,
    level: entry.level,
    component: entry.component,
    message: entry.message,
    session_id: entry.sessionId,
    pid: entry.pid,
    process_id: entry.processId,
    properties: entry.properties,
  };
}

/** One NDJSON line (without the newline). */
export function getNdjsonFormatter(): (e: LogEntry) => string {
  return (entry) => JSON.stringify(entryJson(entry));
}

/** The export encodings. */
export const EXPORT_FORMATS = ["json", "ndjson", "csv", "text"] as const;

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = typeof EXPORT_FORMATS[number];

/** The columns of a CSV export. */
export const CSV_COLUMNS = [
  "timestamp",
  "level",
  "component",
  "message",
  "session_id",
  "pid",
  "process_id",
  "properties",
] as const;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV row of an entry (without the line break); properties as a JSON object. */
export function csvRow(entry: LogEntry): string {
  const properties = Object.keys(entry.properties).length === 0
    ? ""
    : JSON.stringify(entry.properties);
  return [
    entry.timestamp,
    entry.level,
    entry.component,
    entry.message,
    entry.sessionId ?? "",
    entry.pid === null ? "" : String(entry.pid),
    entry.processId ?? "",
    properties,
  ].map(csvField).join(",");
}

/** Streams entries into one export format: a head, each entry's text, a tail. */
export interface ExportEncoder {
  head(): string;
  entry(entry: LogEntry, index: number): string;
  tail(count: number): string;
}

/** The encoder of a format. CSV and text lines end with CRLF and LF respectively. */
export function getExportEncoder(format: ExportFormat): ExportEncoder {
  switch (format) {
    case "json":
      return {
        head: () => "[",
        entry: (e, i) => `${i === 0 ? "\n" : ",\n"}  ${JSON.stringify(entryJson(e))}`,
        tail: (count) => (count === 0 ? "]\n" : "\n]\n"),
      };
    case "ndjson":
      return { head: () => "", entry: (e) => JSON.stringify(entryJson(e)) + "\n", tail: () => "" };
    case "csv":
      return {
        head: () => CSV_COLUMNS.join(",") + "\r\n",
        entry: (e) => csvRow(e) + "\r\n",
        tail: () => "",
      };
    case "text": {
      const human = getHumanFormatter();
      return { head: () => "", entry: (e) => human(e) + "\n", tail: () => "" };
    }
  }
}

/** The fields of a progress event that {@link formatProgressEvent} shows. */
export interface ProgressEventFields {
  timestamp: string;
  type: string;
  operation: string;
  operation_id: string;
  message: string;
  current: number | null;
  total: number | null;
  percentage: number | null;
  rate: number | null;
  eta_seconds: number | null;
  phase?: string | null;
}

/** `2026-… PROGRESS sync: 42.0%  420/1,000  12.3/s  ETA 47s  Fetching page 3` and the like. */
export function formatProgressEvent(
  event: ProgressEventFields,
  options: HumanFormatterOptions = {},
): string {
  const fields: string[] = [];
  if (event.percentage !== null) fields.push(`${event.percentage.toFixed(1)}%`);
  if (event.current !== null) {
    fields.push(
      event.total === null
        ? groupDigits(event.current)
        : `${groupDigits(event.current)}/${groupDigits(event.total)}`,
    );
  }
  if (event.rate !== null) fields.push(`${event.rate.toFixed(1)}/s`);
  if (event.eta_seconds !== null) fields.push(`ETA ${Math.round(event.eta_seconds)}s`);
  if (event.phase) fields.push(event.phase);
  const verb: Record<string, string> = {
    operation_start: "started: ",
    operation_complete: "completed: ",
    operation_failed: "FAILED: ",
    heartbeat: "heartbeat ",
  };
  const text = `${verb[event.type] ?? ""}${
    [...fields, event.message].filter((f) => f !== "").join("  ")
  }`;
  const label = "PROGRESS";
  if (!options.colors) return `${event.timestamp} ${label} ${event.operation}: ${text}`;
  return `${paint(event.timestamp, "dim")} ${paint(label, "magenta")} ` +
    `${paint(event.operation, "cyan")}: ${text}`;
}
