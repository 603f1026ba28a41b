/**
 * What kind of error a log line records, and what to do about the errors seen.
 *
 * The categories follow the failures this program meets: the Intercom API (token rejected,
 * rate limit, 5xx, timeouts, other refusals), the network, the SQLite store (locked, damaged,
 * disk), the sync itself, the configuration, the machine's resources (file descriptors, disk
 * space), and everything else. Classification reads the
 * message and the error-carrying properties of the line, which quote the typed errors of
 * `lib/intercom/errors.ts`, `lib/errors.ts` and SQLite.
 */
import { ERROR_RANK, levelRank, type LogEntry } from "./entry.ts";

/** The top-level categories, in display order. */
export const ERROR_CATEGORIES = [
  "api",
  "network",
  "database",
  "sync",
  "config",
  "resources",
  "other",
] as const;

/** One of {@link ERROR_CATEGORIES}. */
export type ErrorCategory = typeof ERROR_CATEGORIES[number];

/** Display names of the categories. */
export const CATEGORY_LABELS: Readonly<Record<ErrorCategory, string>> = {
  api: "API",
  network: "Network",
  database: "Database",
  sync: "Sync",
  config: "Config",
  resources: "Resources",
  other: "Other",
};

/** The finer kind of an error within its category. */
export type ErrorKind =
  | "auth"
  | "rate_limit"
  | "server_error"
  | "timeout"
  | "client_error"
  | "bad_response"
  | "unreachable"
  | "locked"
  | "corrupt"
  | "disk"
  | "store"
  | "lock_held"
  | "sync_failed"
  | "config"
  | "open_files"
  | "disk_full"
  | "other";

/** The category and kind of one error line. */
export interface ErrorClass {
  category: ErrorCategory;
  kind: ErrorKind;
}

/** Rules in order: the first whose pattern matches the line's text decides. */
const RULES: readonly { pattern: RegExp; category: ErrorCategory; kind: ErrorKind }[] = [
  {
    // EMFILE: the raw OS text, or explainError()'s line
    pattern: /too many open files|\bEMFILE\b|os error 24\b|out of file descriptors/i,
    category: "resources",
    kind: "open_files",
  },
  {
    // ENOSPC, SQLITE_FULL, and explainError()'s "the disk holding … is full"
    pattern:
      /no space left on device|\bENOSPC\b|os error 28\b|database or disk is full|SQLITE_FULL|disk holding .* is full/i,
    category: "resources",
    kind: "disk_full",
  },
  {
    pattern: /\b401\b|token rejected|access token invalid|unauthori[sz]ed|AuthError/i,
    category: "api",
    kind: "auth",
  },
  {
    pattern: /\b429\b|rate[- ]?limit|RateLimitError/i,
    category: "api",
    kind: "rate_limit",
  },
  {
    pattern: /timed? ?out|timeout|no answer within/i,
    category: "api",
    kind: "timeout",
  },
  {
    pattern: /database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED/i,
    category: "database",
    kind: "locked",
  },
  {
    pattern:
      /disk image is malformed|file is not a database|malformed|SQLITE_CORRUPT|SQLITE_NOTADB|integrity check failed/i,
    category: "database",
    kind: "corrupt",
  },
  {
    pattern:
      /disk I\/O|SQLITE_IOERR|read-only file system|readonly database|Permission denied|EACCES/i,
    category: "database",
    kind: "disk",
  },
  {
    pattern: /HTTP 5\d\d|server error|bad gateway|service unavailable|gateway timeout/i,
    category: "api",
    kind: "server_error",
  },
  {
    pattern:
      /NetworkError|could not reach|connection (?:error|reset|refused|closed)|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|getaddrinfo|dns error|error sending request|error reading a body/i,
    category: "network",
    kind: "unreachable",
  },
  {
    pattern:
      /ConfigError|config file|environment variable .* must|no Intercom access token|API URL .* (?:is not|must)|is not a log level/i,
    category: "config",
    kind: "config",
  },
  {
    pattern: /does not match the expected shape|not valid JSON|HTML body|empty body|cut short/i,
    category: "api",
    kind: "bad_response",
  },
  {
    pattern: /HTTP 4\d\d|Intercom API .* failed|ApiError/i,
    category: "api",
    kind: "client_error",
  },
  {
    pattern: /StoreError|cannot open store|no store at|SQLite|sqlite/,
    category: "database",
    kind: "store",
  },
  {
    pattern: /LockedError|another sync|sync lock|lock .* held/i,
    category: "sync",
    kind: "lock_held",
  },
  {
    pattern: /sync failed|sync .*failed|SyncError/i,
    category: "sync",
    kind: "sync_failed",
  },
];

const ERROR_PROPERTIES = ["error", "reason", "cause", "error_name"];

/** The text classification reads: the message and the properties that carry an error. */
export function errorText(entry: LogEntry): string {
  let text = entry.message;
  for (const key of ERROR_PROPERTIES) {
    const value = entry.properties[key];
    if (typeof value === "string") text += `\n${value}`;
    else if (value !== null && typeof value === "object") text += `\n${JSON.stringify(value)}`;
  }
  return text;
}

/** Classifies an error line. */
export function categorizeError(entry: LogEntry): ErrorClass {
  const text = errorText(entry);
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return { category: rule.category, kind: rule.kind };
  }
  const top = entry.component.split(".")[0];
  const last = entry.component.split(".").at(-1);
  if (last === "api") return { category: "api", kind: "client_error" };
  if (top === "sync") return { category: "sync", kind: "sync_failed" };
  if (top === "store") return { category: "database", kind: "store" };
  return { category: "other", kind: "other" };
}

/** The line `run.ts` writes when a command ends in an error (a repeat of the real error). */
export function isExitLine(entry: LogEntry): boolean {
  return (entry.component === "cli" || entry.component === "cli.exit") &&
    entry.message.startsWith("command failed: ");
}

/**
 * Drops the "command failed" line a CLI run writes after the error it already logged, so
 * one failure counts once. Feed lines in time order.
 */
export class ExitLineDeduper {
  #sessions = new Set<string>();

  /** Whether the line is a distinct error (true) or the repeat of one (false). */
  accept(entry: LogEntry): boolean {
    const session = entry.sessionId ?? "";
    if (isExitLine(entry)) return !this.#sessions.has(session);
    // a warning (a retry) is not the failure the exit line repeats
    if (levelRank(entry.level) >= ERROR_RANK) this.#sessions.add(session);
    return true;
  }
}
