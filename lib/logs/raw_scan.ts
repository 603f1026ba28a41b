/**
 * Full scans at close to `grep`'s speed: most lines of a large log cannot match a selective
 * filter, so they are rejected on the raw text of a large chunk before any line is split off or
 * parsed. A filter yields "needles", strings one of which every matching line must contain
 * verbatim (a session or process id, the plain strings of a `--filter` pattern, the
 * `"level":"…"` field of a warning-or-worse level range); a chunk is searched for them with
 * `indexOf` and only the lines around a hit are cut out and handed to the usual checks.
 * Filters without such a string (say `--level info`) read every line as before.
 */
import { LEVELS, timestampOf } from "./entry.ts";
import type { PreparedFilter } from "./filter.ts";

const NEWLINE = 10;

/**
 * Whether a plain string can only be found in a line's `--filter` text where the raw line has
 * it too. The text is `LEVEL component: message`: a string could also match inside that
 * prefix (an upper-case level word, a component name, then `: `), or span its end into the
 * message; both need it to look like a piece of the prefix, start with a space or hold `: `.
 */
export function needleSafe(literal: string): boolean {
  if (literal.length < 3 || literal.startsWith(" ") || literal.includes(": ")) return false;
  if (couldBeInPrefix(literal)) return false;
  for (let i = 0; i < literal.length; i++) {
    const code = literal.charCodeAt(i);
    // JSON escapes these in the raw line, so the raw text would not hold them verbatim
    if (code < 0x20 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
  }
  return true;
}

const LEVEL_WORDS = LEVELS.map((level) => level.toUpperCase());

/** Whether `literal` could be a piece of `LEVEL component:` (a level word's end, a component). */
function couldBeInPrefix(literal: string): boolean {
  if (/^[A-Za-z0-9._-]*:?$/.test(literal)) return true;
  const match = /^([A-Z]+) [A-Za-z0-9._-]*:?$/.exec(literal);
  return match !== null && LEVEL_WORDS.some((word) => word.endsWith(match[1]!));
}

/**
 * The plain text every match of `pattern` starts with (`HTTP 5` for `HTTP 5\\d\\d`), or null
 * when there is none worth searching for: flags, an alternation anywhere, an anchor or a
 * group first. A last character made optional by `?`, `*` or `{` is left out.
 */
export function requiredPrefix(pattern: RegExp): string | null {
  if (pattern.flags !== "") return null;
  const source = pattern.source;
  if (source.includes("|")) return null;
  let prefix = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break; // \d, \w, \b…: not plain text
      prefix += next;
      i++;
      continue;
    }
    if ("?*{".includes(c)) {
      prefix = prefix.slice(0, -1);
      break;
    }
    if ("^$.+()[]}".includes(c)) break;
    prefix += c;
  }
  return prefix.length >= 3 ? prefix : null;
}

/** What a raw chunk is searched for: strings (one must be in the line), or level names. */
export type RawPrefilter =
  | { kind: "strings"; strings: readonly string[] }
  | { kind: "levels"; levels: readonly string[] };

/**
 * The cheapest test on raw lines that rejects lines the filter cannot match, or null when the
 * filter offers none. The most selective kind wins: an id, then a pattern's plain strings,
 * then a level range from `warning` up (checked where the level sits in every line we write).
 */
export function rawPrefilter(filter: PreparedFilter): RawPrefilter | null {
  if (filter.sessionId !== null && filter.sessionId.length >= 3) {
    return { kind: "strings", strings: [filter.sessionId] };
  }
  if (filter.processId !== null && filter.processId.length >= 3) {
    return { kind: "strings", strings: [filter.processId] };
  }
  for (const literals of filter.literals) {
    if (literals !== null && literals.every(needleSafe)) {
      return { kind: "strings", strings: literals };
    }
  }
  for (const pattern of filter.patterns) {
    const prefix = requiredPrefix(pattern);
    if (prefix !== null && needleSafe(prefix)) return { kind: "strings", strings: [prefix] };
  }
  const warning = LEVELS.indexOf("warning");
  if (filter.levels.min >= warning) {
    return { kind: "levels", levels: LEVELS.slice(filter.levels.min, filter.levels.max + 1) };
  }
  return null;
}

/** Options for {@link scanCandidates}. */
export interface ScanOptions {
  /** Byte offset of a line start. Default: 0. */
  start?: number;
  /** Stop at this byte offset (exclusive). Default: the end of the file. */
  end?: number;
  /** Bytes read at a time. Default: 4 MiB. */
  chunkSize?: number;
}

/** The lines of one chunk that contain a needle, and the chunk's first timestamp. */
export interface CandidateBatch {
  lines: string[];
  /** Timestamp of the chunk's first whole line: every later line is no earlier (within the
   * ordering slack), which lets a time-bounded read stop without looking at each line. */
  firstTimestamp: string | null;
}

/** A needle as bytes, searched from its least common byte (fewer false starts). */
interface ByteNeedle {
  bytes: Uint8Array;
  /** Index of the byte `indexOf` looks for. */
  anchor: number;
}

/** How common a byte is in JSON log lines (lower is rarer): letters and punctuation of keys. */
function commonness(byte: number): number {
  if (byte >= 0x61 && byte <= 0x7a) return 3; // lower-case letters
  if (byte === 0x20 || byte === 0x22 || byte === 0x3a || byte === 0x2c) return 4; // space " : ,
  if (byte >= 0x30 && byte <= 0x39) return 2; // digits (every timestamp has many)
  if (byte >= 0x41 && byte <= 0x5a) return 1; // upper-case letters
  return 0;
}

function byteNeedle(text: string): ByteNeedle {
  const bytes = new TextEncoder().encode(text);
  let anchor = 0;
  for (let i = 1; i < bytes.length; i++) {
    if (commonness(bytes[i]!) < commonness(bytes[anchor]!)) anchor = i;
  }
  return { bytes, anchor };
}

/** Line starts of the lines of `bytes` that hold a needle, ascending, once each. */
function candidateStarts(bytes: Uint8Array, needles: readonly ByteNeedle[]): number[] {
  const starts: number[] = [];
  for (const { bytes: needle, anchor } of needles) {
    const key = needle[anchor]!;
    const length = needle.length;
    let i = anchor;
    for (;;) {
      i = bytes.indexOf(key, i);
      if (i === -1) break;
      const at = i - anchor;
      let k = 0;
      if (at + length <= bytes.length) {
        while (k < length && bytes[at + k] === needle[k]) k++;
      }
      if (k < length) {
        i++;
        continue;
      }
      starts.push(bytes.lastIndexOf(NEWLINE, at) + 1);
      const end = bytes.indexOf(NEWLINE, at + length);
      if (end === -1) break;
      i = end + 1 + anchor;
    }
  }
  if (needles.length > 1) starts.sort((a, b) => a - b);
  return starts;
}

/** `","level":"` where every line we write has it: after `{"timestamp":"` and 24 characters. */
const LEVEL_FIELD = new TextEncoder().encode('","level":"');
const LEVEL_AT = 14 + 24;

/**
 * Line starts of the lines whose level is one of `levels` (each given as `name"`). A line of
 * another shape is kept, for the full parse to decide.
 */
function levelStarts(bytes: Uint8Array, levels: readonly Uint8Array[]): number[] {
  const starts: number[] = [];
  const field = LEVEL_FIELD.length;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    let keep = true;
    if (end - start > LEVEL_AT + field && bytes[start] === 0x7b) {
      let k = 0;
      while (k < field && bytes[start + LEVEL_AT + k] === LEVEL_FIELD[k]) k++;
      if (k === field) {
        const at = start + LEVEL_AT + field;
        keep = levels.some((level) => {
          for (let j = 0; j < level.length; j++) if (bytes[at + j] !== level[j]) return false;
          return true;
        });
      }
    }
    if (keep && end > start) starts.push(start);
    start = end + 1;
  }
  return starts;
}

/** Cuts the lines holding a needle out of `text` (whole lines, in file order, once each). */
export function linesWithNeedles(text: string, needles: readonly string[]): string[] {
  const bytes = new TextEncoder().encode(text);
  return decodeLines(bytes, candidateStarts(bytes, needles.map(byteNeedle)), new TextDecoder());
}

function decodeLines(bytes: Uint8Array, starts: number[], decoder: TextDecoder): string[] {
  const lines: string[] = [];
  let previous = -1;
  for (const start of starts) {
    if (start === previous) continue;
    previous = start;
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    if (end > start && bytes[end - 1] === 13) end--;
    lines.push(decoder.decode(bytes.subarray(start, end)));
  }
  return lines;
}

/** Every line of `bytes`, or only those that may match `prefilter`, decoded, in order. */
export function linesOfBytes(bytes: Uint8Array, prefilter: RawPrefilter | null): string[] {
  const decoder = new TextDecoder();
  if (prefilter !== null) return decodeLines(bytes, finder(prefilter)(bytes), decoder);
  const lines = decoder.decode(bytes).split("\n").map((
    l,
  ) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function finder(prefilter: RawPrefilter): (bytes: Uint8Array) => number[] {
  if (prefilter.kind === "strings") {
    const needles = prefilter.strings.map(byteNeedle);
    return (bytes) => candidateStarts(bytes, needles);
  }
  const levels = prefilter.levels.map((l) => new TextEncoder().encode(`${l}"`));
  return (bytes) => levelStarts(bytes, levels);
}

/** Yields, chunk by chunk, the lines of `path` in [start, end) that contain one of `needles`. */
export async function* scanCandidates(
  path: string,
  prefilter: RawPrefilter,
  options: ScanOptions = {},
): AsyncGenerator<CandidateBatch> {
  using file = await Deno.open(path, { read: true });
  const start = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const chunkSize = options.chunkSize ?? 1 << 22;
  await file.seek(start, Deno.SeekMode.Start);
  const decoder = new TextDecoder();
  const find = finder(prefilter);
  let buffer = new Uint8Array(chunkSize);
  let position = start;
  // the unfinished last line of the previous chunk sits at the buffer's start
  let carried = 0;
  for (;;) {
    if (carried === buffer.length) {
      const larger = new Uint8Array(buffer.length * 2); // one line longer than a chunk
      larger.set(buffer);
      buffer = larger;
    }
    const want = Math.min(buffer.length - carried, end - position);
    const n = want > 0 ? await file.read(buffer.subarray(carried, carried + want)) : null;
    if (n === null || n === 0) break;
    position += n;
    const bytes = buffer.subarray(0, carried + n);
    const last = bytes.lastIndexOf(NEWLINE);
    if (last === -1) {
      carried = bytes.length;
      continue;
    }
    yield batchOf(bytes.subarray(0, last + 1), find, decoder);
    buffer.copyWithin(0, last + 1, bytes.length);
    carried = bytes.length - last - 1;
  }
  const carry = buffer.subarray(0, carried);
  if (carry.length > 0) yield batchOf(carry, find, decoder);
}

function batchOf(
  bytes: Uint8Array,
  find: (bytes: Uint8Array) => number[],
  decoder: TextDecoder,
): CandidateBatch {
  const firstEnd = bytes.indexOf(NEWLINE);
  // the timestamp is the line's first field: 64 bytes hold it
  const head = bytes.subarray(0, Math.min(firstEnd === -1 ? bytes.length : firstEnd, 64));
  return {
    lines: decodeLines(bytes, find(bytes), decoder),
    firstTimestamp: timestampOf(decoder.decode(head)),
  };
}
