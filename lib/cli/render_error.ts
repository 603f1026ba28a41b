/** Turns an error into what the user sees on stderr. Pure: no I/O. */
import { AppError } from "../errors.ts";
import { explainError } from "../explain_error.ts";
import { redactText } from "../logging/redact.ts";
import { PROGRAM_NAME } from "../version.ts";

/** Options for {@link renderError}. */
export interface RenderErrorOptions {
  /** Include the stack and the `Caused by` chain. Default: false. */
  verbose?: boolean;
}

/**
 * One line naming the problem (and the fix, which our errors carry in their message); with
 * `verbose`, the stack and every cause follow. Secrets are redacted.
 */
export function renderError(error: unknown, options: RenderErrorOptions = {}): string {
  // An OS, permission or SQLite error says what to do instead of its raw text, which stays
  // in the cause chain below for --verbose.
  const explained = error instanceof AppError ? null : explainError(error);
  const head = `${PROGRAM_NAME}: ${errorLine(error)}`;
  if (!options.verbose) {
    const hint = error instanceof AppError || explained !== null
      ? ""
      : " (run with --verbose for details)";
    return redactText(head + hint);
  }
  const lines = [head];
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && current !== null && depth < 8) {
    if (depth > 0 || explained !== null) lines.push(`Caused by: ${oneLine(messageOf(current))}`);
    if (current instanceof Error && current.stack) {
      lines.push(...current.stack.split("\n").slice(1).map((l) => `  ${l.trim()}`));
    }
    current = current instanceof Error ? current.cause : undefined;
    depth++;
  }
  return redactText(lines.join("\n"));
}

/**
 * The line the user is told, without the program name: our message, or the explanation of an
 * OS, permission or SQLite error (not its raw text). Not redacted: loggers redact.
 */
export function errorLine(error: unknown): string {
  const explained = error instanceof AppError ? null : explainError(error);
  return oneLine(explained ?? messageOf(error));
}

/** The exit code an error maps to: its `exitCode` for our errors, 1 otherwise. */
export function exitCodeOf(error: unknown): number {
  return error instanceof AppError ? error.exitCode : 1;
}

function messageOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, "; ").trim();
}
