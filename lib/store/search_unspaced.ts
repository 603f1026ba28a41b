/**
 * The plan of a search whose text holds a term in a script written without spaces (Chinese,
 * Japanese, Thai…): such terms are substrings, found through the trigram index of migration
 * 6 (`conversations_unspaced_fts`), not words of the main index. Chosen by `search.ts`.
 */
import type { Connection } from "./database.ts";
import { ftsExpression } from "./fts_query.ts";
import { type NormalizedSearch, sqlFilters } from "./search_filters.ts";
import { BM25, INT, type Page } from "./search_plans.ts";
import { unspacedClauseIds, type UnspacedIndex } from "./_unspaced_ids.ts";

/** The conversation tables the unspaced plan reads (migration 6). */
const CONVERSATION_INDEX: UnspacedIndex = {
  fts: "conversations_fts",
  trigram: "conversations_unspaced_fts",
  text: "conversation_unspaced",
  words: (terms) => ftsExpression([terms])!,
};

/**
 * The unspaced plan: the conversations whose text holds the substrings (trigram index), then
 * the word clauses matched and ranked among them by one FTS statement, or, without words,
 * the SQL filters on their rows, newest first.
 */
export function unspacedPage(conn: Connection, search: NormalizedSearch): Page {
  const ids = unspacedClauseIds(conn, CONVERSATION_INDEX, search.unspaced, search.match)
    .sort((a, b) => b - a);
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
