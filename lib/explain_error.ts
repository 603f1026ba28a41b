/**
 * Errors of the operating system, of Deno's permission sandbox and of SQLite, said the way an
 * operator can act on: what is wrong, the path (or port), and what to do. The raw text ("File
 * exists (os error 17): mkdir '/x/logs'", "attempt to write a readonly database") is what the
 * user would otherwise see; it stays in the `cause` for `--verbose` and the log files.
 *
 * Pure: reads the error objects only.
 */

const PROGRAM = "fast-intercom-mcp";

/** What the store is called when SQLite's message names no file. */
const STORE = "the store (data.db)";

/** Options for {@link explainError}. */
export interface ExplainOptions {
  /** The store file, to name it in SQLite errors (which never carry a path). */
  storePath?: string;
  /** The port being listened on, to name it when it is taken. */
  port?: number;
}

/**
 * One line for an OS, permission or SQLite error anywhere in `error`'s cause chain; null when
 * none is recognised (the caller keeps its own message then).
 */
export function explainError(error: unknown, options: ExplainOptions = {}): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const text = explainOne(current, options);
    if (text !== null) return text;
    current = current.cause;
  }
  return null;
}

/** `File exists (os error 17): mkdir '/x/logs'` → operation and path. */
export function osErrorTarget(message: string): { op: string | null; path: string | null } {
  const match = /\(os error \d+\)(?::\s*(\w+)\s+'(.*?)'(?:\s*->\s*'(.*?)')?)?\s*$/.exec(message);
  return { op: match?.[1] ?? null, path: match?.[3] ?? match?.[2] ?? null };
}

function explainOne(error: Error, options: ExplainOptions): string | null {
  // already said for people, with the path and the fix (WriteFileError, SyncWitnessError)
  if ((error as { explained?: unknown }).explained === true) return error.message;
  return explainDeno(error, options) ?? explainResource(error) ?? explainSqlite(error, options);
}

/**
 * Running out of file descriptors (EMFILE, os error 24) or of disk space (ENOSPC, os error 28):
 * Deno gives these no error class of their own, only the OS text in the message.
 */
function explainResource(error: Error): string | null {
  if (/\(os error 24\)|too many open files/i.test(error.message)) {
    return "this process ran out of file descriptors (too many open files): raise the limit " +
      "(`ulimit -n 65536` in its shell, LimitNOFILE=65536 in a systemd unit), then run it again";
  }
  if (/\(os error 28\)|no space left on device/i.test(error.message)) {
    const { path } = osErrorTarget(error.message);
    return `the disk holding ${path ?? "the data or log directory"} is full: free some space ` +
      `(\`df -h${path === null ? "" : ` ${path}`}\`), then run the command again`;
  }
  return null;
}

const DIRECTORY_HINT = "or choose another directory (--data-dir, FASTINTERCOM_LOG_DIR, " +
  "FASTINTERCOM_STATUS_DIR)";

function explainDeno(error: Error, options: ExplainOptions): string | null {
  const { op, path } = osErrorTarget(error.message);
  const where = path === null ? "a path this program uses" : path;
  switch (error.name) {
    case "AddrInUse": {
      const port = options.port === undefined ? "the port" : `port ${options.port}`;
      return `${port} is already in use by another program: stop it, or pass --port 0 to ` +
        "listen on any free port";
    }
    case "AddrNotAvailable":
      return "that address is not one of this machine's: pass --host 127.0.0.1, or an address " +
        "shown by `ip addr`";
    case "IsADirectory":
      return `${where} is a directory where a file belongs: move the directory away ${DIRECTORY_HINT}`;
    case "NotADirectory":
      return `a part of ${where} is a file where a directory belongs: move that file away ` +
        DIRECTORY_HINT;
    case "AlreadyExists":
      return op === "mkdir"
        ? `${where} is a file where a directory belongs: move it away ${DIRECTORY_HINT}`
        : `${where} already exists: move it away, or choose another name`;
    case "PermissionDenied":
      return `permission denied on ${where}${op === null ? "" : ` (${op})`}: give this user ` +
        `access to it (check \`ls -ld ${path ?? "<path>"}\`) ${DIRECTORY_HINT}`;
    case "NotFound":
      return path === null ? null : `${path} does not exist: create it, or correct the path`;
    case "NotCapable":
      return explainNotCapable(error.message);
  }
  return null;
}

/** Deno's sandbox refusing a path: its advice names `--allow-…` flags this program lacks. */
function explainNotCapable(message: string): string {
  const match = /Requires (\w+) access to "?(.*?)"?, run again with the --allow-(\w+) flag/.exec(
    message,
  );
  if (match === null) {
    return "Deno's permission sandbox refused an operation: run the compiled binary, or from " +
      "source `deno task cli`, which grants what this program needs";
  }
  const [, kind, target, flag] = match;
  if (flag === "all") {
    return `Deno refuses ${kind} access to ${target} unless given every permission (it guards ` +
      `/dev, /proc and /sys): keep the data, log and status directories elsewhere (--data-dir, ` +
      "FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR)";
  }
  return `Deno was not allowed ${kind} access to ${target}: run the compiled binary, or from ` +
    `source \`deno task cli\`, which grants --allow-${flag}`;
}

/** What SQLite said went wrong with the store, in words this program acts on. */
export type SqliteCondition = "damaged" | "readonly" | "full" | "io" | "cannot_open" | "locked";

const CONDITIONS: readonly [RegExp, SqliteCondition][] = [
  [/malformed|file is not a database|file is encrypted|SQLITE_CORRUPT|SQLITE_NOTADB/i, "damaged"],
  [/readonly database|SQLITE_READONLY/i, "readonly"],
  [/database or disk is full|SQLITE_FULL/i, "full"],
  [/disk I\/O error|SQLITE_IOERR/i, "io"],
  [/unable to open database file|SQLITE_CANTOPEN/i, "cannot_open"],
  [/database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED/i, "locked"],
];

/** The SQLite condition of `error` or of an error in its cause chain; null when none. */
export function sqliteCondition(error: unknown): SqliteCondition | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const found = conditionOf(current);
    if (found !== null) return found;
    current = current.cause;
  }
  return null;
}

/** node:sqlite errors carry `code: "ERR_SQLITE_ERROR"` and SQLite's own text. */
function conditionOf(error: Error): SqliteCondition | null {
  if ((error as { code?: unknown }).code !== "ERR_SQLITE_ERROR") return null;
  const text = String((error as { errstr?: unknown }).errstr ?? "") + " " + error.message;
  for (const [pattern, condition] of CONDITIONS) if (pattern.test(text)) return condition;
  return null;
}

/** What to say about a SQLite condition of the store at `store`. */
export function explainSqliteCondition(condition: SqliteCondition, store: string): string {
  switch (condition) {
    case "damaged":
      return `${store} is damaged: run \`${PROGRAM} debug diagnose --test-database\` for the ` +
        `details; to start over, \`${PROGRAM} reset\` and sync again`;
    case "readonly":
      return `${store} is read-only for this user: make the file and its directory writable ` +
        "(check `ls -l`), or choose another --data-dir";
    case "full":
      return `the disk holding ${store} is full: free some space, then run the command again`;
    case "io":
      return `the disk failed while reading or writing ${store}: check the disk (\`dmesg\`), ` +
        `then run \`${PROGRAM} debug diagnose --test-database\``;
    case "cannot_open":
      return `${store} cannot be opened: its directory must exist and be writable by this user ` +
        "(SQLite keeps data.db-wal and data.db-shm beside it), or choose another --data-dir";
    case "locked":
      return `${store} is locked by another process: wait for the running sync to finish ` +
        `(\`${PROGRAM} monitor status\`), then run the command again`;
  }
}

function explainSqlite(error: Error, options: ExplainOptions): string | null {
  const condition = conditionOf(error);
  return condition === null ? null : explainSqliteCondition(condition, options.storePath ?? STORE);
}
