/**
 * One line of the JSON log files (main.log, sync.log, errors.log), parsed.
 *
 * Reading gigabytes of logs is dominated by parsing, so {@link parseLogHead} reads the three
 * fields every filter needs (timestamp, level, component) by position, without `JSON.parse`,
 * when the line has the shape our formatter writes; {@link parseLogEntry} parses the whole
 * line only for the lines that survive the cheap filters.
 */
import { InputError } from "../errors.ts";

/** Level names in increasing severity (LogTape's, which the log files use). */
export const LEVELS = ["trace", "debug", "info", "warning", "error", "fatal"] as const;

/** A level as written in the log files. */
export type LevelName = typeof LEVELS[number];

const ALIASES: Record<string, LevelName> = {
  warn: "warning",
  critical: "fatal",
  crit: "fatal",
  err: "error",
};

/** Severity rank of a level name (`debug` 1 … `fatal` 5); unknown levels rank as `info`. */
export function levelRank(level: string): number {
  const rank = (LEVELS as readonly string[]).indexOf(level);
  return rank === -1 ? 2 : rank;
}

/** The rank of `error`, the level from which a line is an error. */
export const ERROR_RANK = levelRank("error");

/** Reads a level name; Python-style upper case and `warn`/`critical` are accepted. Null if unknown. */
export function parseLevelName(text: string): LevelName | null {
  const t = text.trim().toLowerCase();
  if ((LEVELS as readonly string[]).includes(t)) return t as LevelName;
  return ALIASES[t] ?? null;
}

/** A range of levels, as ranks, both ends included. */
export interface LevelRange {
  min: number;
  max: number;
}

const LEVEL_FORMS = "debug, info, warning (warn), error, fatal (critical)";

/**
 * Parses `--level`: a minimum (`warning`: warning and above) or a range (`warning..error`,
 * `..info`, `error..`). Throws a InputError naming the accepted levels.
 */
export function parseLevelRange(text: string): LevelRange {
  const fail = (why: string): never => {
    throw new InputError(
      `--level "${text}" is not valid (${why}): use a level (${LEVEL_FORMS}) for a minimum, ` +
        'or a range such as "warning..error"',
    );
  };
  const parts = text.split("..");
  if (parts.length > 2) fail("more than one ..");
  const rankOf = (part: string, fallback: number): number => {
    if (part.trim() === "") return fallback;
    const level = parseLevelName(part);
    return level === null ? fail(`unknown level "${part.trim()}"`) : levelRank(level);
  };
  if (parts.length === 1) return { min: rankOf(parts[0] ?? "", 0), max: LEVELS.length - 1 };
  const min = rankOf(parts[0] ?? "", 0);
  const max = rankOf(parts[1] ?? "", LEVELS.length - 1);
  if (min > max) fail("the lower level comes first");
  return { min, max };
}

/** The fields every filter looks at, read cheaply. */
export interface LogHead {
  /** UTC ISO time as written (`2026-07-01T15:30:45.123Z`); compares as a string. */
  timestamp: string;
  level: string;
  component: string;
  /** Where `,"message":"` should start in the raw line (fast path only); for {@link messageOf}. */
  messageAt?: number;
}

/** A parsed log line. */
export interface LogEntry extends LogHead {
  message: string;
  sessionId: string | null;
  pid: number | null;
  processId: string | null;
  /** The structured properties of the record (everything but the fields above). */
  properties: Record<string, unknown>;
  /** The line as it is in the file. */
  raw: string;
}

const TS_PREFIX = '{"timestamp":"';
const LEVEL_KEY = '","level":"';
const COMPONENT_KEY = '","component":"';
const ISO_LENGTH = 24;

/**
 * Reads timestamp, level and component of a log line; null when the line is not a log
 * record (blank, cut short, another format).
 */
export function parseLogHead(line: string): LogHead | null {
  if (line.startsWith(TS_PREFIX) && line.startsWith(LEVEL_KEY, 14 + ISO_LENGTH)) {
    const levelStart = 14 + ISO_LENGTH + LEVEL_KEY.length;
    const levelEnd = line.indexOf('"', levelStart);
    if (levelEnd !== -1 && line.startsWith(COMPONENT_KEY, levelEnd)) {
      const componentStart = levelEnd + COMPONENT_KEY.length;
      const componentEnd = line.indexOf('"', componentStart);
      if (componentEnd !== -1 && line.charCodeAt(componentEnd - 1) !== 92) {
        return {
          timestamp: line.slice(14, 14 + ISO_LENGTH),
          level: line.slice(levelStart, levelEnd),
          component: line.slice(componentStart, componentEnd),
          messageAt: componentEnd + 1,
        };
      }
    }
  }
  const entry = parseLogEntry(line);
  return entry === null
    ? null
    : { timestamp: entry.timestamp, level: entry.level, component: entry.component };
}

const MESSAGE_KEY = ',"message":"';

/**
 * The message of a raw line whose head was read by the fast path, without parsing the whole
 * line; null when the line does not have the usual shape (parse it then).
 */
export function messageOf(line: string, head: LogHead): string | null {
  const at = head.messageAt;
  if (at === undefined || !line.startsWith(MESSAGE_KEY, at)) return null;
  const start = at + MESSAGE_KEY.length;
  let end = line.indexOf('"', start);
  while (end !== -1 && line.charCodeAt(end - 1) === 92) {
    let slashes = 0;
    for (let i = end - 1; i >= start && line.charCodeAt(i) === 92; i--) slashes++;
    if (slashes % 2 === 0) break;
    end = line.indexOf('"', end + 1);
  }
  if (end === -1) return null;
  const slice = line.slice(start, end);
  if (!slice.includes("\\")) return slice;
  try {
    return JSON.parse(`"${slice}"`) as string;
  } catch {
    return null;
  }
}

/** Reads only the timestamp of a log line (for seeking); null when there is none. */
export function timestampOf(line: string): string | null {
  if (line.startsWith(TS_PREFIX) && line.charCodeAt(14 + ISO_LENGTH) === 34) {
    return line.slice(14, 14 + ISO_LENGTH);
  }
  return parseLogEntry(line)?.timestamp ?? null;
}

const KNOWN = new Set(["timestamp", "level", "component", "message", "session_id", "pid"]);

/** Parses a whole log line; null when it is not a JSON log record with a timestamp. */
export function parseLogEntry(line: string): LogEntry | null {
  if (line.charCodeAt(0) !== 123) return null; // "{"
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const timestamp = normaliseTimestamp(record.timestamp);
  if (timestamp === null) return null;
  const properties: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (!KNOWN.has(key) && key !== "process_id") properties[key] = v;
  }
  return {
    timestamp,
    level: typeof record.level === "string" ? record.level.toLowerCase() : "info",
    component: typeof record.component === "string" ? record.component : "app",
    message: typeof record.message === "string" ? record.message : String(record.message ?? ""),
    sessionId: typeof record.session_id === "string" ? record.session_id : null,
    pid: typeof record.pid === "number" ? record.pid : null,
    processId: typeof record.process_id === "string" ? record.process_id : null,
    properties,
    raw: line,
  };
}

/** A timestamp in the files' form (24-character UTC ISO), from any ISO text; null if none. */
function normaliseTimestamp(value: unknown): string | null {
  if (typeof value !== "string") return null;
  if (value.length === ISO_LENGTH && value.endsWith("Z")) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Milliseconds as the files' timestamp form, for comparisons with {@link LogHead.timestamp}. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
