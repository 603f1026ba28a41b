/**
 * Turns what a person (or a model) types into an FTS5 MATCH expression that cannot be a
 * syntax error: every word and phrase becomes a double-quoted string (inner `"` doubled),
 * so operators (`AND`, `OR`, `NOT`, `NEAR`), column filters (`title:`), parentheses, `-`
 * and `^` are plain text. Terms are AND-ed.
 */

/** At most this many terms are used; the rest of a very long query is ignored. */
export const MAX_FTS_TERMS = 32;

/** Letters and digits: what the unicode61 tokenizer keeps as token characters. */
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function wordTerm(word: string): string | null {
  const prefix = /\*+$/.test(word);
  const bare = word.replace(/\*+$/, "");
  if (!TOKEN_CHAR.test(bare)) return null;
  return prefix ? `${quote(bare)}*` : quote(bare);
}

function phraseTerm(phrase: string): string | null {
  return TOKEN_CHAR.test(phrase) ? quote(phrase) : null;
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
 * The FTS5 expression for free `text`, or null when it holds no searchable word (only
 * punctuation, symbols or emoji). A trailing `*` makes a word a prefix; `"a b"` is a phrase.
 *
 * @example buildFtsQuery('refund "double charge" pay*') // '"refund" AND "double charge" AND "pay"*'
 */
export function buildFtsQuery(text: string): string | null {
  const parts: string[] = [];
  for (const term of splitTerms(text)) {
    const built = term.phrase ? phraseTerm(term.text) : wordTerm(term.text);
    if (built === null) continue;
    parts.push(built);
    if (parts.length === MAX_FTS_TERMS) break;
  }
  return parts.length === 0 ? null : parts.join(" AND ");
}
