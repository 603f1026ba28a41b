/**
 * Search-result snippets made in JavaScript from the stored text. FTS5's `snippet()`
 * tokenizes the whole column, which for a 500-part thread (about 100 KB) costs a millisecond
 * or more per hit; a regular expression finds the first matches in microseconds. Matching
 * follows the index's tokenizer closely (unicode61, case and diacritics folded, words bounded
 * by non-letters); a snippet is for display only, so a rare disagreement costs nothing.
 */
import type { SearchTerm } from "./fts_query.ts";

const WORD = "\\p{L}\\p{N}\\p{Co}";
const foldCache = new Map<string, string>();

function foldChar(char: string): string {
  let folded = foldCache.get(char);
  if (folded === undefined) {
    const lower = char.toLowerCase();
    const base = lower.normalize("NFD").replace(/\p{M}+/gu, "");
    folded = base.length === char.length ? base : lower.length === char.length ? lower : char;
    if (foldCache.size < 4096) foldCache.set(char, folded);
  }
  return folded;
}

/** `text` lower-cased without diacritics, with every character at the same index. */
export function foldText(text: string): string {
  return text.replace(/[A-Z]|[^\p{ASCII}]/gu, foldChar);
}

function termPattern(term: SearchTerm): string | null {
  // found as a substring (the trigram index), not as words
  if (term.unspaced) return foldText(term.text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const tokens = foldText(term.text).match(new RegExp(`[${WORD}]+`, "gu"));
  if (tokens === null) return null;
  const body = tokens.join(`[^${WORD}]+`);
  // A prefix marks the whole word it starts, as FTS5 does.
  return `(?<![${WORD}])${body}${term.prefix ? `[${WORD}]*` : `(?![${WORD}])`}`;
}

interface Match {
  start: number;
  end: number;
  term: number;
}

/** Matches of each pattern, at most `limit` per pattern, in text order. */
function findMatches(folded: string, patterns: RegExp[], limit: number): Match[] {
  const matches: Match[] = [];
  patterns.forEach((pattern, term) => {
    pattern.lastIndex = 0;
    let found = 0;
    for (
      let hit = pattern.exec(folded);
      hit !== null && found < limit;
      hit = pattern.exec(folded)
    ) {
      matches.push({ start: hit.index, end: hit.index + hit[0].length, term });
      found++;
    }
  });
  return matches.sort((a, b) => a.start - b.start);
}

/** Matches kept per term: enough for any excerpt, bounded for a term found everywhere. */
const MATCH_LIMIT = 64;

function compile(terms: readonly SearchTerm[]): RegExp[] {
  return terms.map(termPattern).filter((p): p is string => p !== null)
    .map((p) => new RegExp(p, "gu"));
}

/** Options of {@linkcode makeSnippet}. */
export interface SnippetOptions {
  /** Characters shown before the first match. Default 40. */
  before?: number;
  /** Total characters of the excerpt, about. Default 160. */
  length?: number;
}

function settings(options: SnippetOptions): Required<SnippetOptions> {
  return { before: options.before ?? 40, length: options.length ?? 160 };
}

function excerpt(text: string, matches: Match[], options: Required<SnippetOptions>): string {
  const first = matches[0];
  let start = first === undefined ? 0 : Math.max(0, first.start - options.before);
  let end = Math.min(text.length, start + options.length);
  if (start > 0) start = Math.max(start, text.lastIndexOf(" ", start) + 1);
  if (end < text.length) {
    const space = text.indexOf(" ", end);
    end = space === -1 || space - end > 20 ? end : space;
  }
  let out = start > 0 ? "…" : "";
  let at = start;
  for (const match of matches) {
    if (match.start < at || match.end > end) continue;
    out += `${text.slice(at, match.start)}[${text.slice(match.start, match.end)}]`;
    at = match.end;
  }
  out += text.slice(at, end) + (end < text.length ? "…" : "");
  return out.replace(/\s+/g, " ").trim();
}

/**
 * A short excerpt of the column (of `columns`, in order of preference) that matches the most
 * distinct `terms`, with `[` and `]` around matches; null when every column is empty.
 */
export function makeSnippet(
  columns: readonly (string | null)[],
  terms: readonly SearchTerm[],
  options: SnippetOptions = {},
): string | null {
  const patterns = compile(terms);
  let best: { text: string; matches: Match[]; score: number } | null = null;
  for (const text of columns) {
    if (text === null || text === "") continue;
    const matches = findMatches(foldText(text), patterns, MATCH_LIMIT);
    const score = new Set(matches.map((m) => m.term)).size;
    if (best === null || score > best.score) best = { text, matches, score };
  }
  return best === null ? null : excerpt(best.text, best.matches, settings(options));
}

/** Characters past the excerpt's nominal end that `excerpt` may read (to end on a space). */
const END_SLACK = 21;

/**
 * Whether `head`, the start of a longer first column that continues after a line break,
 * already decides {@linkcode makeSnippet}: every term matches in it (so no other column can
 * score higher) and it reaches past the excerpt. Each term's matches in `head` are then the
 * first ones of the whole column, so the snippet made from `head` is the same, and a long
 * thread need not be read to its end.
 */
export function snippetSettled(
  head: string,
  terms: readonly SearchTerm[],
  options: SnippetOptions = {},
): boolean {
  const patterns = compile(terms);
  if (patterns.length === 0) return false;
  const matches = findMatches(foldText(head), patterns, MATCH_LIMIT);
  const first = matches[0];
  if (first === undefined || new Set(matches.map((m) => m.term)).size < patterns.length) {
    return false;
  }
  return head.length > first.start + settings(options).length + END_SLACK;
}
