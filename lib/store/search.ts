/** Conversation search: picks a plan, then builds hits with names and snippets. */
import type { Connection, Row } from "./database.ts";
import { hasFacets, type NormalizedSearch, normalizeSearch } from "./search_filters.ts";
import {
  CANDIDATE_LIMIT,
  candidatePage,
  ftsPage,
  type Page,
  sqlCount,
  sqlPage,
} from "./search_plans.ts";
import type { SearchTerm } from "./fts_query.ts";
import { makeSnippet } from "./snippet.ts";
import type { ConversationHit, ConversationSearch, ConversationSearchResult } from "./types.ts";
import { stringArray, textOrNull } from "./_values.ts";

const HIT_SQL = `
SELECT c.id, c.title, c.state, c.created_at, c.updated_at, c.source_subject,
  c.source_author_name, c.source_author_email, c.admin_assignee_id, a.name AS admin_assignee_name,
  c.team_assignee_id, c.tag_names, c.parts_total, c.customer_messages, c.teammate_messages
FROM conversations c LEFT JOIN admins a ON a.id = c.admin_assignee_id
WHERE c.doc_id = ?`;

const DOCUMENTS_SQL = `
SELECT doc_id, subject, title, body FROM conversation_documents
WHERE doc_id IN (SELECT value FROM json_each(?))`;

function snippets(conn: Connection, terms: SearchTerm[], docIds: number[]): Map<number, string> {
  const result = new Map<number, string>();
  if (docIds.length === 0) return result;
  for (const row of conn.all(DOCUMENTS_SQL, JSON.stringify(docIds))) {
    const snippet = makeSnippet([
      textOrNull(row.body),
      textOrNull(row.subject),
      textOrNull(row.title),
    ], terms);
    if (snippet !== null) result.set(Number(row.doc_id), snippet);
  }
  return result;
}

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
 * Text matching more than `RANK_LIMIT` (3,000; see search_plans.ts) conversations is too broad
 * to rank usefully or cheaply: those results come newest first with a null rank. Never
 * throws on any text: text without a searchable word (only symbols) matches nothing.
 */
export function searchConversations(
  conn: Connection,
  search: ConversationSearch,
): ConversationSearchResult {
  return conn.snapshot(() => {
    const normalized = normalizeSearch(conn, search);
    if (normalized === null) return { total: 0, hits: [] };
    const { total, rows } = choosePlan(conn, normalized);
    const found = normalized.match === null
      ? new Map<number, string>()
      : snippets(conn, normalized.terms, rows.map((row) => row.docId));
    const hits: ConversationHit[] = [];
    for (const { docId, rank } of rows) {
      const row = conn.get(HIT_SQL, docId);
      if (row === undefined) continue;
      const snippet = normalized.match === null ? null : found.get(docId) ?? null;
      hits.push(toHit(row, snippet, rank));
    }
    return { total, hits };
  });
}

function choosePlan(conn: Connection, search: NormalizedSearch): Page {
  if (search.email !== undefined) {
    const total = sqlCount(conn, search);
    if (search.match === null) return sqlPage(conn, search, total);
    if (total <= CANDIDATE_LIMIT) return candidatePage(conn, search, search.match);
    return ftsPage(conn, search);
  }
  if (search.match === null && !hasFacets(search)) {
    return sqlPage(conn, search, sqlCount(conn, search));
  }
  return ftsPage(conn, search);
}
