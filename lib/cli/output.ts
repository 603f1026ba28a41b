/**
 * stdout belongs to command output (and to the MCP stdio protocol): this module is the only
 * place commands write to it. Everything written is redacted.
 */
import { redactText } from "../logging/redact.ts";

const encoder = new TextEncoder();

/** A synchronous byte sink, like `Deno.stdout`. */
export interface SyncWriter {
  writeSync(p: Uint8Array): number;
}

const stdout: SyncWriter = Deno.stdout;

/** Writes all of `bytes`, looping over short writes. */
export function writeAllSync(writer: SyncWriter, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writer.writeSync(bytes.subarray(offset));
}

/** Prints text to stdout, adding a final newline when missing. */
export function printOut(text: string): void {
  const line = text.endsWith("\n") ? text : text + "\n";
  writeAllSync(stdout, encoder.encode(redactText(line)));
}

/** Prints a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  printOut(JSON.stringify(value, null, 2));
}

/** Whether stdout is a terminal (tables for people, JSON for pipes). */
export function stdoutIsTerminal(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}
