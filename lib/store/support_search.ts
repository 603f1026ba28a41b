/**
 * Ticket search (companies: `company_search.ts`).
 *
 * Free text over title, description and every part (`tickets_fts`, bm25 with the
 * title 4×, the description 2× the parts); state, open, category, type, assignee and company
 * are facet tokens of the same index (`ticket_documents`, `company_keys.ts`) and `updated_at`
 * a rowid range, so FTS5 counts and pages by itself; only a contact filter reads the ticket
 * row. By relevance with text (up to `RANK_LIMIT` matches; more come newest first with a null
 * rank, as for conversations), newest first without.
 */
import type { SQLInputValue } from "node:sqlite";
import type { Connection, Row } from "./database.ts";
import { parseQuery, type SearchTerm } from "./fts_query.ts";
import { docIdRange } from "./search_keys.ts";
import { RANK_LIMIT } from "./search_plans.ts";
import { makeSnippet } from "./snippet.ts";
import type { TicketHit, TicketSearch, TicketSearchResult } from "./support_types.ts";
import { clampInt, stringArray, textOrNull } from "./_values.ts";
import { companyKeyGroups, hasSupportTables } from "./company_filter.ts";
import { hasCompanyKeys } from "./company_keys.ts";
import { hasTicketUnspaced } from "./tickets.ts";
import { unspacedClauseIds, type UnspacedIndex } from "./_unspaced_ids.ts";

/**
 * The FTS5 expression of `clauses` (each an OR of terms, all required) for a table whose text
 * columns are `columns`.
 */
export function supportFtsExpression(
  clauses: readonly (readonly SearchTerm[])[],
  columns: string,
): string {
  const term = (t: SearchTerm) => {
    const quoted = `"${t.text.replaceAll('"', '""')}"${t.prefix ? "*" : ""}`;
    // Text that could spell a facet token is kept to the text columns.
    return /zz[a-z][0-9a-f]/i.test(t.text) ? `{${columns}} : ${quoted}` : quoted;
  };
  return clauses.map((c) => (c.length === 1 ? term(c[0]!) : `(${c.map(term).join(" OR ")})`))
    .join(" AND ");
}

/** The ticket tables the unspaced lookup reads (migration 9). */
const TICKET_INDEX: UnspacedIndex = {
  fts: "tickets_fts",
  trigram: "tickets_unspaced_fts",
  text: "ticket_unspaced",
  words: (terms) => supportFtsExpression([terms], "title description body"),
};

function assigneeIds(conn: Connection, assignee: string): string[] {
  const rows = conn.all(
    "SELECT id FROM admins WHERE id = ?1 OR name = ?1 OR email = ?1 " +
      "UNION SELECT id FROM teams WHERE id = ?1 OR name = ?1",
    assignee,
  );
  return [...new Set([assignee, ...rows.map((r) => String(r.id))])];
}

const encoder = new TextEncoder();

/** A facet token of `ticket_documents` (`zz` + kind letter + hex of the UTF-8 value). */
function token(prefix: string, value: string): string {
  let hex = "";
  for (const byte of encoder.encode(value)) hex += byte.toString(16).padStart(2, "0");
  return `"${prefix}${hex}"`;
}

function anyOf(tokens: readonly string[]): string {
  return tokens.length === 1 ? `facets : ${tokens[0]}` : `facets : (${tokens.join(" OR ")})`;
}

const CATEGORIES = ["Customer", "Back-office", "Tracker"];
const OPEN_STATES = ["submitted", "in_progress", "waiting_on_customer"];

/** The facet clauses of `search` (state, open, category, type, assignee, company). */
function ticketFacets(conn: Connection, search: TicketSearch): string[] {
  const clauses: string[] = [];
  if (search.state) {
    clauses.push(anyOf([token("zzs", search.state.trim().toLowerCase().replace(/ /g, "_"))]));
  }
  if (search.open !== undefined) {
    clauses.push(anyOf((search.open ? OPEN_STATES : ["resolved"]).map((s) => token("zzs", s))));
  }
  if (search.category) {
    const asked = search.category.trim();
    const known = CATEGORIES.find((c) => c.toLowerCase() === asked.toLowerCase());
    clauses.push(anyOf([token("zzc", known ?? asked)]));
  }
  if (search.ticketType) {
    const type = search.ticketType.trim();
    const ids = conn.all(
      "SELECT id FROM ticket_types WHERE id = ?1 OR name = ?1 " +
        "UNION SELECT DISTINCT ticket_type_id FROM tickets WHERE ticket_type_name = ?1",
      type,
    ).map((r) => String(r.id));
    clauses.push(anyOf([...new Set([type, ...ids])].map((id) => token("zzy", id))));
  }
  if (search.assignee) {
    const ids = assigneeIds(conn, search.assignee.trim());
    clauses.push(
      anyOf([...ids.map((id) => token("zza", id)), ...ids.map((id) => token("zzt", id))]),
    );
  }
  for (const group of ticketCompanyKeys(conn, search) ?? []) {
    clauses.push(anyOf(group.map((key) => token("zzk", key))));
  }
  return clauses;
}

/** The company key groups of `search`; [[]] (nothing matches) on a store without keys. */
function ticketCompanyKeys(conn: Connection, search: TicketSearch): string[][] | null {
  const groups = companyKeyGroups(conn, search);
  if (groups === null) return null;
  return hasCompanyKeys(conn) ? groups : [[]];
}

const TICKET_HIT_SQL = `
SELECT t.doc_id, t.id, t.ticket_number, t.title, t.description, t.state, t.state_label,
  t.category, t.ticket_type_name, t.open, t.created_at, t.updated_at, t.admin_assignee_id,
  a.name AS admin_assignee_name, t.team_assignee_id, tm.name AS team_assignee_name,
  t.contact_ids, t.parts_total
FROM tickets t LEFT JOIN admins a ON a.id = t.admin_assignee_id
  LEFT JOIN teams tm ON tm.id = t.team_assignee_id
WHERE t.doc_id IN (SELECT value FROM json_each(?))`;

function ticketHit(row: Row, snippet: string | null, rank: number | null): TicketHit {
  return {
    id: String(row.id),
    ticket_number: textOrNull(row.ticket_number),
    title: textOrNull(row.title),
    state: textOrNull(row.state),
    state_label: textOrNull(row.state_label),
    category: textOrNull(row.category),
    ticket_type_name: textOrNull(row.ticket_type_name),
    open: Number(row.open) === 1,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    admin_assignee_id: textOrNull(row.admin_assignee_id),
    admin_assignee_name: textOrNull(row.admin_assignee_name),
    team_assignee_id: textOrNull(row.team_assignee_id),
    team_assignee_name: textOrNull(row.team_assignee_name),
    contact_ids: stringArray(row.contact_ids),
    parts_total: Number(row.parts_total),
    snippet,
    rank,
  };
}

function ticketSnippet(conn: Connection, row: Row, terms: SearchTerm[]): string | null {
  const bodies = conn.all(
    "SELECT body FROM ticket_parts WHERE ticket_id = ? AND body IS NOT NULL " +
      "ORDER BY created_at, id LIMIT 200",
    String(row.id),
  ).map((r) => String(r.body));
  return makeSnippet([
    bodies.length === 0 ? null : bodies.join("\n"),
    textOrNull(row.title),
    textOrNull(row.description),
  ], terms);
}

/** Tickets matching every filter of `search`; see the module comment for the order. */
export function searchTickets(conn: Connection, search: TicketSearch): TicketSearchResult {
  if (!hasSupportTables(conn)) return { total: 0, hits: [] };
  const limit = clampInt(search.limit, { fallback: 20, min: 1, max: 100 });
  const offset = clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  const text = search.text?.trim() ?? "";
  const parsed = parseQuery(text);
  const terms = parsed.clauses.flat();
  if (text !== "" && terms.length === 0) return { total: 0, hits: [] };
  return conn.snapshot(() => {
    const facets = ticketFacets(conn, search);
    if (ticketCompanyKeys(conn, search)?.some((g) => g.length === 0)) return { total: 0, hits: [] };
    // Clauses with a term in a script written without spaces are found as substrings.
    const unspaced = hasTicketUnspaced(conn)
      ? parsed.clauses.filter((c) => c.some((t) => t.unspaced))
      : [];
    const words = parsed.clauses.filter((c) => !unspaced.includes(c));
    const clauses = words.length > 0
      ? [supportFtsExpression(words, "title description body"), ...facets]
      : facets;
    const { low, high } = docIdRange(search.since, search.until);
    const residual: string[] = [];
    const params: SQLInputValue[] = [];
    if (search.contactId) {
      residual.push("t.id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ?)");
      params.push(search.contactId);
    }
    if (unspaced.length > 0) {
      const ids = unspacedClauseIds(
        conn,
        TICKET_INDEX,
        unspaced,
        clauses.length > 0 ? clauses.join(" AND ") : null,
      );
      if (ids.length === 0) return { total: 0, hits: [] };
      // `+` keeps the list away from FTS5, which would run the MATCH once per value.
      residual.push("+t.doc_id IN (SELECT value FROM json_each(?))");
      params.push(JSON.stringify(ids));
    }
    const page = clauses.length === 0
      ? sqlTicketPage(conn, { low, high, residual, params, limit, offset })
      : ftsTicketPage(conn, {
        match: clauses.join(" AND "),
        ranked: words.length > 0,
        low,
        high,
        residual,
        params,
        limit,
        offset,
      });
    const rows = new Map<number, Row>();
    if (page.rows.length > 0) {
      const ids = JSON.stringify(page.rows.map((p) => p.docId));
      for (const row of conn.all(TICKET_HIT_SQL, ids)) rows.set(Number(row.doc_id), row);
    }
    const hits = page.rows.flatMap(({ docId, rank }) => {
      const row = rows.get(docId);
      if (row === undefined) return [];
      return [ticketHit(row, terms.length > 0 ? ticketSnippet(conn, row, terms) : null, rank)];
    });
    return { total: page.total, hits };
  });
}

interface TicketPageQuery {
  low: number;
  high: number;
  /** SQL conditions on the ticket row `t`, and their parameters. */
  residual: string[];
  params: SQLInputValue[];
  limit: number;
  offset: number;
}

interface TicketPage {
  total: number;
  rows: { docId: number; rank: number | null }[];
}

/** Binds a number as an INTEGER (FTS5 ignores a REAL rowid constraint; see search_plans.ts). */
const INT = "CAST(? AS INTEGER)";

/** Without text or facets: the rows, newest first (`doc_id` order is recency order). */
function sqlTicketPage(conn: Connection, q: TicketPageQuery): TicketPage {
  const where = ["t.doc_id BETWEEN ? AND ?", ...q.residual].join(" AND ");
  const params = [q.low, q.high, ...q.params];
  const total = Number(
    conn.get(`SELECT count(*) AS n FROM tickets t WHERE ${where}`, ...params)?.n,
  );
  const rows = conn.all(
    `SELECT t.doc_id FROM tickets t WHERE ${where} ORDER BY t.doc_id DESC LIMIT ? OFFSET ?`,
    ...params,
    q.limit,
    q.offset,
  ).map((r) => ({ docId: Number(r.doc_id), rank: null }));
  return { total, rows };
}

/**
 * Text and facets in the index: FTS5 counts and pages by itself (the ticket row is read only
 * for a residual filter); by bm25 (title 4×, description 2×, parts 1×) when text matches at
 * most `RANK_LIMIT` tickets, newest first otherwise.
 */
function ftsTicketPage(
  conn: Connection,
  q: TicketPageQuery & { match: string; ranked: boolean },
): TicketPage {
  const join = q.residual.length > 0 ? " CROSS JOIN tickets t ON t.doc_id = f.rowid" : "";
  const from = `FROM tickets_fts f${join} WHERE tickets_fts MATCH ? ` +
    `AND f.rowid BETWEEN ${INT} AND ${INT}${q.residual.map((r) => ` AND ${r}`).join("")}`;
  const params = [q.match, q.low, q.high, ...q.params];
  const total = Number(conn.get(`SELECT count(*) AS n ${from}`, ...params)?.n);
  if (q.offset >= total) return { total, rows: [] };
  const ranked = q.ranked && total <= RANK_LIMIT;
  const rows = conn.all(
    `SELECT f.rowid AS doc_id, ${ranked ? "bm25(tickets_fts, 4.0, 2.0, 1.0, 0.0)" : "NULL"} ` +
      `AS rank ${from} ORDER BY ${ranked ? "rank, " : ""}f.rowid DESC LIMIT ? OFFSET ?`,
    ...params,
    q.limit,
    q.offset,
  ).map((r) => ({ docId: Number(r.doc_id), rank: r.rank === null ? null : Number(r.rank) }));
  return { total, rows };
}
