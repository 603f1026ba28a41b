/**
 * Progress on stderr for people. On a terminal: a live line per running operation, redrawn at
 * most 10 times a second, with log lines printed above it. Elsewhere (pipe, CI, file): plain
 * lines at start, every few seconds while progressing, and at the end; never `\r`.
 */

import { paint } from "../util/ansi.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { formatDuration, groupDigits } from "../util/format.ts";
import type { OperationSnapshot, ProgressEvent, ProgressSink } from "./progress.ts";
import { getStderrTerminal, type LiveTerminal } from "../logging/terminal.ts";

/** Options for {@link createConsoleProgressSink}. */
export interface ConsoleProgressSinkOptions {
  /** Default: {@link getStderrTerminal}(). */
  terminal?: LiveTerminal;
  /** Should be the broadcaster's clock. Default: `systemClock`. */
  clock?: Clock;
  /** Print nothing. Default: env `FASTINTERCOM_QUIET` is `"true"`. */
  quiet?: boolean;
  /** Minimum time between live redraws on a terminal. Default: 100 ms (10/s). */
  redrawIntervalMs?: number;
  /** Minimum time between plain progress lines of one operation. Default: 5000 ms. */
  plainIntervalMs?: number;
  /** Without progress, repeat a plain line only this often. Default: 30000 ms. */
  idleRepeatMs?: number;
  /** Live lines shown at most; older running operations are summarised. Default: 4. */
  maxLiveLines?: number;
}

const BAR_WIDTH = 10;
/** An operation with no progress for this long says so. */
const IDLE_NOTICE_MS = 10_000;

function envQuiet(): boolean {
  try {
    return Deno.env.get("FASTINTERCOM_QUIET") === "true";
  } catch {
    return false;
  }
}

/** Items per second as `0.5/s`, `12.3/s` or `1,234/s`. */
export function formatRate(rate: number): string {
  return rate >= 100 ? `${groupDigits(rate)}/s` : `${rate.toFixed(1)}/s`;
}

/** `[####------]` for a percentage; the filled part green when `colors`. */
export function formatBar(percentage: number, colors: boolean): string {
  const filled = Math.min(BAR_WIDTH, Math.floor(percentage / (100 / BAR_WIDTH)));
  const done = "#".repeat(filled);
  return `[${paint(done, "green", colors && filled > 0)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

/** The counters of an operation: percentage, count, rate, ETA, elapsed, idle time, message. */
export function formatFields(op: OperationSnapshot, nowMs: number): string[] {
  const fields: string[] = [];
  if (op.percentage !== null) fields.push(`${op.percentage.toFixed(1).padStart(5)}%`);
  if (op.current !== null) {
    fields.push(
      op.total === null
        ? groupDigits(op.current)
        : `${groupDigits(op.current)}/${groupDigits(op.total)}`,
    );
  }
  const idleMs = nowMs - op.progressed_ms;
  // a stale rate and ETA would suggest it is still moving; a named phase says what it does
  const idle = idleMs >= IDLE_NOTICE_MS;
  if (op.rate !== null && !idle) fields.push(formatRate(op.rate));
  if (op.eta_seconds !== null && !idle) fields.push(`ETA ${formatDuration(op.eta_seconds)}`);
  fields.push(`elapsed ${formatDuration((nowMs - op.started_ms) / 1000)}`);
  if (idle && op.phase === null) fields.push(`no progress for ${formatDuration(idleMs / 1000)}`);
  if (op.phase !== null) fields.push(op.phase);
  if (op.message !== "") fields.push(op.message);
  return fields;
}

/** One live terminal line: `sync [####------]  42.0%  420/1,000  12.3/s  ETA 47s  elapsed 34s  msg`. */
export function formatLiveLine(op: OperationSnapshot, nowMs: number, colors: boolean): string {
  const label = paint(op.type, "cyan", colors);
  const bar = op.percentage === null ? "" : ` ${formatBar(op.percentage, colors)}`;
  return `${label}${bar}  ${formatFields(op, nowMs).join("  ")}`;
}

/** One plain line while progressing: `sync: 42.0%  420/1,000  12.3/s  ETA 47s  elapsed 34s  msg`. */
export function formatPlainLine(op: OperationSnapshot, nowMs: number): string {
  return `${op.type}: ${formatFields(op, nowMs).join("  ").trimStart()}`;
}

/** The line printed when an operation ends: `sync: completed in 45s  1,000/1,000  message`. */
export function formatEndLine(op: OperationSnapshot, nowMs: number): string {
  const seconds = ((op.ended_ms ?? nowMs) - op.started_ms) / 1000;
  const verb = op.status === "failed"
    ? `failed after ${formatDuration(seconds)}`
    : `completed in ${formatDuration(seconds)}`;
  const parts = [`${op.type}: ${verb}`];
  if (op.current !== null) {
    parts.push(
      op.total === null
        ? groupDigits(op.current)
        : `${groupDigits(op.current)}/${groupDigits(op.total)}`,
    );
  }
  if (op.message !== "") parts.push(op.message);
  return parts.join("  ");
}

interface PlainState {
  lastLineMs: number;
  lastKey: string;
}

/** A sink that shows progress on the terminal (or as plain lines when not a terminal). */
export function createConsoleProgressSink(options: ConsoleProgressSinkOptions = {}): ProgressSink {
  if (options.quiet ?? envQuiet()) return { onEvent() {} };
  const terminal = options.terminal ?? getStderrTerminal();
  const clock = options.clock ?? systemClock;
  return terminal.isTTY
    ? new LiveSink(terminal, clock, options.redrawIntervalMs ?? 100, options.maxLiveLines ?? 4)
    : new PlainSink(
      terminal,
      clock,
      options.plainIntervalMs ?? 5000,
      options.idleRepeatMs ?? 30_000,
    );
}

class LiveSink implements ProgressSink {
  readonly #ops = new Map<string, OperationSnapshot>();
  #lastDraw = Number.NEGATIVE_INFINITY;

  constructor(
    readonly terminal: LiveTerminal,
    readonly clock: Clock,
    readonly redrawMs: number,
    readonly maxLines: number,
  ) {}

  onEvent(event: ProgressEvent, op: OperationSnapshot): void {
    const now = this.clock();
    switch (event.type) {
      case "operation_complete":
      case "operation_failed": {
        this.#ops.delete(op.id);
        this.#draw(now); // first drop its live line, then print the final line above the rest
        const mark = op.status === "failed" ? "✗" : "✓";
        const colored = paint(mark, op.status === "failed" ? "red" : "green", this.terminal.colors);
        this.terminal.writeLine(`${colored} ${formatEndLine(op, now)}`);
        return;
      }
      case "error":
        this.terminal.writeLine(
          `${paint("!", "red", this.terminal.colors)} ${op.type}: ${event.message}`,
        );
        break;
      case "operation_start":
        this.#ops.set(op.id, op);
        this.#draw(now);
        return;
    }
    if (!this.#ops.has(op.id)) this.#ops.set(op.id, op);
    if (now - this.#lastDraw >= this.redrawMs) this.#draw(now);
  }

  close(): void {
    this.#ops.clear();
    this.terminal.setLiveLine(null);
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    const ops = [...this.#ops.values()];
    if (ops.length === 0) {
      this.terminal.setLiveLine(null);
      return;
    }
    const shown = ops.slice(-this.maxLines);
    const lines = shown.map((op) => formatLiveLine(op, now, this.terminal.colors));
    const hidden = ops.length - shown.length;
    if (hidden > 0) lines.unshift(`… and ${hidden} more running`);
    this.terminal.setLiveLine(lines.join("\n"));
  }
}

class PlainSink implements ProgressSink {
  readonly #state = new Map<string, PlainState>();

  constructor(
    readonly terminal: LiveTerminal,
    readonly clock: Clock,
    readonly intervalMs: number,
    readonly idleRepeatMs: number,
  ) {}

  onEvent(event: ProgressEvent, op: OperationSnapshot): void {
    const now = this.clock();
    switch (event.type) {
      case "operation_start":
        this.#state.set(op.id, { lastLineMs: now, lastKey: progressKey(op) });
        this.terminal.writeLine(`${op.type}: started  ${event.message}`);
        return;
      case "operation_complete":
      case "operation_failed":
        this.#state.delete(op.id);
        this.terminal.writeLine(formatEndLine(op, now));
        return;
      case "error":
        this.terminal.writeLine(`${op.type}: error  ${event.message}`);
        return;
    }
    let state = this.#state.get(op.id);
    if (state === undefined) {
      state = { lastLineMs: now, lastKey: "" };
      this.#state.set(op.id, state);
    }
    const since = now - state.lastLineMs;
    if (since < this.intervalMs) return; // checked first: this runs on every update
    const key = progressKey(op);
    const changed = key !== state.lastKey;
    if (changed || since >= this.idleRepeatMs) {
      state.lastLineMs = now;
      state.lastKey = key;
      this.terminal.writeLine(formatPlainLine(op, now));
    }
  }
}

function progressKey(op: OperationSnapshot): string {
  return `${op.current}|${op.total}|${op.message}`;
}
