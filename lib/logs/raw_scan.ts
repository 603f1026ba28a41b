/**
 * Full scans at close to `grep`'s speed: most lines of a large log cannot match a selective
 * filter, so they are rejected on the raw text of a large chunk before any line is cut out,
 * decoded or parsed. A chunk's bytes become one latin1 string (a copy, one character per byte:
 * V8 searches it with its fast string search), in which
 *  - the needles of the filter (see raw_prefilter.ts) are searched for with `indexOf`, and only
 *    the lines around a hit are looked at; without needles every line is visited;
 *  - each such line's head (time, level, component) is checked where our formatter writes it;
 *  - a line that is kept is cut out of the string when it is ASCII, else decoded from its bytes.
 * The lines yielded are exactly those the plain read (decode, split at `\n`, drop a `\r` before
 * it) would give that can pass the filter; the usual checks still run on each of them.
 */
import { Buffer, isAscii } from "node:buffer";
import { timestampOf } from "./entry.ts";
import type { RawHeadCheck } from "./raw_head.ts";
import type { RawPrefilter } from "./raw_prefilter.ts";

const NEWLINE = 10;
const CR = 13;

/** Options for {@link scanCandidates}. */
export interface ScanOptions {
  /** Byte offset of a line start. Default: 0. */
  start?: number;
  /** Stop at this byte offset (exclusive). Default: the end of the file. */
  end?: number;
  /** Bytes read at a time. Default: 2 MiB (measured: 1–4 MiB alike, 8 MiB and more slower,
   * as a chunk and its text no longer stay in the CPU's caches). */
  chunkSize?: number;
}

/** The lines of one chunk that may match, and the chunk's first timestamp. */
export interface CandidateBatch {
  lines: string[];
  /** Timestamp of the chunk's first whole line: every later line is no earlier (within the
   * ordering slack), which lets a time-bounded read stop without looking at each line. */
  firstTimestamp: string | null;
  /** File offset just after the chunk's last line. */
  end: number;
}

/** Bytes per block of {@link AsciiMap}. */
const BLOCK_SHIFT = 12;

/** Which parts of a chunk are ASCII (their latin1 text is their UTF-8 text), found lazily. */
class AsciiMap {
  readonly #bytes: Uint8Array;
  /** Per block: 0 not looked at, 1 ASCII, 2 not; null when the whole chunk is ASCII. */
  readonly #blocks: Uint8Array | null;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#blocks = isAscii(bytes) ? null : new Uint8Array((bytes.length >> BLOCK_SHIFT) + 1);
  }

  /** Whether bytes [start, end) are all ASCII. */
  isAscii(start: number, end: number): boolean {
    const blocks = this.#blocks;
    if (blocks === null || end <= start) return true;
    const last = (end - 1) >> BLOCK_SHIFT;
    for (let block = start >> BLOCK_SHIFT; block <= last; block++) {
      let state = blocks[block]!;
      if (state === 0) {
        const from = block << BLOCK_SHIFT;
        state = isAscii(this.#bytes.subarray(from, from + (1 << BLOCK_SHIFT))) ? 1 : 2;
        blocks[block] = state;
      }
      if (state === 2) return isAscii(this.#bytes.subarray(start, end));
    }
    return true;
  }
}

/** A needle as the latin1 text of its UTF-8 bytes (what it looks like in a chunk's text). */
function latin1Needle(needle: string): string {
  return Buffer.from(needle, "utf8").toString("latin1");
}

/** Cuts lines out of chunks: the per-scan state (decoders, needles, head check). */
class LineCutter {
  readonly #needles: readonly string[] | null;
  readonly #head: RawHeadCheck | null;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  constructor(prefilter: RawPrefilter | null) {
    this.#needles = prefilter?.needles?.map(latin1Needle) ?? null;
    this.#head = prefilter?.head ?? null;
  }

  /**
   * The lines of `bytes` that may match, decoded: its lines end at each `\n`, and the last one
   * also at the end of `bytes`. `first`: the bytes start where the read starts (a byte order
   * mark there is dropped, as the plain read's decoder does).
   */
  cut(bytes: Uint8Array, first: boolean): string[] {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const text = buffer.toString("latin1");
    const head = this.#head;
    const chunk = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), text };
    // kept lines as [start, end) pairs, then cut out (two passes: how to cut depends on how many)
    const ranges: number[] = [];
    let kept = 0;
    if (this.#needles === null) {
      for (let start = 0; start < text.length;) {
        let next = text.indexOf("\n", start);
        if (next === -1) next = text.length;
        const end = next > start && text.charCodeAt(next - 1) === CR ? next - 1 : next;
        if (head === null || head(chunk, start, end)) {
          ranges.push(start, end);
          kept += end - start;
        }
        start = next + 1;
      }
    } else {
      for (const start of candidateStarts(text, this.#needles)) {
        let end = text.indexOf("\n", start);
        if (end === -1) end = text.length;
        if (end > start && text.charCodeAt(end - 1) === CR) end--;
        if (head === null || head(chunk, start, end)) {
          ranges.push(start, end);
          kept += end - start;
        }
      }
    }
    // a piece of a string keeps the whole string alive: copy the lines when they are few
    const dense = kept * 4 >= text.length;
    // few lines: each checked on its own; many: by blocks (most are ASCII, checked at once)
    const ascii = dense ? new AsciiMap(bytes) : null;
    const lines: string[] = new Array(ranges.length / 2);
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i]!;
      const end = ranges[i + 1]!;
      let line: string;
      if (ascii === null ? isAscii(bytes.subarray(start, end)) : ascii.isAscii(start, end)) {
        line = dense ? text.slice(start, end) : buffer.toString("latin1", start, end);
      } else if (first && start === 0) line = new TextDecoder().decode(bytes.subarray(0, end));
      else line = this.#decoder.decode(bytes.subarray(start, end));
      lines[i / 2] = line;
    }
    return lines;
  }
}

/** Line starts of the lines of `text` that hold a needle, ascending, once each. */
function candidateStarts(text: string, needles: readonly string[]): number[] {
  const starts: number[] = [];
  for (const needle of needles) {
    for (let i = text.indexOf(needle); i !== -1;) {
      starts.push(text.lastIndexOf("\n", i) + 1);
      const end = text.indexOf("\n", i + needle.length);
      if (end === -1) break;
      i = text.indexOf(needle, end + 1);
    }
  }
  if (needles.length > 1) {
    starts.sort((a, b) => a - b);
    let kept = 0;
    for (let i = 0; i < starts.length; i++) {
      if (i === 0 || starts[i] !== starts[i - 1]) starts[kept++] = starts[i]!;
    }
    starts.length = kept;
  }
  return starts;
}

/** Cuts the lines holding a needle out of `text` (whole lines, in file order, once each). */
export function linesWithNeedles(text: string, needles: readonly string[]): string[] {
  return new LineCutter({ needles, head: null }).cut(new TextEncoder().encode(text), false);
}

/**
 * Every line of `bytes`, or only those that may match `prefilter`, decoded, in order. Without a
 * prefilter the bytes are decoded whole and split, the plain way.
 */
export function linesOfBytes(bytes: Uint8Array, prefilter: RawPrefilter | null): string[] {
  if (prefilter !== null) return new LineCutter(prefilter).cut(bytes, true);
  const lines = new TextDecoder().decode(bytes).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/**
 * Yields, chunk by chunk, the lines of `path` in [start, end) that may match `prefilter`. The
 * next chunk is read while this one is searched (two buffers, reused).
 */
export async function* scanCandidates(
  path: string,
  prefilter: RawPrefilter | null,
  options: ScanOptions = {},
): AsyncGenerator<CandidateBatch> {
  using file = await Deno.open(path, { read: true });
  const start = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const chunkSize = options.chunkSize ?? 1 << 21;
  await file.seek(start, Deno.SeekMode.Start);
  const cutter = new LineCutter(prefilter);
  let buffer = new Uint8Array(chunkSize);
  let spare = new Uint8Array(chunkSize);
  let position = start;
  const readInto = (into: Uint8Array): Promise<number | null> => {
    const want = Math.min(into.length, end - position);
    return want > 0 ? file.read(into.subarray(0, want)) : Promise.resolve(null);
  };
  let pending = readInto(buffer);
  // the start of a line that began in an earlier chunk, in pieces (copied: buffers are reused)
  let carry: Uint8Array[] = [];
  let first = true;
  try {
    for (;;) {
      const n = await pending;
      if (n === null || n === 0) break;
      const at = position;
      position += n;
      pending = readInto(spare);
      const bytes = buffer.subarray(0, n);
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        carry.push(bytes.slice());
      } else {
        const last = bytes.lastIndexOf(NEWLINE);
        const opening = bytes.subarray(0, newline + 1);
        const firstLine = carry.length === 0 ? opening : concatAll([...carry, opening]);
        const lines = cutter.cut(firstLine, first);
        if (last > newline) lines.push(...cutter.cut(bytes.subarray(newline + 1, last + 1), false));
        carry = last + 1 < n ? [bytes.slice(last + 1)] : [];
        yield { lines, firstTimestamp: timestampAt(firstLine), end: at + last + 1 };
        first = false;
      }
      [buffer, spare] = [spare, buffer];
    }
    if (carry.length > 0) {
      const rest = concatAll(carry);
      yield { lines: cutter.cut(rest, first), firstTimestamp: timestampAt(rest), end: position };
    }
  } finally {
    // the file closes when this returns: let a read still running finish first
    await pending.catch(() => null);
  }
}

function concatAll(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

const headDecoder = new TextDecoder();

/** The timestamp of the first line of `bytes` (the line's first field: 64 bytes hold it). */
function timestampAt(bytes: Uint8Array): string | null {
  const firstEnd = bytes.indexOf(NEWLINE);
  const head = bytes.subarray(0, Math.min(firstEnd === -1 ? bytes.length : firstEnd, 64));
  return timestampOf(headDecoder.decode(head));
}
