/**
 * The single owner of stderr's live line. Progress draws the live line; log lines are printed
 * above it through {@link LiveTerminal.writeLine}, so the two never tear each other.
 */
import { SGR, stripColors } from "../util/ansi.ts";

/** Where terminal output goes; `Deno.stderr` satisfies it. */
export interface TerminalWriter {
  writeSync(p: Uint8Array): number;
}

/** A terminal with one live area (one or more lines) at the bottom. */
export interface LiveTerminal {
  /** True when the live area can be redrawn in place (a terminal, and `TERM` is not `dumb`). */
  readonly isTTY: boolean;
  /** True when ANSI colours may be used (a redrawable terminal and `NO_COLOR` unset). */
  readonly colors: boolean;
  /** Prints a line above the live area: clears it, writes `text` and a newline, redraws it. */
  writeLine(text: string): void;
  /** Replaces the live area (lines split on `\n`, each cut to the width); `null` clears it. */
  setLiveLine(text: string | null): void;
  /** Clears the live area and leaves the cursor at the start of a clean line. Safe twice. */
  close(): void;
}

/** Options for {@link createTerminal}. */
export interface TerminalOptions {
  /** Output. Default: `Deno.stderr`. */
  writer?: TerminalWriter;
  /** Whether the writer is a terminal. Default: `Deno.stderr.isTerminal()` without `writer`, else false. */
  isTTY?: boolean;
  /** Environment lookup for `NO_COLOR` and `TERM`. Default: `Deno.env.get`, undefined without permission. */
  env?: (name: string) => string | undefined;
  /** Terminal width in columns. Default: `Deno.consoleSize().columns`, 80 when there is none. */
  columns?: () => number;
}

const CLEAR_LINE = "\r\x1b[2K";
const UP_AND_CLEAR = "\x1b[1A\x1b[2K";
// deno-lint-ignore no-control-regex
const TOKEN_PATTERN = /\x1b\[[0-9;]*m|[\s\S]/gu;

function safeEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function stderrColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80; // no terminal attached: consoleSize() throws
  }
}

function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

/** Cuts `text` to `width` visible characters (ANSI colour codes are not counted), ending in `…`. */
export function truncateVisible(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let visible = 0;
  let hasAnsi = false;
  for (const token of text.match(TOKEN_PATTERN) ?? []) {
    if (token.startsWith("\x1b")) {
      out += token;
      hasAnsi = true;
    } else if (visible < width - 1) {
      out += token;
      visible++;
    }
  }
  return out + "…" + (hasAnsi ? SGR.reset : "");
}

/** Number of visible characters in `text`, ignoring ANSI colour codes. */
export function visibleLength(text: string): number {
  return Array.from(stripColors(text)).length;
}

class Terminal implements LiveTerminal {
  readonly isTTY: boolean;
  readonly colors: boolean;
  #writer: TerminalWriter;
  #columns: () => number;
  #encoder = new TextEncoder();
  #drawn: string[] = [];

  constructor(options: TerminalOptions) {
    const env = options.env ?? safeEnv;
    const isTerminal = options.isTTY ?? (options.writer ? false : stderrIsTerminal());
    this.#writer = options.writer ?? Deno.stderr;
    this.#columns = options.columns ?? stderrColumns;
    this.isTTY = isTerminal && env("TERM") !== "dumb";
    const noColor = env("NO_COLOR");
    this.colors = this.isTTY && (noColor === undefined || noColor === "");
  }

  writeLine(text: string): void {
    if (!this.isTTY || this.#drawn.length === 0) {
      this.#write(text + "\n");
      return;
    }
    this.#write(this.#clearSequence() + text + "\n" + this.#drawn.join("\n"));
  }

  setLiveLine(text: string | null): void {
    if (!this.isTTY) return;
    const width = Math.max(10, this.#columns() - 1); // the last column would auto-wrap
    const lines = text === null ? [] : text.split("\n").map((l) => truncateVisible(l, width));
    if (sameLines(lines, this.#drawn)) return;
    const clear = this.#clearSequence();
    this.#drawn = lines;
    this.#write(clear + lines.join("\n"));
  }

  close(): void {
    if (!this.isTTY || this.#drawn.length === 0) return;
    this.#write(this.#clearSequence());
    this.#drawn = [];
  }

  /** Moves the cursor to the start of the first live line, erasing every live line. */
  #clearSequence(): string {
    if (this.#drawn.length === 0) return "";
    return CLEAR_LINE + UP_AND_CLEAR.repeat(this.#drawn.length - 1);
  }

  #write(text: string): void {
    if (text === "") return;
    let bytes = this.#encoder.encode(text);
    while (bytes.length > 0) {
      const written = this.#writer.writeSync(bytes);
      bytes = bytes.subarray(written);
    }
  }
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** Creates a live terminal over `writer` (stderr by default). */
export function createTerminal(options: TerminalOptions = {}): LiveTerminal {
  return new Terminal(options);
}

let stderrTerminal: LiveTerminal | undefined;

/** The process-wide terminal on `Deno.stderr`, shared by the log sink and the progress display. */
export function getStderrTerminal(): LiveTerminal {
  stderrTerminal ??= createTerminal();
  return stderrTerminal;
}
