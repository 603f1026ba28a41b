/**
 * Which period the store covers, from the history of completed sync runs: each completed run
 * stored every conversation updated in its window, so the union of their windows (merged
 * where they touch) is what the store holds. Pure functions over the runs.
 */
import type { SyncRun } from "../sync/run_record.ts";

/** A covered span of `updated_at`, inclusive Unix seconds. */
export interface Span {
  start: number;
  end: number;
}

/** How a window compares with what was synced. */
export type CoverageStatus = "covered" | "partial" | "not_covered" | "never_synced";

/** The answer of {@link checkWindow}. */
export interface WindowCoverage {
  status: CoverageStatus;
  /** The parts of the window no completed sync covered. */
  gaps: Span[];
  /** Start of a recent, tolerated tail not synced yet (see `toleranceSeconds`), or null. */
  unsyncedSince: number | null;
}

/** Merges the windows of completed runs into disjoint spans, oldest first. */
export function coveredSpans(runs: readonly SyncRun[]): Span[] {
  const windows = runs
    .filter((r) => r.status === "completed" && r.windowEnd !== null)
    .map((r) => ({ start: r.windowStart ?? 0, end: r.windowEnd! }))
    .sort((a, b) => a.start - b.start);
  const spans: Span[] = [];
  for (const w of windows) {
    const last = spans[spans.length - 1];
    if (last !== undefined && w.start <= last.end + 1) last.end = Math.max(last.end, w.end);
    else spans.push({ ...w });
  }
  return spans;
}

/** Options of {@link checkWindow}. */
export interface CheckWindowOptions {
  /** Unix seconds; the window's end is capped here, since the future cannot be synced yet. */
  now: number;
  /**
   * A trailing gap from the last sync to `now` shorter than this is freshness, not a hole:
   * it is reported in `unsyncedSince` but does not make the window partial. Default 0.
   */
  toleranceSeconds?: number;
}

/**
 * Whether every conversation active in `[start, end]` is stored: that needs the window from
 * `start` to `end` synced (a conversation active in the window was updated at or after its
 * start).
 */
export function checkWindow(
  spans: readonly Span[],
  window: { start: number; end: number },
  options: CheckWindowOptions,
): WindowCoverage {
  const { now, toleranceSeconds = 0 } = options;
  const end = Math.min(window.end, now);
  if (spans.length === 0) {
    return {
      status: "never_synced",
      gaps: [{ start: window.start, end: Math.max(end, window.start) }],
      unsyncedSince: null,
    };
  }
  const gaps: Span[] = [];
  let from = window.start;
  for (const span of spans) {
    if (span.end < from) continue;
    if (span.start > end) break;
    if (span.start > from) gaps.push({ start: from, end: span.start - 1 });
    from = Math.max(from, span.end + 1);
    if (from > end) break;
  }
  let unsyncedSince: number | null = null;
  if (from <= end) {
    const lastSynced = spans[spans.length - 1]!.end;
    const tail = from === lastSynced + 1 && end === now && now - lastSynced <= toleranceSeconds;
    if (tail) unsyncedSince = from;
    else gaps.push({ start: from, end });
  }
  const gapSeconds = gaps.reduce((n, g) => n + g.end - g.start + 1, 0);
  const status = gaps.length === 0
    ? "covered"
    : gapSeconds >= end - window.start + 1
    ? "not_covered"
    : "partial";
  return { status, gaps, unsyncedSince };
}
