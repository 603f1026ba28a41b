/** Small formatters shared by command outputs. Pure functions. */
import Table from "cli-table3";
import { isoFromSeconds } from "../util/clock.ts";

/** `12345` → `12,345`. */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Bytes for people: `157.3 MB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A Unix-seconds time as ISO UTC, or `—` when absent. */
export function formatTime(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? "—" : isoFromSeconds(seconds);
}

/** A two-column key/value table (no colour codes, so it reads the same in a pipe). */
export function keyValueTable(rows: [string, string][]): string {
  const table = new Table({ style: { head: [], border: [] } });
  for (const [k, v] of rows) table.push({ [k]: v });
  return table.toString();
}

/** A table with a header row. */
export function gridTable(head: string[], rows: string[][]): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  table.push(...rows);
  return table.toString();
}
