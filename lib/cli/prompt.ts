/** Reading a secret from the terminal without echoing it. */
import { InterruptedError, UsageError } from "../errors.ts";

/** The terminal a prompt reads from and writes to (the real one by default). */
export interface PromptTerminal {
  isTerminal(): boolean;
  setRaw(raw: boolean): void;
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes the question and the final newline (stderr). */
  write(bytes: Uint8Array): void;
}

const realTerminal: PromptTerminal = {
  isTerminal: () => Deno.stdin.isTerminal(),
  setRaw: (raw) => Deno.stdin.setRaw(raw),
  read: (buffer) => Deno.stdin.read(buffer),
  write: (bytes) => {
    while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
  },
};

const CTRL_C = 3;
const CTRL_D = 4;
const BACKSPACE = 8;
const DELETE = 127;
const ESC = 0x1b;

/**
 * Prompts on stderr and reads one line from a TTY stdin with echo off. Ctrl-C exits 130 like
 * every other interrupt; bracketed-paste markers and surrounding whitespace are dropped.
 */
export async function promptSecret(
  question: string,
  terminal: PromptTerminal = realTerminal,
): Promise<string> {
  if (!terminal.isTerminal()) {
    throw new UsageError(
      "no token given and stdin is not a terminal: pass --token or set INTERCOM_ACCESS_TOKEN",
    );
  }
  const encoder = new TextEncoder();
  terminal.write(encoder.encode(question));
  terminal.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(256);
  try {
    reading: while (true) {
      const n = await terminal.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        // In raw mode the terminal sends Ctrl-C as a byte instead of raising SIGINT.
        if (byte === CTRL_C) throw new InterruptedError("cancelled at the token prompt");
        if (byte === CTRL_D && bytes.length === 0) break reading;
        if (byte === 13 || byte === 10) break reading;
        if (byte === DELETE || byte === BACKSPACE) bytes.pop();
        else bytes.push(byte);
      }
    }
  } finally {
    terminal.setRaw(false);
    terminal.write(encoder.encode("\n"));
  }
  return cleanPasted(new TextDecoder().decode(new Uint8Array(bytes)));
}

/** Drops terminal escape sequences (bracketed paste: ESC[200~ … ESC[201~) and whitespace. */
export function cleanPasted(text: string): string {
  const escape = String.fromCharCode(ESC);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === ESC && text[i + 1] === "[") {
      // skip a CSI sequence: ESC [ parameters… final byte
      let j = i + 2;
      while (j < text.length && /[0-9;]/.test(text[j]!)) j++;
      i = j;
      continue;
    }
    if (code < 32 || code === 127 || text[i] === escape) continue;
    out += text[i];
  }
  return out.trim();
}
