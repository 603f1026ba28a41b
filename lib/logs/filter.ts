/**
 * Which log lines a command wants: level range, components, regular expressions (all must
 * match), time window, session and status-tracker process. Built once from the flags by
 * {@link buildLogFilter}; applied in two steps so that most lines are rejected before they
 * are fully parsed: {@link matchesHead} on the cheap fields, {@link matchesEntry} on the rest.
 */
import { InputError } from "../errors.ts";
import { parseTimeSpecFlag } from "../util/time_spec.ts";
import {
  isoOf,
  type LevelRange,
  levelRank,
  LEVELS,
  type LogEntry,
  type LogHead,
  messageOf,
  parseLevelRange,
  parseLogEntry,
} from "./entry.ts";

/** A compiled filter. Times are milliseconds since the epoch. */
export interface LogFilter {
  levels: LevelRange;
  /** Components to keep; null keeps all. */
  components: ReadonlySet<string> | null;
  /** Every pattern must match {@link filterText} of the line. */
  patterns: readonly RegExp[];
  /** Keep lines at or after this time; null: no lower bound. */
  since: number | null;
  /** Keep lines at or before this time; null: no upper bound. */
  until: number | null;
  sessionId: string | null;
  processId: string | null;
}

/** A filter that keeps every line. */
export const ALL_LINES: LogFilter = {
  levels: { min: 0, max: LEVELS.length - 1 },
  components: null,
  patterns: [],
  since: null,
  until: null,
  sessionId: null,
  processId: null,
};

/** The flags shared by the log commands, as commander gives them. */
export interface LogFilterFlags {
  level?: string | undefined;
  component?: string[] | undefined;
  filter?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  session?: string | undefined;
  process?: string | undefined;
}

/** Options for {@link buildLogFilter}. */
export interface BuildFilterOptions {
  /** Current time, ms. Default: `Date.now()`. */
  now?: number;
  /** `--since` when the flag is absent (e.g. "1h" for `logs errors`). Default: none. */
  defaultSince?: string;
  /** `--level` when the flag is absent (e.g. "error" for `logs errors`). Default: every level. */
  defaultLevel?: string;
}

/** Turns the flags into a filter; throws a InputError naming the fix for any bad value. */
export function buildLogFilter(flags: LogFilterFlags, options: BuildFilterOptions = {}): LogFilter {
  const now = options.now ?? Date.now();
  const nowSeconds = Math.floor(now / 1000);
  const sinceText = flags.since ?? options.defaultSince;
  const since = sinceText === undefined
    ? null
    : parseTimeSpecFlag("--since", sinceText, nowSeconds) * 1000;
  // "now" and durations resolve to whole seconds; an --until of now keeps this second's lines
  const until = flags.until === undefined
    ? null
    : parseTimeSpecFlag("--until", flags.until, nowSeconds) * 1000 + 999;
  if (since !== null && until !== null && since > until) {
    throw new InputError(
      `--since "${sinceText}" is after --until "${flags.until}": swap them or widen the window`,
    );
  }
  const components = parseComponents(flags.component ?? []);
  return {
    levels: (flags.level ?? options.defaultLevel) === undefined
      ? ALL_LINES.levels
      : parseLevelRange((flags.level ?? options.defaultLevel)!),
    components: components.size === 0 ? null : components,
    patterns: (flags.filter ?? []).map(parseFilterPattern),
    since,
    until,
    sessionId: nonEmpty(flags.session),
    processId: nonEmpty(flags.process),
  };
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text.trim() === "" ? null : text.trim();
}

/** `--component sync --component api,store` → {sync, api, store} (lower case). */
export function parseComponents(values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    for (const part of value.split(",")) {
      const name = part.trim().toLowerCase();
      if (name === "") continue;
      if (!/^[a-z0-9_.-]+$/.test(name)) {
        throw new InputError(
          `--component "${part.trim()}" is not a component name: use names such as sync, api, ` +
            "store, mcp, cli (letters, digits, _ . -)",
        );
      }
      out.add(name);
    }
  }
  return out;
}

/**
 * Compiles a `--filter` regular expression (JavaScript syntax). grep's basic-regex
 * alternation `\|` is accepted as `|`, so the patterns of the design's examples work.
 */
export function parseFilterPattern(text: string): RegExp {
  const source = text.replace(/\\\\|\\\|/g, (m) => (m === "\\|" ? "|" : m));
  try {
    return new RegExp(source);
  } catch (error) {
    throw new InputError(
      `--filter "${text}" is not a valid regular expression (${
        (error as Error).message
      }): escape special characters such as ( [ + * ? with a backslash`,
      { cause: error },
    );
  }
}

/** The text `--filter` patterns are matched against: `ERROR sync: sync failed: …`. */
export function filterText(entry: LogEntry): string {
  return `${entry.level.toUpperCase()} ${entry.component}: ${entry.message}`;
}

/** A filter with its time bounds as timestamp strings, for fast comparisons. */
export interface PreparedFilter extends LogFilter {
  sinceIso: string | null;
  untilIso: string | null;
  /** Whether {@link matchesEntry} has anything to check beyond the head. */
  needsEntry: boolean;
  /** Per pattern: the plain strings it is an alternation of, or null when it is a real regex. */
  literals: (string[] | null)[];
}

/** Precomputes what the per-line checks need. */
export function prepareFilter(filter: LogFilter): PreparedFilter {
  return {
    ...filter,
    sinceIso: filter.since === null ? null : isoOf(filter.since),
    untilIso: filter.until === null ? null : isoOf(filter.until),
    needsEntry: filter.patterns.length > 0 || filter.sessionId !== null ||
      filter.processId !== null,
    literals: filter.patterns.map(literalsOf),
  };
}

/** The checks on timestamp, level and component. */
export function matchesHead(filter: PreparedFilter, head: LogHead): boolean {
  if (filter.sinceIso !== null && head.timestamp < filter.sinceIso) return false;
  if (filter.untilIso !== null && head.timestamp > filter.untilIso) return false;
  const rank = levelRank(head.level);
  if (rank < filter.levels.min || rank > filter.levels.max) return false;
  return filter.components === null || componentMatches(filter.components, head.component);
}

/**
 * Whether a line of `component` is one of `wanted`: its own name, or a dotted part of it, so
 * `sync` keeps `sync.api` (the API calls a sync makes) and `api` keeps every API call.
 */
export function componentMatches(wanted: ReadonlySet<string>, component: string): boolean {
  if (wanted.has(component)) return true; // the usual case, without a lower-case copy
  const name = component.toLowerCase();
  if (wanted.has(name)) return true;
  if (!name.includes(".")) return false;
  const parts = name.split(".");
  for (let i = 1; i < parts.length; i++) {
    if (wanted.has(parts.slice(0, i).join(".")) || wanted.has(parts.slice(i).join("."))) {
      return true;
    }
  }
  return false;
}

/**
 * The plain strings a pattern is an alternation of (`Retrying GET`, `sync failed|timeout`,
 * `GET /me\\?x`), or null when it uses any other regex syntax. Strings JSON would escape in
 * the raw line (quotes, backslashes, control characters, lone surrogates) do not qualify.
 */
export function literalsOf(pattern: RegExp): string[] | null {
  if (pattern.flags !== "") return null;
  const out: string[] = [];
  let current = "";
  const source = pattern.source;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[++i];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return null;
      current += next;
    } else if (c === "|") {
      out.push(current);
      current = "";
    } else if ("^$.*+?()[]{}".includes(c)) return null;
    else current += c;
  }
  out.push(current);
  // an empty alternative matches everything; JSON-escaped characters differ in the raw line
  return out.some((l) => l === "" || !jsonVerbatim(l)) ? null : out;
}

/** Whether JSON.stringify writes `text` unchanged inside a string. */
function jsonVerbatim(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a plain-string pattern can match the line, from the raw text: a string absent from
 * the raw line can only occur where `LEVEL component: ` is built, at the start of the text.
 */
function literalMayMatch(literals: string[], head: LogHead, raw: string): boolean {
  let prefix: string | null = null;
  for (const literal of literals) {
    if (raw.includes(literal)) return true;
    prefix ??= `${head.level.toUpperCase()} ${head.component}: `;
    if (prefix.includes(literal)) return true;
    for (let k = Math.min(literal.length - 1, prefix.length); k > 0; k--) {
      if (prefix.endsWith(literal.slice(0, k))) return true;
    }
  }
  return false;
}

/** A quick test on the raw line that can only reject: ids must appear in it verbatim. */
export function mayMatchRaw(filter: PreparedFilter, raw: string): boolean {
  if (filter.sessionId !== null && !raw.includes(filter.sessionId)) return false;
  return filter.processId === null || raw.includes(filter.processId);
}

/** Whether every pattern matches the line, from its head and message (see {@link filterText}). */
export function matchesPatterns(filter: LogFilter, head: LogHead, message: string): boolean {
  if (filter.patterns.length === 0) return true;
  const text = `${head.level.toUpperCase()} ${head.component}: ${message}`;
  return filter.patterns.every((pattern) => pattern.test(text));
}

/** The checks that need the parsed line: session, process and patterns. */
export function matchesEntry(filter: PreparedFilter, entry: LogEntry): boolean {
  if (filter.sessionId !== null && entry.sessionId !== filter.sessionId) return false;
  if (filter.processId !== null && entry.processId !== filter.processId) return false;
  return matchesPatterns(filter, entry, entry.message);
}

/**
 * All the checks of {@link matchesHead} and {@link matchesEntry} on a raw line, parsing it
 * only when the cheap ones pass; the entry when the line is kept.
 */
export function matchLine(filter: PreparedFilter, head: LogHead, raw: string): LogEntry | null {
  if (!matchesHead(filter, head)) return null;
  if (filter.needsEntry) {
    if (!mayMatchRaw(filter, raw)) return null;
    for (const literals of filter.literals) {
      if (literals !== null && !literalMayMatch(literals, head, raw)) return null;
    }
    if (filter.patterns.length > 0) {
      const message = messageOf(raw, head);
      if (message !== null && !matchesPatterns(filter, head, message)) return null;
    }
  }
  const entry = parseLogEntry(raw);
  if (entry === null || (filter.needsEntry && !matchesEntry(filter, entry))) return null;
  return entry;
}

/** The filter in words, for "nothing matched" lines: `level warning..fatal, component sync`. */
export function describeFilter(filter: LogFilter): string {
  const parts: string[] = [];
  const { min, max } = filter.levels;
  if (min > 0 || max < LEVELS.length - 1) {
    parts.push(
      max === LEVELS.length - 1
        ? `level ${LEVELS[min]} and above`
        : `level ${LEVELS[min]}..${LEVELS[max]}`,
    );
  }
  if (filter.components !== null) parts.push(`component ${[...filter.components].join(",")}`);
  for (const pattern of filter.patterns) parts.push(`matching /${pattern.source}/`);
  if (filter.since !== null) parts.push(`since ${isoOf(filter.since)}`);
  if (filter.until !== null) parts.push(`until ${isoOf(filter.until)}`);
  if (filter.sessionId !== null) parts.push(`session ${filter.sessionId}`);
  if (filter.processId !== null) parts.push(`process ${filter.processId}`);
  return parts.length === 0 ? "no filter" : parts.join(", ");
}
