/**
 * Ticket and company search, and the company filter conversation and ticket searches share.
 *
 * Tickets: free text over title, description and every part (`tickets_fts`, bm25 with the
 * title 4×, the description 2× the parts), filters on state, category, type, assignee,
 * contact, company and `updated_at`; by relevance with text, newest first without. As for
 * conversations, text matching more than `RANK_LIMIT` tickets is too broad to rank usefully:
 * those come newest first with a null rank. Companies: free text over the name (4×) and the
 * rest of `company_documents`; by name without text.
 */
import type { SQLInputValue } from "node:sqlite";
import type { Connection, Row } from "./database.ts";
import { parseSearchText, type SearchTerm } from "./fts_query.ts";
import { docIdRange } from "./search_keys.ts";
import { RANK_LIMIT } from "./search_plans.ts";
import { makeSnippet } from "./snippet.ts";
import type {
  CompanyHit,
  CompanySearch,
  CompanySearchResult,
  TicketHit,
  TicketSearch,
  TicketSearchResult,
} from "./support_types.ts";
import { clampInt, intOrNull, stringArray, textOrNull } from "./_values.ts";
import { companyContactsFilter, hasSupportTables, type SqlFilter } from "./company_filter.ts";

/** The FTS5 expression of `terms` for a table whose text columns are `columns`. */
export function supportFtsExpression(terms: readonly SearchTerm[], columns: string): string {
  return terms.map((t) => {
    const quoted = `"${t.text.replaceAll('"', '""')}"${t.prefix ? "*" : ""}`;
    // Text that could spell a facet token is kept to the text columns.
    return /zz[a-z][0-9a-f]/i.test(t.text) ? `{${columns}} : ${quoted}` : quoted;
  }).join(" AND ");
}

function assigneeIds(conn: Connection, assignee: string): string[] {
  const rows = conn.all(
    "SELECT id FROM admins WHERE id = ?1 OR name = ?1 UNION SELECT id FROM teams WHERE id = ?1 OR name = ?1",
    assignee,
  );
  return rows.length > 0 ? rows.map((r) => String(r.id)) : [assignee];
}

function ticketFilters(conn: Connection, search: TicketSearch): SqlFilter {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (sql: string, ...values: SQLInputValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (search.since !== undefined || search.until !== undefined) {
    const { low, high } = docIdRange(search.since, search.until);
    add("t.doc_id BETWEEN ? AND ?", low, high);
  }
  if (search.state) add("t.state = ?", search.state.trim().toLowerCase().replace(/ /g, "_"));
  if (search.category) add("t.category = ? COLLATE NOCASE", search.category.trim());
  if (search.ticketType) {
    const type = search.ticketType.trim();
    add("(t.ticket_type_id = ? OR t.ticket_type_name = ? COLLATE NOCASE)", type, type);
  }
  if (search.assignee) {
    const ids = JSON.stringify(assigneeIds(conn, search.assignee.trim()));
    add(
      "(t.admin_assignee_id IN (SELECT value FROM json_each(?)) OR " +
        "t.team_assignee_id IN (SELECT value FROM json_each(?)))",
      ids,
      ids,
    );
  }
  if (search.contactId) {
    add("t.id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ?)", search.contactId);
  }
  if (search.open !== undefined) add("t.open = ?", search.open ? 1 : 0);
  const contacts = companyContactsFilter(search);
  if (contacts) {
    add(
      `t.id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id IN (${contacts.sql}))`,
      ...contacts.params,
    );
  }
  return { sql: where.length === 0 ? "1" : where.join(" AND "), params };
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
  const terms = parseSearchText(text);
  if (text !== "" && terms.length === 0) return { total: 0, hits: [] };
  return conn.snapshot(() => {
    const filter = ticketFilters(conn, search);
    let total: number;
    let page: { docId: number; rank: number | null }[];
    if (terms.length > 0) {
      const match = supportFtsExpression(terms, "title description body");
      const from = "FROM tickets_fts JOIN tickets t ON t.doc_id = tickets_fts.rowid " +
        `WHERE tickets_fts MATCH ? AND ${filter.sql}`;
      total = Number(conn.get(`SELECT count(*) AS n ${from}`, match, ...filter.params)?.n);
      const ranked = total <= RANK_LIMIT;
      page = conn.all(
        `SELECT t.doc_id, ${ranked ? "bm25(tickets_fts)" : "NULL"} AS rank ${from} ` +
          `ORDER BY ${ranked ? "rank, " : ""}t.doc_id DESC LIMIT ? OFFSET ?`,
        match,
        ...filter.params,
        limit,
        offset,
      ).map((r) => ({ docId: Number(r.doc_id), rank: r.rank === null ? null : Number(r.rank) }));
    } else {
      const where = `FROM tickets t WHERE ${filter.sql}`;
      total = Number(conn.get(`SELECT count(*) AS n ${where}`, ...filter.params)?.n);
      page = conn.all(
        `SELECT t.doc_id ${where} ORDER BY t.doc_id DESC LIMIT ? OFFSET ?`,
        ...filter.params,
        limit,
        offset,
      ).map((r) => ({ docId: Number(r.doc_id), rank: null }));
    }
    const rows = new Map<number, Row>();
    if (page.length > 0) {
      const ids = JSON.stringify(page.map((p) => p.docId));
      for (const row of conn.all(TICKET_HIT_SQL, ids)) rows.set(Number(row.doc_id), row);
    }
    const hits = page.flatMap(({ docId, rank }) => {
      const row = rows.get(docId);
      if (row === undefined) return [];
      return [ticketHit(row, terms.length > 0 ? ticketSnippet(conn, row, terms) : null, rank)];
    });
    return { total, hits };
  });
}

function companyHit(row: Row): CompanyHit {
  return {
    id: String(row.id),
    company_id: textOrNull(row.company_id),
    name: textOrNull(row.name),
    plan: textOrNull(row.plan_name),
    size: intOrNull(row.size),
    website: textOrNull(row.website),
    industry: textOrNull(row.industry),
    monthly_spend: row.monthly_spend === null ? null : Number(row.monthly_spend),
    user_count: intOrNull(row.user_count),
    updated_at: Number(row.updated_at),
    rank: row.rank === null || row.rank === undefined ? null : Number(row.rank),
  };
}

const COMPANY_COLUMNS = "c.id, c.company_id, c.name, c.plan_name, c.size, c.website, " +
  "c.industry, c.monthly_spend, c.user_count, c.updated_at";

/** Companies matching every filter of `search`: by relevance with text, by name without. */
export function searchCompanies(conn: Connection, search: CompanySearch): CompanySearchResult {
  if (!hasSupportTables(conn)) return { total: 0, hits: [] };
  const limit = clampInt(search.limit, { fallback: 20, min: 1, max: 100 });
  const offset = clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  const text = search.text?.trim() ?? "";
  const terms = parseSearchText(text);
  if (text !== "" && terms.length === 0) return { total: 0, hits: [] };
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (search.plan?.trim()) {
    where.push("c.plan_name = ?");
    params.push(search.plan.trim());
  }
  if (search.industry?.trim()) {
    where.push("c.industry = ?");
    params.push(search.industry.trim());
  }
  const filter = where.length === 0 ? "1" : where.join(" AND ");
  return conn.snapshot(() => {
    if (terms.length === 0) {
      const total = Number(
        conn.get(`SELECT count(*) AS n FROM companies c WHERE ${filter}`, ...params)?.n,
      );
      const rows = conn.all(
        `SELECT ${COMPANY_COLUMNS} FROM companies c WHERE ${filter} ` +
          "ORDER BY c.name, c.id LIMIT ? OFFSET ?",
        ...params,
        limit,
        offset,
      );
      return { total, hits: rows.map(companyHit) };
    }
    const match = supportFtsExpression(terms, "name details");
    const from = "FROM companies_fts JOIN companies c ON c.doc_id = companies_fts.rowid " +
      `WHERE companies_fts MATCH ? AND ${filter}`;
    const total = Number(conn.get(`SELECT count(*) AS n ${from}`, match, ...params)?.n);
    const ranked = total <= RANK_LIMIT;
    const rows = conn.all(
      `SELECT ${COMPANY_COLUMNS}, ${ranked ? "bm25(companies_fts)" : "NULL"} AS rank ${from} ` +
        `ORDER BY ${ranked ? "rank, " : ""}c.name, c.id LIMIT ? OFFSET ?`,
      match,
      ...params,
      limit,
      offset,
    );
    return { total, hits: rows.map(companyHit) };
  });
}
