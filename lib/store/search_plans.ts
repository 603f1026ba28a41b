/**
 * The ways a search runs, chosen by `search.ts` (text in scripts without spaces has its own
 * plan, in `search_unspaced.ts`):
 *
 * - SQL: no text and either a customer email or no state/tag/assignee filter. Indexes on
 *   email, updated_at and created_at answer it; an email matches few conversations.
 * - Candidates: text plus a customer email matching at most {@linkcode CANDIDATE_LIMIT}
 *   conversations. They are listed in SQL and one FTS statement matches and ranks only those.
 * - FTS: everything else. State, tag and assignee are facet tokens and an updated_at window
 *   is a rowid range, so FTS5 counts and pages by itself; created_at and email, when present,
 *   are checked on the conversation row of each match.
 *
 * Relevance: bm25 costs about a microsecond per match plus a pass over the whole doclist of
 * every phrase (its document frequency), and for a word in most conversations its IDF is ~0,
 * so ranking says little. When text matches more than {@linkcode RANK_LIMIT} conversations the
 * results therefore come newest first (rowid order is recency order, so FTS5 pages them
 * without touching the rest) with a null rank.
 *
 * Totals: counting every match is what grows with the store (a word in most of a million
 * conversations is a million-entry doclist, a phrase checks positions in each), so a count
 * stops past {@linkcode COUNT_LIMIT} (or past the page asked for) and the page says the total
 * is a lower bound, unless the search asks for an exact total.
 */
import type { SQLInputValue } from "node:sqlite";
import type { Connection, Row } from "./database.ts";
import { docIdBase, docIdRange, docIdSecond } from "./search_keys.ts";
import { facetClauses, type NormalizedSearch, sqlFilters } from "./search_filters.ts";

/**
 * Binds a number as an INTEGER: `node:sqlite` binds every JS number as REAL, and FTS5 ignores
 * a REAL `rowid =` constraint (it returns every match).
 */
export const INT = "CAST(? AS INTEGER)";

/** The ranking: bm25 with subject and title weighing 4× the body, facets nothing. */
export const BM25 = "bm25(conversations_fts, 4.0, 4.0, 1.0, 0.0)";

/** Text matching at most this many conversations is ranked by bm25; more come newest first. */
export const RANK_LIMIT = 500;
/** Counting stops after this many matches unless an exact total is asked for. */
export const COUNT_LIMIT = 1000;
/** Up to this many email-matched conversations are matched as a candidate list (all ranked). */
export const CANDIDATE_LIMIT = 3000;

/** A result row before hydration. */
export interface PageRow {
  docId: number;
  rank: number | null;
}

/** The number of matches and the rows of the requested page. */
export interface Page {
  total: number;
  rows: PageRow[];
  /** True when counting stopped: there are more than `total` matches. */
  more?: boolean;
}

/** How many matches to count at most for `search` (null: all). */
function countCap(search: NormalizedSearch): number | null {
  if (search.exactTotal) return null;
  return Math.max(COUNT_LIMIT, search.offset + search.limit);
}

/** `SELECT count(*)` of a FROM…WHERE, stopping past `cap` matches; `more` when it stopped. */
function cappedCount(
  conn: Connection,
  from: string,
  params: (string | number)[] | SQLInputValue[],
  cap: number | null,
): { total: number; more: boolean } {
  if (cap === null) {
    return {
      total: Number(conn.get(`SELECT count(*) AS n ${from}`, ...params)?.n ?? 0),
      more: false,
    };
  }
  const n = Number(
    conn.get(`SELECT count(*) AS n FROM (SELECT 1 ${from} LIMIT ${cap + 1})`, ...params)?.n ?? 0,
  );
  return n > cap ? { total: cap, more: true } : { total: n, more: false };
}

function whereClause(where: string[]): string {
  return where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
}

/** Counts matches of the SQL filters alone, exactly (an email matches few conversations). */
export function sqlCount(conn: Connection, search: NormalizedSearch): number {
  const { where, params } = sqlFilters(search);
  return Number(
    conn.get(`SELECT count(*) AS n FROM conversations c ${whereClause(where)}`, ...params)?.n ?? 0,
  );
}

/** The SQL plan's total, counted up to the search's cap. */
export function sqlCappedCount(
  conn: Connection,
  search: NormalizedSearch,
): { total: number; more: boolean } {
  const { where, params } = sqlFilters(search);
  return cappedCount(conn, `FROM conversations c ${whereClause(where)}`, params, countCap(search));
}

/** The SQL plan: filters on the row, newest updated first. */
export function sqlPage(
  conn: Connection,
  search: NormalizedSearch,
  counted: { total: number; more?: boolean },
): Page {
  const { where, params } = sqlFilters(search);
  const { total, more = false } = counted;
  if (search.offset >= total) return { total, rows: [], more };
  const rows = conn.all(
    `SELECT c.doc_id FROM conversations c ${whereClause(where)} ` +
      "ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?",
    ...params,
    search.limit,
    search.offset,
  );
  return { total, more, rows: rows.map((row) => ({ docId: Number(row.doc_id), rank: null })) };
}

/**
 * The candidate plan: the few conversations the SQL filters allow, matched and ranked by one
 * FTS statement limited to them (bm25 needs per-term statistics that each statement computes
 * once, so probing candidates one statement at a time would pay that cost per candidate).
 */
export function candidatePage(conn: Connection, search: NormalizedSearch, match: string): Page {
  const { where, params } = sqlFilters(search);
  const candidates = conn.all(
    `SELECT c.doc_id FROM conversations c ${whereClause(where)} ORDER BY c.doc_id`,
    ...params,
  ).map((row) => Number(row.doc_id));
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  if (first === undefined || last === undefined) return { total: 0, rows: [] };
  // `+rowid` keeps the IN list away from FTS5, which would re-run the MATCH for each value.
  const rows = conn.all(
    `SELECT f.rowid AS doc_id, ${BM25} AS rank FROM conversations_fts f ` +
      "CROSS JOIN conversations c ON c.doc_id = f.rowid " +
      `WHERE conversations_fts MATCH ? AND f.rowid BETWEEN ${INT} AND ${INT} ` +
      "AND +f.rowid IN (SELECT value FROM json_each(?)) ORDER BY rank, c.id",
    match,
    first,
    last,
    JSON.stringify(candidates),
  );
  return {
    total: rows.length,
    rows: rows.slice(search.offset, search.offset + search.limit)
      .map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) })),
  };
}

interface FtsQuery {
  expression: string;
  low: number;
  high: number;
  residual: string[];
  params: (string | number)[];
}

/**
 * The lowest doc_id a conversation created at or after `since` can have. A conversation is
 * normally updated no earlier than it was created, so its doc_id is at least that second's
 * base; the rare rows that break the rule are found through a partial index.
 */
function createdSinceLow(conn: Connection, since: number): number {
  const odd = conn.get(
    // Without INDEXED BY the planner walks the table in doc_id order for min().
    "SELECT min(doc_id) AS low FROM conversations " +
      "INDEXED BY conversations_updated_before_created " +
      "WHERE updated_at < created_at AND created_at >= ?",
    since,
  );
  const base = docIdBase(Math.ceil(since));
  return odd?.low === null || odd?.low === undefined ? base : Math.min(base, Number(odd.low));
}

function ftsQuery(conn: Connection, search: NormalizedSearch): FtsQuery {
  const clauses = facetClauses(search);
  if (search.match !== null) clauses.unshift(search.match);
  let { low, high } = docIdRange(search.updatedSince, search.updatedUntil);
  if (search.createdSince !== undefined) {
    low = Math.max(low, createdSinceLow(conn, search.createdSince));
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

/** The doc_id range of a search without an updated_at window. */
const UNBOUNDED = docIdRange();

/** FROM and WHERE of an FTS query over rowids `low`..`high`, and its parameters. */
function ftsFrom(
  query: FtsQuery,
  options: { low: number; join: boolean },
): { sql: string; params: (string | number)[] } {
  // CROSS JOIN keeps FTS5 as the outer loop: the other order would run the MATCH per row.
  const join = options.join || query.residual.length > 0
    ? " CROSS JOIN conversations c ON c.doc_id = f.rowid"
    : "";
  // An unbounded side is left out: FTS5 then skips a bounds test on every match.
  const where = ["conversations_fts MATCH ?"];
  const params: (string | number)[] = [query.expression];
  if (options.low > UNBOUNDED.low) {
    where.push(`f.rowid >= ${INT}`);
    params.push(options.low);
  }
  if (query.high < UNBOUNDED.high) {
    where.push(`f.rowid <= ${INT}`);
    params.push(query.high);
  }
  where.push(...query.residual);
  return {
    sql: `FROM conversations_fts f${join} WHERE ${where.join(" AND ")}`,
    params: [...params, ...query.params],
  };
}

function ftsCount(
  conn: Connection,
  query: FtsQuery,
  cap: number | null,
): { total: number; more: boolean } {
  const { sql, params } = ftsFrom(query, { low: query.low, join: false });
  return cappedCount(conn, sql, params, cap);
}

function rankedJoined(conn: Connection, query: FtsQuery, search: NormalizedSearch): PageRow[] {
  const { sql, params } = ftsFrom(query, { low: query.low, join: true });
  return conn.all(
    `SELECT f.rowid AS doc_id, ${BM25} AS rank ${sql} ORDER BY rank, c.id LIMIT ? OFFSET ?`,
    ...params,
    search.limit,
    search.offset,
  ).map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) }));
}

const IDS_SQL =
  "SELECT doc_id, id FROM conversations WHERE doc_id IN (SELECT value FROM json_each(?))";

/**
 * By bm25, ids breaking ties. Joining every match to its conversation row only for the id
 * costs about a microsecond per match, so one statement ranks the matches alone and reads the
 * best `offset + limit + TIE_SLACK`; when the last of them ranks strictly below the wanted-th,
 * every row that can be on the page was read and the ids of those few order the ties exactly.
 * A tie group larger than the slack (or an SQL filter that needs the row anyway) falls back to
 * the joined statement.
 */
function rankedRows(conn: Connection, query: FtsQuery, search: NormalizedSearch): PageRow[] {
  if (query.residual.length > 0) return rankedJoined(conn, query, search);
  const wanted = search.offset + search.limit;
  const { sql, params } = ftsFrom(query, { low: query.low, join: false });
  const rows = conn.all(
    `SELECT f.rowid AS doc_id, ${BM25} AS rank ${sql} ORDER BY rank LIMIT ?`,
    ...params,
    wanted + TIE_SLACK,
  ).map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) }));
  const boundary = rows[wanted - 1];
  const last = rows[rows.length - 1];
  const whole = boundary === undefined || last === undefined ||
    rows.length < wanted + TIE_SLACK || last.rank > boundary.rank;
  if (!whole) return rankedJoined(conn, query, search);
  const ids = new Map<number, string>();
  for (const row of conn.all(IDS_SQL, JSON.stringify(rows.map((r) => r.docId)))) {
    ids.set(Number(row.doc_id), String(row.id));
  }
  const id = (row: PageRow) => ids.get(row.docId) ?? "";
  return rows.sort((a, b) => a.rank - b.rank || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0))
    .slice(search.offset, wanted);
}

/** Rows fetched past the wanted ones, so that a tie group at the page end is usually whole. */
const TIE_SLACK = 32;

function byRecency(a: Row, b: Row): number {
  const ua = Number(a.updated_at);
  const ub = Number(b.updated_at);
  const ia = String(a.id);
  const ib = String(b.id);
  return ub - ua || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

/**
 * Newest first, ids breaking ties inside a second (rowid order within a second is insertion
 * order). One statement reads the newest `offset + limit + TIE_SLACK` matches; when the last
 * of them is in an older second than the wanted-th, every row that can be on the page was
 * read and sorting them is exact. Otherwise (a tie group larger than the slack) a second
 * statement reads everything from the wanted-th match's second on.
 */
function recentRows(conn: Connection, query: FtsQuery, search: NormalizedSearch) {
  const wanted = search.offset + search.limit;
  const newest = ftsFrom(query, { low: query.low, join: true });
  const rows = conn.all(
    `SELECT c.doc_id, c.id, c.updated_at ${newest.sql} ORDER BY f.rowid DESC LIMIT ?`,
    ...newest.params,
    wanted + TIE_SLACK,
  );
  const boundary = rows[wanted - 1];
  const last = rows[rows.length - 1];
  const whole = boundary === undefined || last === undefined ||
    docIdSecond(Number(last.doc_id)) < docIdSecond(Number(boundary.doc_id)) ||
    rows.length < wanted + TIE_SLACK;
  const page = whole ? rows.sort(byRecency).slice(search.offset, wanted) : fromSecondOf(
    conn,
    query,
    { search, boundary: Number(boundary.doc_id) },
  );
  return page.map((row) => ({ docId: Number(row.doc_id), rank: null }));
}

function fromSecondOf(
  conn: Connection,
  query: FtsQuery,
  options: { search: NormalizedSearch; boundary: number },
): Row[] {
  const low = Math.max(query.low, docIdBase(docIdSecond(options.boundary)));
  const { sql, params } = ftsFrom(query, { low, join: true });
  return conn.all(
    `SELECT c.doc_id ${sql} ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?`,
    ...params,
    options.search.limit,
    options.search.offset,
  );
}

/** The FTS plan (see the module comment). */
export function ftsPage(conn: Connection, search: NormalizedSearch): Page {
  const query = ftsQuery(conn, search);
  const { total, more } = ftsCount(conn, query, countCap(search));
  if (search.offset >= total) return { total, rows: [], more };
  const rows = search.match !== null && !more && total <= RANK_LIMIT
    ? rankedRows(conn, query, search)
    : recentRows(conn, query, search);
  return { total, rows, more };
}
