/**
 * Turns what a person (or a model) types into an FTS5 MATCH expression that cannot be a
 * syntax error: every word and phrase becomes a double-quoted string (inner `"` doubled),
 * so operators (`AND`, `OR`, `NOT`, `NEAR`), column filters (`title:`), parentheses, `-`
 * and `^` are plain text. Terms are AND-ed.
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

/** Text that could spell a facet token (see `search_keys.ts`). */
const FACET_LIKE = /zz[sgat][0-9a-f]/i;

/** One searchable unit of the user's text. */
export interface SearchTerm {
  /** The word or phrase as typed, without quotes or trailing `*`. */
  text: string;
  /** Typed as `"a quoted phrase"`. */
  phrase: boolean;
  /** Typed with a trailing `*`: matches words starting with it. */
  prefix: boolean;
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

/**
 * The searchable terms of free `text`, at most {@linkcode MAX_FTS_TERMS}; words and phrases
 * without a letter or digit (punctuation, symbols, emoji) are dropped.
 */
export function parseSearchText(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const raw of splitTerms(text)) {
    const starred = !raw.phrase && /\*+$/.test(raw.text);
    const bare = starred ? raw.text.replace(/\*+$/, "") : raw.text;
    if (!TOKEN_CHAR.test(bare)) continue;
    const prefix = starred && tokenChars(bare) >= MIN_PREFIX_CHARS;
    terms.push({ text: bare, phrase: raw.phrase, prefix });
    if (terms.length === MAX_FTS_TERMS) break;
  }
  return terms;
}

function tokenChars(text: string): number {
  let n = 0;
  for (const ch of text) if (TOKEN_CHAR.test(ch)) n++;
  return n;
}

function quote(text: string): string {
  const quoted = `"${text.replaceAll('"', '""')}"`;
  // Keep the rare text that looks like a facet token to the text columns.
  return FACET_LIKE.test(text) ? `{subject title body} : ${quoted}` : quoted;
}

/** The FTS5 expression for parsed `terms`, or null when there are none. */
export function ftsExpression(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => (t.prefix ? `${quote(t.text)}*` : quote(t.text))).join(" AND ");
}

/**
 * The FTS5 expression for free `text`, or null when it holds no searchable word (only
 * punctuation, symbols or emoji). A trailing `*` makes a word a prefix; `"a b"` is a phrase.
 *
 * @example buildFtsQuery('refund "double charge" pay*') // '"refund" AND "double charge" AND "pay"*'
 */
export function buildFtsQuery(text: string): string | null {
  return ftsExpression(parseSearchText(text));
}
