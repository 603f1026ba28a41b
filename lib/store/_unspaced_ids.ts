/**
 * The doc_ids whose text holds every clause of a search with terms in a script written without
 * spaces (Chinese, Japanese, Thai…), shared by conversation and ticket search.
 */
import type { Connection } from "./database.ts";
import type { SearchTerm } from "./fts_query.ts";
import { INT } from "./search_plans.ts";
import { likeContains } from "./_values.ts";

/** The tables of one kind of document that search reads. */
export interface UnspacedIndex {
  /** The main FTS5 table, holding the words (`conversations_fts`). */
  fts: string;
  /** The trigram FTS5 table over the unspaced text (`conversations_unspaced_fts`). */
  trigram: string;
  /** The table of the unspaced text by `doc_id`, only documents with such text. */
  text: string;
  /** The FTS5 expression of a clause's word terms. */
  words(terms: SearchTerm[]): string;
}

/**
 * The doc_ids (in no order) matching `clauses` (each holding a term in a script without
 * spaces; all required, one term of each enough). An unspaced term is a substring of the
 * document's unspaced text; a word term of the same clause (`請求書 OR invoice`) is a word of
 * the main index, so a document with only the word is found too. Clauses of unspaced terms
 * alone go first (their substrings are usually rare), and a word term is then looked up among
 * the documents still in; before that it is narrowed by the query's word clauses (`match`),
 * which every result must match anyway.
 */
export function unspacedClauseIds(
  conn: Connection,
  index: UnspacedIndex,
  clauses: readonly SearchTerm[][],
  match: string | null,
): number[] {
  const mixed = (clause: readonly SearchTerm[]) => clause.some((t) => !t.unspaced);
  const ordered = [...clauses].sort((a, b) => Number(mixed(a)) - Number(mixed(b)));
  let result = null as Set<number> | null;
  for (const clause of ordered) {
    const ids = new Set<number>();
    for (const term of clause) {
      if (term.unspaced) { for (const id of termIds(conn, index, term)) ids.add(id); }
    }
    const words = clause.filter((t) => !t.unspaced);
    if (words.length > 0) {
      for (const id of wordIds(conn, index, index.words(words), match, result)) ids.add(id);
    }
    const previous = result;
    result = previous === null ? ids : new Set([...ids].filter((id) => previous.has(id)));
    if (result.size === 0) break;
  }
  return [...(result ?? [])];
}

/** The doc_ids matching the word expression `words` (and `match`), among `within` if given. */
function wordIds(
  conn: Connection,
  index: UnspacedIndex,
  words: string,
  match: string | null,
  within: Set<number> | null,
): number[] {
  const expression = match === null ? words : `${words} AND ${match}`;
  if (within === null) {
    return conn.all(`SELECT rowid AS id FROM ${index.fts} WHERE ${index.fts} MATCH ?`, expression)
      .map((row) => Number(row.id));
  }
  if (within.size === 0) return [];
  const list = [...within];
  let low = Infinity;
  let high = -Infinity;
  for (const id of list) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  // `+rowid` keeps the IN list away from FTS5, which would re-run the MATCH for each value.
  return conn.all(
    `SELECT rowid AS id FROM ${index.fts} WHERE ${index.fts} MATCH ? ` +
      `AND rowid BETWEEN ${INT} AND ${INT} AND +rowid IN (SELECT value FROM json_each(?))`,
    expression,
    low,
    high,
    JSON.stringify(list),
  ).map((row) => Number(row.id));
}

/** A trigram phrase match for 3+ characters; shorter text has no trigram, so a LIKE scan. */
function termIds(conn: Connection, index: UnspacedIndex, term: SearchTerm): number[] {
  const rows = [...term.text].length >= 3
    ? conn.all(
      `SELECT rowid AS id FROM ${index.trigram} WHERE ${index.trigram} MATCH ?`,
      `"${term.text.replaceAll('"', '""')}"`,
    )
    : conn.all(
      `SELECT doc_id AS id FROM ${index.text} WHERE text LIKE ? ESCAPE '\\'`,
      likeContains(term.text),
    );
  return rows.map((row) => Number(row.id));
}
