/**
 * Time windows as people (and models) say them: "today", "last 7 days", "this week",
 * "last month", "since 2026-01-01", "2026-01-05 to 2026-01-12". Calendar words use the UTC
 * calendar and weeks start on Monday. Every bound is inclusive Unix seconds; `null` means
 * unbounded on that side. Pure: the current time is passed in.
 */
import { InputError } from "../errors.ts";
import { parseTimeSpec, startOfUtcDay } from "./time_spec.ts";

/** A resolved window: inclusive Unix-second bounds and a canonical description. */
export interface Timeframe {
  /** First second of the window, or null for "from the beginning". */
  start: number | null;
  /** Last second of the window, or null for "until now and beyond". */
  end: number | null;
  /** What the window is, for messages: `last 7 days`, `2026-01-05 … 2026-01-12`. */
  label: string;
}

/** Every accepted form, for error messages and tool descriptions. */
export const TIMEFRAME_FORMS =
  '"today", "yesterday", "this week", "last week", "this month", "last month", "this year", ' +
  '"last year", "last N minutes/hours/days/weeks/months" (also "past N …", "last hour", ' +
  '"last 24 hours"), "since <date or time>" (e.g. "since 2026-01-01", "since yesterday"), ' +
  '"before <date or time>", a single date "2026-01-05", a range "2026-01-05 to 2026-01-12" ' +
  '(also "from … to …", "between … and …"), or "all time"';

const DAY = 86400;
const UNIT_SECONDS: Record<string, number> = {
  minute: 60,
  min: 60,
  hour: 3600,
  hr: 3600,
  day: DAY,
  week: 7 * DAY,
};
const LAST_N = /^(?:last|past|previous)\s+(?:(\d+)\s+)?(minute|min|hour|hr|day|week|month)s?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RANGE = /^(?:from\s+|between\s+)?(.+?)\s+(?:to|until|and|through|-|–|\.\.)\s+(.+)$/;

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1) / 1000;
}

/** Monday 00:00 UTC of the week containing `seconds`. */
function weekStart(seconds: number): number {
  const day = startOfUtcDay(seconds);
  const weekday = (new Date(day * 1000).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - weekday * DAY;
}

/** `seconds` moved back `months` calendar months, the day clamped to the month's length. */
function monthsBefore(seconds: number, months: number): number {
  const d = new Date(seconds * 1000);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0))
    .getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return target.getTime() / 1000;
}

function calendarWord(t: string, now: number): Timeframe | null {
  const date = new Date(now * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const today = startOfUtcDay(now);
  switch (t) {
    case "today":
      return { start: today, end: now, label: "today" };
    case "yesterday":
      return { start: today - DAY, end: today - 1, label: "yesterday" };
    case "this week":
      return { start: weekStart(now), end: now, label: "this week" };
    case "last week":
    case "previous week":
      return { start: weekStart(now) - 7 * DAY, end: weekStart(now) - 1, label: "last week" };
    case "this month":
      return { start: monthStart(year, month), end: now, label: "this month" };
    case "last month":
    case "previous month":
      return {
        start: monthStart(year, month - 1),
        end: monthStart(year, month) - 1,
        label: "last month",
      };
    case "this year":
      return { start: monthStart(year, 0), end: now, label: "this year" };
    case "last year":
    case "previous year":
      return { start: monthStart(year - 1, 0), end: monthStart(year, 0) - 1, label: "last year" };
    case "all":
    case "all time":
    case "any time":
    case "anytime":
    case "ever":
      return { start: null, end: null, label: "all time" };
  }
  return null;
}

function lastN(t: string, now: number): Timeframe | null {
  const m = LAST_N.exec(t);
  if (!m) return null;
  const count = m[1] === undefined ? 1 : Number(m[1]);
  const unit = m[2]!;
  if (count < 1) return null;
  const canonical = unit === "min" ? "minute" : unit === "hr" ? "hour" : unit;
  const label = `last ${count} ${canonical}${count === 1 ? "" : "s"}`;
  if (unit === "month") return { start: monthsBefore(now, count), end: now, label };
  return { start: now - count * UNIT_SECONDS[unit]!, end: now, label };
}

/**
 * One side of a window from a date or time: a date alone as an end means the end of that
 * day (so "to 2026-01-12" includes the 12th). `null` when `text` is not a time.
 */
export function parseBound(
  text: string,
  options: { now: number; side: "start" | "end" },
): number | null {
  const { now, side } = options;
  const trimmed = text.trim();
  const seconds = parseTimeSpec(trimmed, now);
  if (seconds === null) return null;
  const lower = trimmed.toLowerCase();
  const wholeDay = DATE_ONLY.test(trimmed) || lower === "today" || lower === "yesterday";
  return side === "end" && wholeDay ? seconds + DAY - 1 : seconds;
}

function range(t: string, now: number): Timeframe | null {
  const m = RANGE.exec(t);
  if (!m) return null;
  const start = parseBound(m[1]!, { now, side: "start" });
  const end = parseBound(m[2]!, { now, side: "end" });
  if (start === null || end === null || end < start) return null;
  return { start, end, label: `${m[1]} … ${m[2]}` };
}

/**
 * Resolves a timeframe phrase against `nowSeconds`, or returns null when it is not one of
 * {@link TIMEFRAME_FORMS}. Case and extra spaces do not matter.
 *
 * @example parseTimeframe("last 7 days", now) // { start: now - 604800, end: now, label: "last 7 days" }
 */
export function parseTimeframe(text: string, nowSeconds: number): Timeframe | null {
  // lower case is safe for ISO times too: their parser ignores case
  const t = text.trim().replace(/\s+/g, " ").toLowerCase();
  if (t === "") return null;
  const word = calendarWord(t, nowSeconds) ?? lastN(t, nowSeconds);
  if (word) return word;
  const since = /^(?:since|after|from)\s+(.+)$/.exec(t);
  if (since && !RANGE.test(t)) {
    const start = parseBound(since[1]!, { now: nowSeconds, side: "start" });
    return start === null ? null : { start, end: nowSeconds, label: `since ${since[1]}` };
  }
  const before = /^(?:before|until)\s+(.+)$/.exec(t);
  if (before) {
    const end = parseBound(before[1]!, { now: nowSeconds, side: "start" });
    return end === null ? null : { start: null, end: end - 1, label: `before ${before[1]}` };
  }
  if (DATE_ONLY.test(t)) {
    const start = parseBound(t, { now: nowSeconds, side: "start" });
    return start === null ? null : { start, end: start + DAY - 1, label: t };
  }
  return range(t, nowSeconds);
}

/** Like {@link parseTimeframe} but throws a InputError naming `name` and the accepted forms. */
export function parseTimeframeOrThrow(name: string, text: string, nowSeconds: number): Timeframe {
  const frame = parseTimeframe(text, nowSeconds);
  if (frame === null) {
    throw new InputError(`cannot understand ${name} "${text}": use ${TIMEFRAME_FORMS}`);
  }
  return frame;
}
