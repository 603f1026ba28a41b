/** Tables and times for command outputs (numbers, bytes, durations: `lib/util/format.ts`). */
import Table from "cli-table3";
import type { QuarantineEntry } from "../store/sync_gaps.ts";
import { isoFromSeconds } from "../util/clock.ts";

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

/** A quarantined record as `sync --json` and `status --json` print it (snake_case). */
export function quarantineJson(q: QuarantineEntry) {
  return {
    kind: q.kind,
    id: q.id,
    reason: q.reason,
    endpoint: q.endpoint,
    first_seen_at: q.firstSeenAt,
    last_seen_at: q.lastSeenAt,
    attempts: q.attempts,
  };
}
