/** Reading a secret from the terminal without echoing it. */
import { UsageError } from "../errors.ts";

/** Prompts on stderr and reads one line from a TTY stdin with echo off. */
export async function promptSecret(question: string): Promise<string> {
  if (!Deno.stdin.isTerminal()) {
    throw new UsageError(
      "no token given and stdin is not a terminal: pass --token or set INTERCOM_ACCESS_TOKEN",
    );
  }
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(question));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  try {
    reading: while (true) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 3) throw new UsageError("cancelled");
        if (byte === 13 || byte === 10) break reading;
        if (byte === 127 || byte === 8) bytes.pop();
        else bytes.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).trim();
}
