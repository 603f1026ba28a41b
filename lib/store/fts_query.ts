/**
 * Turns what a person (or a model) types into a search that cannot be a syntax error:
 *
 * - words and `"quoted phrases"` must all match (AND); `OR` (upper case) between two terms
 *   means either, binding the terms next to it as in web search (`refund chargeback OR
 *   dispute` = refund AND (chargeback OR dispute)); `word*` is a prefix (3+ letters);
 * - every term becomes a double-quoted FTS5 string (inner `"` doubled), so `AND`, `NOT`,
 *   `NEAR`, column filters (`title:`), parentheses, `-` and `^` are plain text;
 * - a term in a script written without spaces (Chinese, Japanese, Thai…) is found as a
 *   substring, through the trigram index of migration 6, not as a unicode61 word;
 * - control characters (a NUL included) separate words, as the tokenizer treats them.
 *
 * What was ignored (terms past the limit, text without a letter or digit) is reported, so a
 * search that cannot match says why instead of answering a silent zero.
 */

/** At most this many terms are used; the rest of a very long query is ignored. */
export const MAX_FTS_TERMS = 32;

/**
 * A trailing `*` needs at least this many letters or digits before it: a shorter prefix
 * (`re*`) matches most of the index, costs hundreds of ms on a large store and ranks nothing
 * useful, so it is searched as the word itself.
 */
export const MIN_PREFIX_CHARS = 3;

/** Letters and digits: what the unicode61 tokenizer keeps as token characters. */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;

/** Scripts written without spaces between words (as `UNSPACED_SCRIPTS_GLOB` in migrations). */
const UNSPACED =
  /[\u0E01-\u0E5B\u0E81-\u0EDF\u1000-\u109F\u1780-\u17F9\u3041-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3\uF900-\uFAFF\uFF66-\uFF9F]/;

/** Text that could spell a facet token (see `search_keys.ts`). */
const FACET_LIKE = /zz[sgatk][0-9a-f]/i;

/** One searchable unit of the user's text. */
export interface SearchTerm {
  /** The word or phrase as typed, without quotes or trailing `*`. */
  text: string;
  /** Typed as `"a quoted phrase"`. */
  phrase: boolean;
  /** Typed with a trailing `*`: matches words starting with it. */
  prefix: boolean;
  /** Holds a script written without spaces: matched as a substring. */
  unspaced: boolean;
}

/** A parsed query: every clause must match; a clause matches when any of its terms does. */
export interface ParsedQuery {
  clauses: SearchTerm[][];
  /** Words and phrases dropped for holding no letter or digit. */
  ignored: string[];
  /** Terms past {@linkcode MAX_FTS_TERMS}, not searched. */
  dropped: number;
}

/** Splits `text` into words and `"quoted phrases"`; an unclosed quote starts plain words. */
function splitTerms(text: string): { text: string; phrase: boolean }[] {
  const terms: { text: string; phrase: boolean }[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? "";
    if (/\s/u.test(char)) {
      index++;
      continue;
    }
    const close = char === '"' ? text.indexOf('"', index + 1) : -1;
    if (close > index) {
      terms.push({ text: text.slice(index + 1, close), phrase: true });
      index = close + 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && !/[\s"]/u.test(text[end] ?? "")) end++;
    terms.push({ text: text.slice(index, end), phrase: false });
    index = end;
  }
  return terms;
}

function tokenChars(text: string): number {
  let n = 0;
  for (const ch of text) if (TOKEN_CHAR.test(ch)) n++;
  return n;
}

/** The query of free `text`; see the module comment. */
export function parseQuery(text: string): ParsedQuery {
  // control characters (NUL included) are separators to the tokenizer, and to us
  const clean = text.replace(/[\p{Cc}]/gu, " ");
  const clauses: SearchTerm[][] = [];
  const ignored: string[] = [];
  let count = 0;
  let dropped = 0;
  let joinNext = false;
  for (const raw of splitTerms(clean)) {
    if (!raw.phrase && raw.text === "OR") {
      joinNext = clauses.length > 0;
      continue;
    }
    const starred = !raw.phrase && /\*+$/.test(raw.text);
    const bare = starred ? raw.text.replace(/\*+$/, "") : raw.text;
    if (!TOKEN_CHAR.test(bare)) {
      if (raw.text.trim() !== "") ignored.push(raw.text);
      continue;
    }
    if (count === MAX_FTS_TERMS) {
      dropped++;
      continue;
    }
    count++;
    const term: SearchTerm = {
      text: bare,
      phrase: raw.phrase,
      prefix: starred && tokenChars(bare) >= MIN_PREFIX_CHARS,
      unspaced: UNSPACED.test(bare),
    };
    if (joinNext) clauses[clauses.length - 1]!.push(term);
    else clauses.push([term]);
    joinNext = false;
  }
  return { clauses, ignored, dropped };
}

/**
 * The searchable terms of free `text`, at most {@linkcode MAX_FTS_TERMS}, in order (for
 * snippets); words and phrases without a letter or digit are dropped.
 */
export function parseSearchText(text: string): SearchTerm[] {
  return parseQuery(text).clauses.flat();
}

function quote(text: string): string {
  const quoted = `"${text.replaceAll('"', '""')}"`;
  // Keep the rare text that looks like a facet token to the text columns.
  return FACET_LIKE.test(text) ? `{subject title body} : ${quoted}` : quoted;
}

function termExpression(term: SearchTerm): string {
  return term.prefix ? `${quote(term.text)}*` : quote(term.text);
}

/** The FTS5 expression for `clauses` (word terms only), or null when there are none. */
export function ftsExpression(clauses: readonly (readonly SearchTerm[])[]): string | null {
  if (clauses.length === 0) return null;
  return clauses.map((clause) =>
    clause.length === 1
      ? termExpression(clause[0]!)
      : `(${clause.map(termExpression).join(" OR ")})`
  ).join(" AND ");
}

/**
 * The FTS5 expression for free `text`, or null when it holds no searchable word. Terms in
 * scripts without spaces are part of it here (the store searches them apart).
 *
 * @example buildFtsQuery('refund "double charge" pay*') // '"refund" AND "double charge" AND "pay"*'
 */
export function buildFtsQuery(text: string): string | null {
  return ftsExpression(parseQuery(text).clauses);
}
