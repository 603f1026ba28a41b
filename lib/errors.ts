/**
 * The error hierarchy. Library code throws these; only `main.ts` turns an error into a
 * message and an exit code (see `lib/cli/render_error.ts`).
 *
 * Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
 */

/** Base of every error the program raises on purpose. `exitCode` is what `main.ts` exits with. */
export class AppError extends Error {
  /** The process exit code this error maps to. */
  readonly exitCode: number = 1;
  override name = "AppError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Bad input from whoever called: a value that cannot be parsed, arguments that contradict each
 * other. Thrown by library code that does not know its caller; the CLI exits 2 on it, the MCP
 * layer turns it into a tool error (`lib/mcp/tool_result.ts`). Exit code 2.
 */
export class InputError extends AppError {
  override readonly exitCode: number = 2;
  override name = "InputError";
}

/** Bad command-line input: flags that contradict each other, a missing confirmation. Exit code 2. */
export class UsageError extends InputError {
  override name = "UsageError";
}

/** The config file or an environment override is malformed or invalid. Exit code 1. */
export class ConfigError extends AppError {
  override name = "ConfigError";
}

/** The operation was stopped by Ctrl-C / SIGTERM at a safe point. Exit code 130. */
export class InterruptedError extends AppError {
  override readonly exitCode: number = 130;
  override name = "InterruptedError";
  constructor(message = "interrupted", options?: ErrorOptions) {
    super(message, options);
  }
}

/** Another process holds a lock this command needs (e.g. a second `sync`). Exit code 1. */
export class LockedError extends AppError {
  override name = "LockedError";
}

/** The local store cannot be opened or used (too new, corrupt, migration failed). Exit code 1. */
export class StoreError extends AppError {
  override name = "StoreError";
}

/**
 * A file could not be written (atomically, through a temp file beside it): the message names
 * the file and its directory, never the temp file, with the fix. Exit code 1.
 */
export class WriteFileError extends AppError {
  override name = "WriteFileError";
  /** The message is already the explanation (see `explainError`). */
  readonly explained = true;
  constructor(
    message: string,
    /** The file that was to be written. */
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Checks failed and their report is already printed (`debug health`, `debug diagnose`), so the
 * command exits 1. The printed report is the detail: no stack trace, even with --verbose.
 */
export class ChecksFailedError extends AppError {
  override name = "ChecksFailedError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.stack = `${this.name}: ${message}`;
  }
}
