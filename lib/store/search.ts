/** Conversation search: full text (FTS5, bm25) combined with column filters. */
import type { SQLInputValue } from "node:sqlite";
import type { Connection, Row } from "./database.ts";
import { buildFtsQuery } from "./fts_query.ts";
import type { ConversationHit, ConversationSearch, ConversationSearchResult } from "./types.ts";
import { clampInt, stringArray, textOrNull } from "./_values.ts";

interface Filters {
  where: string[];
  params: SQLInputValue[];
}

function resolveAssignee(
  conn: Connection,
  assignee: string,
): { admins: string[]; teams: string[] } {
  const admins = conn.all("SELECT id FROM admins WHERE name = ?1 OR email = ?1", assignee)
    .map((row) => String(row.id));
  const teams = conn.all("SELECT id FROM teams WHERE name = ?", assignee)
    .map((row) => String(row.id));
  return { admins: [assignee, ...admins], teams: [assignee, ...teams] };
}

function buildFilters(conn: Connection, search: ConversationSearch): Filters {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (sql: string, ...values: SQLInputValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (search.updatedSince !== undefined) add("c.updated_at >= ?", search.updatedSince);
  if (search.updatedUntil !== undefined) add("c.updated_at <= ?", search.updatedUntil);
  if (search.createdSince !== undefined) add("c.created_at >= ?", search.createdSince);
  if (search.createdUntil !== undefined) add("c.created_at <= ?", search.createdUntil);
  if (search.state !== undefined) add("c.state = ?", search.state);
  const email = search.customerEmail?.trim();
  if (email) {
    add(
      "(c.source_author_email = ? OR c.id IN (SELECT cc.conversation_id " +
        "FROM contacts ct JOIN conversation_contacts cc ON cc.contact_id = ct.id " +
        "WHERE ct.email = ?))",
      email,
      email,
    );
  }
  const tag = search.tag?.trim();
  if (tag) add("c.id IN (SELECT conversation_id FROM conversation_tags WHERE tag_name = ?)", tag);
  const assignee = search.assignee?.trim();
  if (assignee) {
    const { admins, teams } = resolveAssignee(conn, assignee);
    add(
      "(c.admin_assignee_id IN (SELECT value FROM json_each(?)) " +
        "OR c.team_assignee_id IN (SELECT value FROM json_each(?)))",
      JSON.stringify(admins),
      JSON.stringify(teams),
    );
  }
  return { where, params };
}

interface PageRow {
  docId: number;
  rank: number | null;
}

function textPage(
  conn: Connection,
  match: string,
  filters: Filters,
  page: { limit: number; offset: number },
): { total: number; rows: PageRow[] } {
  const where = ["conversations_fts MATCH ?", ...filters.where].join(" AND ");
  const from = "conversations_fts f JOIN conversations c ON c.doc_id = f.rowid";
  const total = filters.where.length === 0
    ? conn.get("SELECT count(*) AS n FROM conversations_fts WHERE conversations_fts MATCH ?", match)
    : conn.get(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, match, ...filters.params);
  const rows = conn.all(
    `SELECT c.doc_id AS doc_id, f.rank AS rank FROM ${from} WHERE ${where} ` +
      "ORDER BY f.rank, c.id LIMIT ? OFFSET ?",
    match,
    ...filters.params,
    page.limit,
    page.offset,
  );
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((row) => ({ docId: Number(row.doc_id), rank: Number(row.rank) })),
  };
}

function recentPage(
  conn: Connection,
  filters: Filters,
  page: { limit: number; offset: number },
): { total: number; rows: PageRow[] } {
  const where = filters.where.length > 0 ? `WHERE ${filters.where.join(" AND ")}` : "";
  const total = conn.get(`SELECT count(*) AS n FROM conversations c ${where}`, ...filters.params);
  const rows = conn.all(
    `SELECT c.doc_id AS doc_id FROM conversations c ${where} ` +
      "ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?",
    ...filters.params,
    page.limit,
    page.offset,
  );
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((row) => ({ docId: Number(row.doc_id), rank: null })),
  };
}

const HIT_SQL = `
SELECT c.id, c.title, c.state, c.created_at, c.updated_at, c.source_subject,
  c.source_author_name, c.source_author_email, c.admin_assignee_id, a.name AS admin_assignee_name,
  c.team_assignee_id, c.tag_names, c.parts_total, c.customer_messages, c.teammate_messages
FROM conversations c LEFT JOIN admins a ON a.id = c.admin_assignee_id
WHERE c.doc_id = ?`;

const SNIPPET_SQL = `
SELECT snippet(conversations_fts, -1, '[', ']', '…', 16) AS snippet
FROM conversations_fts WHERE conversations_fts MATCH ? AND rowid = ?`;

function toHit(row: Row, snippet: string | null, rank: number | null): ConversationHit {
  return {
    id: String(row.id),
    title: textOrNull(row.title),
    state: String(row.state),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    source_subject: textOrNull(row.source_subject),
    source_author_name: textOrNull(row.source_author_name),
    source_author_email: textOrNull(row.source_author_email),
    admin_assignee_id: textOrNull(row.admin_assignee_id),
    admin_assignee_name: textOrNull(row.admin_assignee_name),
    team_assignee_id: textOrNull(row.team_assignee_id),
    tag_names: stringArray(row.tag_names),
    parts_total: Number(row.parts_total),
    customer_messages: Number(row.customer_messages),
    teammate_messages: Number(row.teammate_messages),
    snippet,
    rank,
  };
}

/**
 * Conversations matching every filter of `search`: by relevance (bm25; subject and title
 * weigh 4× the body) when text is given, newest `updated_at` first otherwise; ties by id.
 * Never throws on any text: unsearchable text (only symbols) matches nothing.
 */
export function searchConversations(
  conn: Connection,
  search: ConversationSearch,
): ConversationSearchResult {
  const page = {
    limit: clampInt(search.limit, { fallback: 20, min: 1, max: 100 }),
    offset: clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER }),
  };
  const text = search.text?.trim() ?? "";
  const match = text === "" ? null : buildFtsQuery(text);
  if (text !== "" && match === null) return { total: 0, hits: [] };
  return conn.snapshot(() => {
    const filters = buildFilters(conn, search);
    const { total, rows } = match === null
      ? recentPage(conn, filters, page)
      : textPage(conn, match, filters, page);
    const hits: ConversationHit[] = [];
    for (const { docId, rank } of rows) {
      const row = conn.get(HIT_SQL, docId);
      if (row === undefined) continue;
      const snippet = match === null
        ? null
        : textOrNull(conn.get(SNIPPET_SQL, match, docId)?.snippet);
      hits.push(toHit(row, snippet, rank));
    }
    return { total, hits };
  });
}
