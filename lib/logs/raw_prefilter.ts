/**
 * What a full scan can decide from a line's raw bytes, before the line is cut out, decoded or
 * parsed (see raw_scan.ts): "needles", strings one of which every matching line holds
 * verbatim (a session or process id, the plain strings of a `--filter` pattern), and the head
 * checks (time window, level range, components; see raw_head.ts). A line is only rejected when
 * the full checks would reject it too.
 */
import { LEVELS } from "./entry.ts";
import type { PreparedFilter } from "./filter.ts";
import { type RawHeadCheck, rawHeadCheck, type RawHeadOptions } from "./raw_head.ts";

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

/** The strings one of which every line the filter can match holds verbatim; null if none. */
export function filterNeedles(filter: PreparedFilter): string[] | null {
  if (filter.sessionId !== null && filter.sessionId.length >= 3) return [filter.sessionId];
  if (filter.processId !== null && filter.processId.length >= 3) return [filter.processId];
  for (const literals of filter.literals) {
    if (literals !== null && literals.every(needleSafe)) return literals;
  }
  for (const pattern of filter.patterns) {
    const prefix = requiredPrefix(pattern);
    if (prefix !== null && needleSafe(prefix)) return [prefix];
  }
  return null;
}

/** What a scan looks for in the raw text of a chunk. */
export interface RawPrefilter {
  /** Every wanted line holds one of these (as UTF-8); null: no such strings. */
  needles: readonly string[] | null;
  /** Rejects lines on their head fields; null: every line (with a needle) is wanted. */
  head: RawHeadCheck | null;
}

/** The raw checks of `filter`: its needles and its head checks (either may be null). */
export function rawPrefilter(filter: PreparedFilter, options: RawHeadOptions = {}): RawPrefilter {
  return { needles: filterNeedles(filter), head: rawHeadCheck(filter, options) };
}
