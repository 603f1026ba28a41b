/**
 * The one LogTape configuration every command uses:
 *
 * - `main.log`: everything at the configured level, JSON lines;
 * - `sync.log`: the sync component only;
 * - `errors.log`: error and above;
 * - the console, on stderr only, human-readable (colour on a TTY, `NO_COLOR` honoured), printed
 *   above any live progress line; silenced by `--quiet`;
 * - the aggregated log of the status-tracker process this run registered, if any.
 *
 * Every line passes through {@link redactText}: secrets never reach a log.
 * Library modules only call `getLogger(["fast-intercom", component, …])`; only `main` configures.
 */
import {
  configure,
  dispose,
  getAnsiColorFormatter,
  getLevelFilter,
  getTextFormatter,
  type LogLevel as LogTapeLevel,
  type LogRecord,
  reset,
  type Sink,
  withFilter,
} from "@logtape/logtape";
import { getRotatingFileSink } from "@logtape/file";
import { archiveRotatedLogs } from "./log_archive.ts";
import { join } from "node:path";
import type { LogLevel } from "../config/config.ts";
import { redactText, redactValue } from "./redact.ts";
import { getStderrTerminal, type LiveTerminal } from "./terminal.ts";
import { ensurePrivateDir, touchPrivateFile } from "../util/private_files.ts";

/** The root category of every logger in the program. */
export const ROOT_CATEGORY = "fast-intercom";

/** The category of a command's final error: logged to the files, rendered on the console. */
export const EXIT_CATEGORY = [ROOT_CATEGORY, "cli", "exit"] as const;

/** The names of the log files in the log directory. */
export const LOG_FILES = { main: "main.log", sync: "sync.log", errors: "errors.log" } as const;

/** Options for {@link setupLogging}. */
export interface LoggingOptions {
  /** Directory of main.log, sync.log and errors.log; created if missing. */
  logDir: string;
  /** Lowest level written to the files. */
  level: LogLevel;
  /** Lowest level on the console, or "off" (`--quiet`). */
  consoleLevel: LogLevel | "off";
  /** Correlates a run's logs, progress events and status records. */
  sessionId: string;
  /** Rotation: bytes per file. Default 10 MB. */
  maxBytes?: number;
  /** Rotation: files kept per log. Default 5. */
  maxFiles?: number;
  /** Rotated files are gzipped into archives kept by count and age (see log_archive.ts),
   * checked now and every minute. Default: not done (tests, libraries). */
  archive?: { maxFiles: number; maxDays: number };
  /** Where console lines go. Default: the shared stderr terminal. */
  terminal?: LiveTerminal;
}

interface ProcessTap {
  processId: string;
  write: (line: string) => void;
}
let processTap: ProcessTap | null = null;

/**
 * Routes this run's log lines also to a status-tracker process's aggregated log, and tags
 * them with its `process_id`. Pass `null` to stop.
 */
export function setLogProcess(tap: ProcessTap | null): void {
  processTap = tap;
}

/** Options for {@link getJsonLineFormatter}. */
export interface JsonLineFormatterOptions {
  sessionId: string;
  /** Default: `Deno.pid`. */
  pid?: number;
}

/**
 * Formats a record as one JSON line: `timestamp` (UTC ISO with Z), `level`, `component`,
 * `message`, `session_id`, `pid`, `process_id` when set, then the structured properties.
 */
export function getJsonLineFormatter(options: JsonLineFormatterOptions): (r: LogRecord) => string {
  const pid = options.pid ?? Deno.pid;
  return (record) => {
    const line: Record<string, unknown> = {
      timestamp: new Date(record.timestamp).toISOString(),
      level: record.level,
      component: componentOf(record.category),
      message: renderMessage(record.message),
      session_id: options.sessionId,
      pid,
    };
    if (processTap) line.process_id = processTap.processId;
    const props = redactValue(record.properties) as Record<string, unknown>;
    for (const [key, value] of Object.entries(props)) {
      if (!(key in line)) line[key] = value instanceof Error ? String(value) : value;
    }
    return redactText(JSON.stringify(line, jsonReplacer)) + "\n";
  };
}

/**
 * The component of a category: `["fast-intercom", "sync"]` → `sync`, `["fast-intercom", "sync",
 * "api"]` → `sync.api` (the API calls a sync makes: `--component sync` keeps them, and so does
 * `--component api`).
 */
export function componentOf(category: readonly string[]): string {
  if (category[0] !== ROOT_CATEGORY) return category.join(".");
  return category.length > 1 ? category.slice(1).join(".") : "app";
}

function renderMessage(parts: readonly unknown[]): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 0) out += String(part);
    else out += typeof part === "string" ? part : safeStringify(part);
  }
  return out;
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value, jsonReplacer) ?? String(value);
  } catch {
    return String(value);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function consoleSink(terminal: LiveTerminal): Sink {
  const options = {
    timestamp: "time" as const,
    category: (c: readonly string[]) => componentOf(c),
  };
  const format = terminal.colors ? getAnsiColorFormatter(options) : getTextFormatter(options);
  return (record) => {
    if (record.category[2] === EXIT_CATEGORY[2] && record.category[1] === EXIT_CATEGORY[1]) return;
    terminal.writeLine(redactText(format(record).replace(/\r?\n$/, "")));
  };
}

function fileSink(path: string, options: LoggingOptions): Sink & Disposable {
  return getRotatingFileSink(path, {
    maxSize: options.maxBytes ?? 10 * 1024 * 1024,
    maxFiles: options.maxFiles ?? 5,
    formatter: getJsonLineFormatter({ sessionId: options.sessionId }),
    // Unbuffered: a killed process loses no line, and `logs show --follow` sees it at once.
    bufferSize: 0,
  }) as Sink & Disposable;
}

function tapSink(): Sink {
  return (record) => {
    if (!processTap) return;
    const format = tapFormatter ??= getTextFormatter({ timestamp: "rfc3339" });
    try {
      processTap.write(redactText(format(record)));
    } catch {
      // the aggregated log is a convenience; never fail a command because of it
    }
  };
}
let tapFormatter: ((r: LogRecord) => string) | null = null;

/** Configures LogTape for this process (replacing any earlier configuration). */
export async function setupLogging(options: LoggingOptions): Promise<void> {
  await ensurePrivateDir(options.logDir);
  // created private here; files LogTape creates on rotation are private by the umask
  for (const name of Object.values(LOG_FILES)) await touchPrivateFile(join(options.logDir, name));
  const terminal = options.terminal ?? getStderrTerminal();
  const level = options.level as LogTapeLevel;
  const consoleLevel = options.consoleLevel === "off" ? null : options.consoleLevel as LogTapeLevel;
  const sinks: Record<string, Sink> = {
    main: withFilter(fileSink(join(options.logDir, LOG_FILES.main), options), level),
    sync: withFilter(
      fileSink(join(options.logDir, LOG_FILES.sync), options),
      (r) => r.category[1] === "sync" && getLevelFilter(level)(r),
    ),
    errors: withFilter(fileSink(join(options.logDir, LOG_FILES.errors), options), "error"),
    tap: withFilter(tapSink(), level),
  };
  if (consoleLevel) sinks.console = withFilter(consoleSink(terminal), consoleLevel);
  const lowest: LogTapeLevel = options.consoleLevel !== "off" &&
      levelRank(options.consoleLevel) < levelRank(options.level)
    ? options.consoleLevel
    : level;
  await configure({
    reset: true,
    sinks,
    loggers: [
      { category: [ROOT_CATEGORY], lowestLevel: lowest, sinks: Object.keys(sinks) },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["errors"] },
    ],
  });
  if (options.archive) startLogArchiver(options.logDir, options.archive);
}

let archiveTimer: ReturnType<typeof setInterval> | null = null;
/** The archive pass under way, if any. */
let archivePass: Promise<void> | null = null;

/**
 * Compresses rotated logs now and every minute while the process runs (the timer does not
 * keep it alive; {@link shutdownLogging} waits for the pass under way, so an exit never leaves
 * a claimed file half compressed). Failures never reach the caller: the next pass tries again.
 */
function startLogArchiver(dir: string, retention: { maxFiles: number; maxDays: number }): void {
  if (archiveTimer !== null) clearInterval(archiveTimer);
  const pass = () => {
    if (archivePass !== null) return; // the previous pass is still under way
    archivePass = archiveRotatedLogs(dir, retention).then(() => {}, () => {}).finally(() => {
      archivePass = null;
    });
  };
  archiveTimer = setInterval(pass, 60_000);
  Deno.unrefTimer(archiveTimer);
  pass();
}

/** Stops the archiver, after the pass under way (if any) has finished. */
async function stopLogArchiver(): Promise<void> {
  if (archiveTimer !== null) clearInterval(archiveTimer);
  archiveTimer = null;
  await archivePass;
}

function levelRank(level: LogLevel): number {
  return ["debug", "info", "warning", "error"].indexOf(level);
}

/** Flushes and closes the log files. Safe to call when logging was never set up. */
export async function shutdownLogging(): Promise<void> {
  processTap = null;
  await stopLogArchiver();
  try {
    await dispose();
  } catch {
    await reset();
  }
}
