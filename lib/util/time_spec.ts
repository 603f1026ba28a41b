/**
 * Points in time as users write them on the command line (`--since`, `--until`):
 * durations (`30s`, `15m`, `1h30m`, `2d`: that long ago), words (`now`, `today`, `yesterday`),
 * phrases (`2 days ago`, `3 hours ago`), Unix seconds (`@1767225600`) and ISO 8601 dates
 * and times (`2026-01-02`, `2026-01-02 15:04`, `2026-01-02T15:04:05Z`, with an offset or
 * without; a time without an offset is UTC). Everything resolves to Unix seconds UTC.
 */
import { InputError } from "../errors.ts";
import { parseDurationMs } from "./duration.ts";

/** What every `--since`/`--until` accepts, for error messages and help. */
export const TIME_SPEC_FORMS =
  'a duration (30s, 15m, 2h, 1h30m, 2d), "now", "today", "yesterday", "N minutes/hours/days/weeks ago", ' +
  "an ISO date or time (2026-01-02, 2026-01-02 15:04, 2026-01-02T15:04:05Z) or @UNIX_SECONDS";

const AGO = /^(\d+)\s*(second|sec|minute|min|hour|hr|day|week)s?\s+ago$/;
const AGO_SECONDS: Record<string, number> = {
  second: 1,
  sec: 1,
  minute: 60,
  min: 60,
  hour: 3600,
  hr: 3600,
  day: 86400,
  week: 604800,
};
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Start of the UTC day containing `seconds`. */
export function startOfUtcDay(seconds: number): number {
  return Math.floor(seconds / 86400) * 86400;
}

/**
 * Parses a time spec into Unix seconds, relative to `nowSeconds`; `null` when not one.
 * Use {@link parseTimeSpecFlag} for flags (it throws a InputError naming the forms).
 */
export function parseTimeSpec(text: string, nowSeconds: number): number | null {
  const t = text.trim().toLowerCase();
  if (t === "") return null;
  if (t === "now") return nowSeconds;
  if (t === "today") return startOfUtcDay(nowSeconds);
  if (t === "yesterday") return startOfUtcDay(nowSeconds) - 86400;
  if (/^@\d+$/.test(t)) return Number(t.slice(1));
  const ago = AGO.exec(t);
  if (ago) return nowSeconds - Number(ago[1]) * AGO_SECONDS[ago[2]!]!;
  const ms = parseDurationMs(t);
  if (ms !== null) return nowSeconds - Math.floor(ms / 1000);
  return parseIsoSeconds(text.trim());
}

/** Parses an ISO 8601 date or date-time; without an offset it is UTC. `null` when invalid. */
export function parseIsoSeconds(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  // Sub-second digits (group 7) are dropped: stored times are whole seconds.
  const [, y, mo, d, h = "0", mi = "0", s = "0", , zone] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(utc);
  if (
    check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) ||
    Number(h) > 23 || Number(mi) > 59 || Number(s) > 59
  ) return null;
  let seconds = Math.floor(utc / 1000);
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return seconds;
}

/** Parses a `--since`-style flag value; throws a InputError listing the accepted forms. */
export function parseTimeSpecFlag(flag: string, text: string, nowSeconds: number): number {
  const value = parseTimeSpec(text, nowSeconds);
  if (value === null) {
    throw new InputError(`cannot parse ${flag} "${text}": use ${TIME_SPEC_FORMS}`);
  }
  return value;
}
