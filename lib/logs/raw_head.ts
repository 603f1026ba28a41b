/**
 * The head checks of a filter (time window, level range, components) on a line's raw bytes,
 * where our formatter writes those fields: `{"timestamp":"<24>","level":"<l>","component":"<c>"`.
 * A check reads the fields exactly as {@link parseLogHead}'s fast path does (same positions,
 * same conditions) and rejects a line only when {@link matchesHead} would reject it; a line of
 * another shape, or whose head is not plain ASCII, is kept for the full checks to decide.
 *
 * Fields are compared four bytes at a time through a DataView: a few nanoseconds a line.
 */
import { levelRank, LEVELS } from "./entry.ts";
import { componentMatches, type PreparedFilter } from "./filter.ts";

/** Decides a line [start, end) of a chunk: false when the filter cannot match it. */
export type RawHeadCheck = (chunk: RawChunk, start: number, end: number) => boolean;

/** A chunk's bytes, seen as words (`view`) and as latin1 text (one character per byte). */
export interface RawChunk {
  view: DataView;
  text: string;
}

/** A key's bytes as little-endian 32-bit words and the bytes left over. */
interface Key {
  words: number[];
  tail: number[];
  length: number;
}

function keyOf(text: string): Key {
  const bytes = new TextEncoder().encode(text);
  const view = new DataView(bytes.buffer);
  const words: number[] = [];
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) words.push(view.getUint32(i, true));
  return { words, tail: [...bytes.subarray(i)], length: bytes.length };
}

const TS_PREFIX = keyOf('{"timestamp":"');
const ISO_LENGTH = 24;
const LEVEL_KEY = keyOf('","level":"');
const COMPONENT_KEY = keyOf('","component":"');
/** Where `","level":"` sits: after `{"timestamp":"` and the time. */
const LEVEL_AT = TS_PREFIX.length + ISO_LENGTH;
const LEVEL_START = LEVEL_AT + LEVEL_KEY.length;
/** Shortest line with a readable head: up to the component's opening quote. */
const SHORTEST = LEVEL_START + COMPONENT_KEY.length;

// the three keys unrolled (the hot path: every line of a scan without a needle)
const [T0, T1, T2] = TS_PREFIX.words as [number, number, number];
const T3 = TS_PREFIX.tail[0]! | (TS_PREFIX.tail[1]! << 8);
const [L0, L1] = LEVEL_KEY.words as [number, number];
const L2 = LEVEL_KEY.tail[0]! | (LEVEL_KEY.tail[1]! << 8);
const L3 = LEVEL_KEY.tail[2]!;
const [C0, C1, C2] = COMPONENT_KEY.words as [number, number, number];
const C3 = COMPONENT_KEY.tail[0]! | (COMPONENT_KEY.tail[1]! << 8);
const C4 = COMPONENT_KEY.tail[2]!;

/** `{"timestamp":"` at `at`. */
function tsPrefixAt(view: DataView, at: number): boolean {
  return view.getUint32(at, true) === T0 && view.getUint32(at + 4, true) === T1 &&
    view.getUint32(at + 8, true) === T2 && view.getUint16(at + 12, true) === T3;
}

/** `","level":"` at `at`. */
function levelKeyAt(view: DataView, at: number): boolean {
  return view.getUint32(at, true) === L0 && view.getUint32(at + 4, true) === L1 &&
    view.getUint16(at + 8, true) === L2 && view.getUint8(at + 10) === L3;
}

/** `","component":"` at `at`. */
function componentKeyAt(view: DataView, at: number): boolean {
  return view.getUint32(at, true) === C0 && view.getUint32(at + 4, true) === C1 &&
    view.getUint32(at + 8, true) === C2 && view.getUint16(at + 12, true) === C3 &&
    view.getUint8(at + 14) === C4;
}

const LEVEL_KEYS = LEVELS.map(keyOf);
/** Each level's first four bytes, as a word. */
const LEVEL_WORDS = LEVEL_KEYS.map((key) => key.words[0]!);
const HIGH_BITS = 0x80808080;
const BACKSLASH = 92;

/** The rank of the level in [start, end), as {@link levelRank} gives it; -1 if not ASCII. */
function rankAt(view: DataView, text: string, start: number, end: number): number {
  if (end - start >= 4) {
    // every level name has four bytes or more, and no two begin alike
    const rank = LEVEL_WORDS.indexOf(view.getUint32(start, true));
    if (rank !== -1 && LEVEL_KEYS[rank]!.length === end - start) {
      const tail = LEVEL_KEYS[rank]!.tail;
      let same = true;
      for (let i = 0; i < tail.length; i++) same &&= view.getUint8(start + 4 + i) === tail[i];
      if (same) return rank;
    }
  }
  for (let i = start; i < end; i++) if (view.getUint8(i) >= 0x80) return -1;
  return levelRank(text.slice(start, end));
}

/** -1, 0 or 1 as the 24-byte time at `at` sorts before, with or after `iso` (24 characters). */
function compareTime(view: DataView, at: number, iso: Key): number {
  for (let i = 0; i < iso.words.length; i++) {
    // big-endian words order as the bytes do
    const a = view.getUint32(at + 4 * i, false);
    const b = swap(iso.words[i]!);
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function swap(word: number): number {
  return (((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) |
    (word >>> 24)) >>> 0;
}

/** A time bound as a key, or null when it is not 24 characters (then it is not checked raw). */
function timeKey(iso: string | null): Key | null {
  return iso !== null && iso.length === ISO_LENGTH ? keyOf(iso) : null;
}

/** Options for {@link rawHeadCheck}. */
export interface RawHeadOptions {
  /** A line later than this is kept whatever it holds, so the reader sees it and stops there.
   * Default: null (no such bound). */
  stopIso?: string | null;
}

/** The head check of `filter`, or null when the filter checks no head field. */
export function rawHeadCheck(
  filter: PreparedFilter,
  options: RawHeadOptions = {},
): RawHeadCheck | null {
  const since = timeKey(filter.sinceIso);
  const until = timeKey(filter.untilIso);
  const { min, max } = filter.levels;
  const anyLevel = min === 0 && max === LEVELS.length - 1;
  const components = filter.components === null ? null : componentCheck(filter.components);
  if (since === null && until === null && anyLevel && components === null) return null;
  const stopIso = options.stopIso ?? null;
  const stop = timeKey(stopIso);
  // a line past a stop bound that cannot be compared raw could not be told apart: keep all
  if (stopIso !== null && stop === null) return null;
  return ({ view, text }, start, end) => {
    if (end - start < SHORTEST) return true;
    if (!tsPrefixAt(view, start) || !levelKeyAt(view, start + LEVEL_AT)) return true;
    const levelStart = start + LEVEL_START;
    const levelEnd = text.indexOf('"', levelStart);
    if (levelEnd === -1 || levelEnd + COMPONENT_KEY.length > end) return true;
    if (!componentKeyAt(view, levelEnd)) return true;
    const componentStart = levelEnd + COMPONENT_KEY.length;
    const componentEnd = text.indexOf('"', componentStart);
    if (componentEnd === -1 || componentEnd >= end) return true;
    if (view.getUint8(componentEnd - 1) === BACKSLASH) return true;
    // the time must be ASCII, or the decoded line would hold its fields elsewhere
    const at = start + TS_PREFIX.length;
    let high = 0;
    for (let i = 0; i < ISO_LENGTH; i += 4) high |= view.getUint32(at + i, true);
    if ((high & HIGH_BITS) !== 0) return true;
    if (stop !== null && compareTime(view, at, stop) > 0) return true;
    if (since !== null && compareTime(view, at, since) < 0) return false;
    if (until !== null && compareTime(view, at, until) > 0) return false;
    if (!anyLevel) {
      const rank = rankAt(view, text, levelStart, levelEnd);
      if (rank === -1) return true;
      if (rank < min || rank > max) return false;
    }
    return components === null || components(view, text, componentStart, componentEnd);
  };
}

/**
 * Whether the component in [start, end) may be one of `wanted` ({@link componentMatches}):
 * decided once per name (a log has few), and kept when not ASCII.
 */
function componentCheck(
  wanted: ReadonlySet<string>,
): (view: DataView, text: string, start: number, end: number) => boolean {
  const verdicts = new Map<string, boolean>();
  return (view, text, start, end) => {
    const name = text.slice(start, end);
    let verdict = verdicts.get(name);
    if (verdict === undefined) {
      let ascii = true;
      for (let i = start; i < end; i++) if (view.getUint8(i) >= 0x80) ascii = false;
      verdict = !ascii || componentMatches(wanted, name);
      if (verdicts.size >= 10_000) verdicts.clear();
      verdicts.set(name, verdict);
    }
    return verdict;
  };
}
