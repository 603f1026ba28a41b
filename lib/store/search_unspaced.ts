/**
 * The plan of a search whose text holds a term in a script written without spaces (Chinese,
 * Japanese, Thai…): such terms are substrings, found through the trigram index of migration
 * 6 (`conversations_unspaced_fts`), not words of the main index. Chosen by `search.ts`.
 */
import type { Connection } from "./database.ts";
import { ftsExpression, type SearchTerm } from "./fts_query.ts";
import { type NormalizedSearch, sqlFilters } from "./search_filters.ts";
import { BM25, INT, type Page } from "./search_plans.ts";
import { likeContains } from "./_values.ts";

/**
 * The doc_ids, newest first, of conversations matching `clauses` (each holding a term in a
 * script without spaces; all required, one term of each enough). An unspaced term is a
 * substring of the conversation's unspaced text (`conversation_unspaced` holds only the
 * conversations that have such text); a word term of the same clause (`請求書 OR invoice`)
 * is a word of the conversation in the main index, so a conversation with only the word is
 * found too. Clauses of unspaced terms alone go first (their substrings are usually rare),
 * and a word term is then looked up among the conversations still in; before that it is
 * narrowed by the query's word clauses (`match`), which every result must match anyway.
 */
function unspacedDocIds(
  conn: Connection,
  clauses: readonly SearchTerm[][],
  match: string | null,
): number[] {
  const mixed = (clause: readonly SearchTerm[]) => clause.some((t) => !t.unspaced);
  const ordered = [...clauses].sort((a, b) => Number(mixed(a)) - Number(mixed(b)));
  let result = null as Set<number> | null;
  for (const clause of ordered) {
    const ids = new Set<number>();
    for (const term of clause) {
      if (term.unspaced) { for (const id of unspacedTermIds(conn, term)) ids.add(id); }
    }
    const words = clause.filter((t) => !t.unspaced);
    if (words.length > 0) {
      for (const id of wordDocIds(conn, ftsExpression([words])!, match, result)) ids.add(id);
    }
    const previous = result;
    result = previous === null ? ids : new Set([...ids].filter((id) => previous.has(id)));
    if (result.size === 0) break;
  }
  return [...(result ?? [])].sort((a, b) => b - a);
}

/** The doc_ids matching the word expression `words` (and `match`), among `within` if given. */
function wordDocIds(
  conn: Connection,
  words: string,
  match: string | null,
  within: Set<number> | null,
): number[] {
  const expression = match === null ? words : `${words} AND ${match}`;
  if (within === null) {
    return conn.all(
      "SELECT rowid AS id FROM conversations_fts WHERE conversations_fts MATCH ?",
      expression,
    ).map((row) => Number(row.id));
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
    "SELECT rowid AS id FROM conversations_fts WHERE conversations_fts MATCH ? " +
      `AND rowid BETWEEN ${INT} AND ${INT} AND +rowid IN (SELECT value FROM json_each(?))`,
    expression,
    low,
    high,
    JSON.stringify(list),
  ).map((row) => Number(row.id));
}

/** A trigram phrase match for 3+ characters; shorter text has no trigram, so a LIKE scan. */
function unspacedTermIds(conn: Connection, term: SearchTerm): number[] {
  const rows = [...term.text].length >= 3
    ? conn.all(
      "SELECT rowid AS id FROM conversations_unspaced_fts WHERE conversations_unspaced_fts MATCH ?",
      `"${term.text.replaceAll('"', '""')}"`,
    )
    : conn.all(
      "SELECT doc_id AS id FROM conversation_unspaced WHERE text LIKE ? ESCAPE '\\'",
      likeContains(term.text),
    );
  return rows.map((row) => Number(row.id));
}

/**
 * The unspaced plan: the conversations whose text holds the substrings (trigram index), then
 * the word clauses matched and ranked among them by one FTS statement, or, without words,
 * the SQL filters on their rows, newest first.
 */
export function unspacedPage(conn: Connection, search: NormalizedSearch): Page {
  const ids = unspacedDocIds(conn, search.unspaced, search.match);
  if (ids.length === 0) return { total: 0, rows: [] };
  const { where, params } = sqlFilters(search);
  const filters = where.map((w) => ` AND ${w}`).join("");
  const list = JSON.stringify(ids);
  if (search.match === null) {
    const rows = conn.all(
      "SELECT c.doc_id FROM conversations c WHERE c.doc_id IN (SELECT value FROM json_each(?))" +
        `${filters} ORDER BY c.updated_at DESC, c.id`,
      list,
      ...params,
    );
    return {
      total: rows.length,
      rows: rows.slice(search.offset, search.offset + search.limit)
        .map((row) => ({ docId: Number(row.doc_id), rank: null })),
    };
  }
  const rows = conn.all(
    `SELECT f.rowid AS doc_id, ${BM25} AS rank FROM conversations_fts f ` +
      "CROSS JOIN conversations c ON c.doc_id = f.rowid " +
      `WHERE conversations_fts MATCH ? AND f.rowid BETWEEN ${INT} AND ${INT} ` +
      `AND +f.rowid IN (SELECT value FROM json_each(?))${filters} ORDER BY rank, c.id`,
    search.match,
    ids[ids.length - 1]!,
    ids[0]!,
    list,
    ...params,
  );
  return {
    total: rows.length,
    rows: rows.slice(search.offset, search.offset + search.limit)
      .map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) })),
  };
}
