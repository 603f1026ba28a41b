/**
 * Reading a log file as lines, in batches: forwards from a byte offset, or backwards from the
 * end (for `logs show -n`). Works on bytes and splits at `\n` (which never occurs inside a
 * UTF-8 sequence), so offsets stay exact and only whole lines are decoded.
 */
import { concatBytes } from "../util/bytes.ts";

const NEWLINE = 10;
const CR = 13;

/** Options for {@link readLinesForward}. */
export interface ForwardOptions {
  /** Byte offset of the first line (a line start). Default: 0. */
  start?: number;
  /** Stop at this byte offset (exclusive). Default: the end of the file. */
  end?: number;
  /** Bytes read at a time. Default: 1 MiB. */
  chunkSize?: number;
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export async function readAt(
  file: Deno.FsFile,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(offset, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/** Splits decoded text into lines, dropping `\r` before `\n`; returns the unfinished rest. */
function splitInto(text: string, lines: string[]): string {
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    const end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    lines.push(text.slice(start, end));
    start = nl + 1;
  }
  return text.slice(start);
}

/** Yields the lines of `path` from `start` to `end`, in file order, in batches. */
export async function* readLinesForward(
  path: string,
  options: ForwardOptions = {},
): AsyncGenerator<string[]> {
  using file = await Deno.open(path, { read: true });
  const start = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const chunkSize = options.chunkSize ?? 1 << 20;
  await file.seek(start, Deno.SeekMode.Start);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(chunkSize);
  let position = start;
  let rest = "";
  while (position < end) {
    const want = Math.min(chunkSize, end - position);
    const n = await file.read(buffer.subarray(0, want));
    if (n === null || n === 0) break;
    position += n;
    const lines: string[] = [];
    rest = splitInto(rest + decoder.decode(buffer.subarray(0, n), { stream: true }), lines);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.decode();
  if (rest !== "") yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

/** Options for {@link readLinesBackward}. */
export interface BackwardOptions {
  /** Read the file up to this byte offset (exclusive). Default: the end of the file. */
  end?: number;
  /** Bytes read at a time. Default: 256 KiB. */
  chunkSize?: number;
}

/** Yields the lines of `path` from the end towards the start, newest first, in batches. */
export async function* readLinesBackward(
  path: string,
  options: BackwardOptions = {},
): AsyncGenerator<string[]> {
  using file = await Deno.open(path, { read: true });
  const size = options.end ?? (await file.stat()).size;
  const chunkSize = options.chunkSize ?? 1 << 18;
  const decoder = new TextDecoder();
  let position = size;
  // the bytes of a line whose start is not read yet; before the first newline is found, the
  // text after the file's last newline (nothing, when the file ends with one)
  let carry: Uint8Array = new Uint8Array(0);
  let atEnd = true;
  while (position > 0) {
    const from = Math.max(0, position - chunkSize);
    const chunk = await readAt(file, from, position - from);
    position = from;
    const bytes = concatBytes(chunk, carry);
    const first = from === 0 ? -1 : bytes.indexOf(NEWLINE);
    if (first === -1 && from > 0) {
      carry = bytes; // no line start in this chunk: keep reading backwards
      continue;
    }
    carry = first === -1 ? new Uint8Array(0) : bytes.slice(0, first);
    const pieces = decoder.decode(bytes.subarray(first + 1)).split("\n");
    if (atEnd && pieces[pieces.length - 1] === "") pieces.pop();
    atEnd = false;
    const lines = pieces.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).reverse();
    if (lines.length > 0) yield lines;
  }
}
