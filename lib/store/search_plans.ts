/**
 * The three ways a search runs, chosen by `search.ts`:
 *
 * - SQL: no text and no state/tag/assignee filter, or a customer email with a few
 *   conversations and no text. Indexes on updated_at, created_at and email answer it.
 * - Probe: text plus a customer email that matches few conversations. The email's
 *   conversations are listed in SQL and each is checked against the text index.
 * - FTS: everything else. State, tag and assignee are facet tokens and an updated_at window
 *   is a rowid range, so FTS5 counts and pages by itself; created_at and email, when present,
 *   are checked on the conversation row of each match.
 *
 * Ranking bm25 costs about a microsecond per match, so when text matches more than
 * {@linkcode RANK_WINDOW} conversations, the ranked set is the RANK_WINDOW most recently
 * updated matches (rowid order is recency order); the total stays exact.
 */
import type { Connection } from "./database.ts";
import { docIdBase, docIdRange, docIdSecond } from "./search_keys.ts";
import { facetClauses, type NormalizedSearch, sqlFilters } from "./search_filters.ts";

/** How many of the newest matches are ranked by bm25 when a text matches more. */
export const RANK_WINDOW = 2000;
/** Up to this many email-matched conversations are probed one by one against the text. */
export const PROBE_LIMIT = 250;

/** A result row before hydration. */
export interface PageRow {
  docId: number;
  rank: number | null;
}

/** The number of matches and the rows of the requested page. */
export interface Page {
  total: number;
  rows: PageRow[];
}

function whereClause(where: string[]): string {
  return where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
}

/** Counts matches of the SQL filters alone. */
export function sqlCount(conn: Connection, search: NormalizedSearch): number {
  const { where, params } = sqlFilters(search);
  return Number(
    conn.get(`SELECT count(*) AS n FROM conversations c ${whereClause(where)}`, ...params)?.n ?? 0,
  );
}

/** The SQL plan: filters on the row, newest updated first. */
export function sqlPage(conn: Connection, search: NormalizedSearch, total: number): Page {
  const { where, params } = sqlFilters(search);
  if (search.offset >= total) return { total, rows: [] };
  const rows = conn.all(
    `SELECT c.doc_id FROM conversations c ${whereClause(where)} ` +
      "ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?",
    ...params,
    search.limit,
    search.offset,
  );
  return { total, rows: rows.map((row) => ({ docId: Number(row.doc_id), rank: null })) };
}

/** The probe plan: the few conversations the SQL filters allow, each checked against the text. */
export function probePage(conn: Connection, search: NormalizedSearch, match: string): Page {
  const { where, params } = sqlFilters(search);
  const candidates = conn.all(
    `SELECT c.doc_id, c.id FROM conversations c ${whereClause(where)}`,
    ...params,
  );
  const matches: { docId: number; id: string; rank: number }[] = [];
  for (const candidate of candidates) {
    const docId = Number(candidate.doc_id);
    const hit = conn.get(
      "SELECT rank FROM conversations_fts WHERE conversations_fts MATCH ? AND rowid = ?",
      match,
      docId,
    );
    if (hit !== undefined) {
      matches.push({ docId, id: String(candidate.id), rank: Number(hit.rank) });
    }
  }
  matches.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = matches.slice(search.offset, search.offset + search.limit)
    .map(({ docId, rank }) => ({ docId, rank }));
  return { total: matches.length, rows };
}

interface FtsQuery {
  expression: string;
  low: number;
  high: number;
  residual: string[];
  params: (string | number)[];
}

function ftsQuery(search: NormalizedSearch): FtsQuery {
  const clauses = facetClauses(search);
  if (search.match !== null) clauses.unshift(search.match);
  let { low, high } = docIdRange(search.updatedSince, search.updatedUntil);
  // A conversation is updated no earlier than it was created.
  if (search.createdSince !== undefined) {
    low = Math.max(low, docIdBase(Math.ceil(search.createdSince)));
  }
  const { where, params } = sqlFilters(search, { all: false });
  return {
    expression: clauses.join(" AND "),
    low,
    high,
    residual: where,
    params: params as (string | number)[],
  };
}

/** FROM and WHERE of an FTS query over rowids `low`..`high`, and its parameters. */
function ftsFrom(
  query: FtsQuery,
  options: { low: number; join: boolean },
): { sql: string; params: (string | number)[] } {
  // CROSS JOIN keeps FTS5 as the outer loop: the other order would run the MATCH per row.
  const join = options.join || query.residual.length > 0
    ? " CROSS JOIN conversations c ON c.doc_id = f.rowid"
    : "";
  const where = ["conversations_fts MATCH ?", "f.rowid BETWEEN ? AND ?", ...query.residual];
  return {
    sql: `FROM conversations_fts f${join} WHERE ${where.join(" AND ")}`,
    params: [query.expression, options.low, query.high, ...query.params],
  };
}

function ftsCount(conn: Connection, query: FtsQuery): number {
  const { sql, params } = ftsFrom(query, { low: query.low, join: false });
  return Number(conn.get(`SELECT count(*) AS n ${sql}`, ...params)?.n ?? 0);
}

/** The rowid of the `n`th newest match (1-based), or undefined when there are fewer. */
function nthNewest(conn: Connection, query: FtsQuery, n: number): number | undefined {
  const { sql, params } = ftsFrom(query, { low: query.low, join: false });
  const row = conn.get(
    `SELECT f.rowid AS doc_id ${sql} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?`,
    ...params,
    n - 1,
  );
  return row === undefined ? undefined : Number(row.doc_id);
}

function rankedRows(conn: Connection, query: FtsQuery, search: NormalizedSearch, total: number) {
  const window = Math.max(RANK_WINDOW, search.offset + search.limit);
  const boundary = total > window ? nthNewest(conn, query, window) : undefined;
  const { sql, params } = ftsFrom(query, { low: boundary ?? query.low, join: true });
  return conn.all(
    `SELECT f.rowid AS doc_id, f.rank AS rank ${sql} ORDER BY f.rank, c.id LIMIT ? OFFSET ?`,
    ...params,
    search.limit,
    search.offset,
  ).map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) }));
}

function recentRows(conn: Connection, query: FtsQuery, search: NormalizedSearch) {
  // Everything from the second of the wanted-th newest match on, re-sorted so that ids break
  // ties inside a second (rowid order within a second is insertion order).
  const boundary = nthNewest(conn, query, search.offset + search.limit);
  const low = boundary === undefined
    ? query.low
    : Math.max(query.low, docIdBase(docIdSecond(boundary)));
  const { sql, params } = ftsFrom(query, { low, join: true });
  return conn.all(
    `SELECT c.doc_id AS doc_id ${sql} ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?`,
    ...params,
    search.limit,
    search.offset,
  ).map((row) => ({ docId: Number(row.doc_id), rank: null }));
}

/** The FTS plan (see the module comment). */
export function ftsPage(conn: Connection, search: NormalizedSearch): Page {
  const query = ftsQuery(search);
  const total = ftsCount(conn, query);
  if (search.offset >= total) return { total, rows: [] };
  const rows = search.match === null
    ? recentRows(conn, query, search)
    : rankedRows(conn, query, search, total);
  return { total, rows };
}
