/** Conversation search: picks a plan, then builds hits with names and snippets. */
import type { Connection, Row } from "./database.ts";
import { hasFacets, type NormalizedSearch, normalizeSearch } from "./search_filters.ts";
import {
  CANDIDATE_LIMIT,
  candidatePage,
  ftsPage,
  type Page,
  sqlCappedCount,
  sqlCount,
  sqlPage,
} from "./search_plans.ts";
import { unspacedPage } from "./search_unspaced.ts";
import { CUSTOMER_AUTHOR_TYPES } from "./conversations.ts";
import type { SearchTerm } from "./fts_query.ts";
import { makeSnippet, snippetSettled } from "./snippet.ts";
import type { ConversationHit, ConversationSearch, ConversationSearchResult } from "./types.ts";
import { stringArray, textOrNull } from "./_values.ts";

/** The hit columns of the page's conversations, with the source body snippets start from. */
const HITS_SQL = `
SELECT c.doc_id, c.id, c.title, c.state, c.created_at, c.updated_at, c.source_subject,
  c.source_author_type, c.source_author_name, c.source_author_email, c.admin_assignee_id,
  a.name AS admin_assignee_name, c.team_assignee_id, t.name AS team_assignee_name, c.tag_names,
  c.parts_total, c.customer_messages, c.teammate_messages, c.source_body
FROM conversations c LEFT JOIN admins a ON a.id = c.admin_assignee_id
  LEFT JOIN teams t ON t.id = c.team_assignee_id
WHERE c.doc_id IN (SELECT value FROM json_each(?))`;

/** The first message a customer wrote in a conversation, when the opening one is not theirs. */
const FIRST_CUSTOMER_PART_SQL = `
SELECT body FROM conversation_parts
WHERE conversation_id = ? AND part_type = 'comment' AND body IS NOT NULL
  AND author_type IN (${CUSTOMER_AUTHOR_TYPES.map((t) => `'${t}'`).join(", ")})
ORDER BY created_at, id LIMIT 1`;

/** How long an about-snippet is, in characters. */
const ABOUT_LENGTH = 160;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= ABOUT_LENGTH) return flat;
  const cut = flat.slice(0, ABOUT_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${space > ABOUT_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * What a conversation is about, for a listing without a query: its subject, else the first
 * message its customer wrote (the opening one when theirs), as an excerpt.
 */
function aboutSnippet(conn: Connection, row: Row): string | null {
  const subject = textOrNull(row.source_subject)?.trim();
  if (subject) return excerpt(subject);
  const sourceType = textOrNull(row.source_author_type);
  const opening = textOrNull(row.source_body);
  if (opening?.trim() && sourceType !== null && CUSTOMER_AUTHOR_TYPES.includes(sourceType)) {
    return excerpt(opening);
  }
  const first = textOrNull(conn.get(FIRST_CUSTOMER_PART_SQL, String(row.id))?.body);
  if (first?.trim()) return excerpt(first);
  return opening?.trim() ? excerpt(opening) : null;
}

const PART_BODIES_SQL = `
SELECT body FROM conversation_parts WHERE conversation_id = ? AND body IS NOT NULL
ORDER BY created_at, id LIMIT ? OFFSET ?`;

/** The part bodies of each short thread, oldest first, one per line (joined by SQLite). */
const SHORT_THREAD_TEXT_SQL = `
SELECT conversation_id, group_concat(body, char(10) ORDER BY created_at, id) AS text
FROM conversation_parts
WHERE conversation_id IN (SELECT value FROM json_each(?)) AND body IS NOT NULL
GROUP BY conversation_id`;

/** Parts read at once; a longer thread is read in doubling chunks until the snippet is settled. */
const FIRST_PARTS = 32;

/**
 * Text of a long thread read for its snippet at most: a match further in is shown from the
 * subject or title instead, so one 600-part thread cannot cost a search milliseconds.
 */
const SNIPPET_TEXT_LIMIT = 16 * 1024;

/**
 * The part bodies of a long thread, oldest first, read only as far as the snippet needs (a
 * 500-part thread is about 100 KB, and the first match is usually near its start), and never
 * past {@linkcode SNIPPET_TEXT_LIMIT}. With the source body first and one per line they are
 * the start of `conversation_documents.body`.
 */
function longBody(conn: Connection, head: Row, terms: SearchTerm[]): string[] {
  const pieces: string[] = [];
  let chars = head.source_body === null ? 0 : String(head.source_body).length;
  for (let read = 0, chunk = FIRST_PARTS;; read += chunk, chunk = read) {
    const rows = conn.all(PART_BODIES_SQL, String(head.id), chunk, read);
    for (const row of rows) {
      const body = String(row.body);
      pieces.push(body);
      chars += body.length + 1;
    }
    if (rows.length < chunk || chars >= SNIPPET_TEXT_LIMIT) break;
    const sourced = head.source_body === null ? pieces : [String(head.source_body), ...pieces];
    if (snippetSettled(sourced.join("\n"), terms)) break;
  }
  return pieces;
}

/** Snippets of the hit rows `heads` (with `source_body`), by doc_id. */
function snippets(conn: Connection, terms: SearchTerm[], heads: Row[]): Map<number, string> {
  const result = new Map<number, string>();
  // Threads of a few parts (most) are read by one statement; longer ones each on their own.
  const short = heads.filter((head) => Number(head.parts_total) <= FIRST_PARTS);
  const threads = new Map<string, string>();
  if (short.length > 0) {
    for (const row of conn.all(SHORT_THREAD_TEXT_SQL, JSON.stringify(short.map((h) => h.id)))) {
      threads.set(String(row.conversation_id), String(row.text));
    }
  }
  for (const head of heads) {
    const id = String(head.id);
    const pieces = Number(head.parts_total) <= FIRST_PARTS
      ? threads.has(id) ? [threads.get(id)!] : []
      : longBody(conn, head, terms);
    if (head.source_body !== null) pieces.unshift(String(head.source_body));
    const snippet = makeSnippet([
      pieces.length === 0 ? null : pieces.join("\n"),
      textOrNull(head.source_subject),
      textOrNull(head.title),
    ], terms);
    if (snippet !== null) result.set(Number(head.doc_id), snippet);
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
    team_assignee_name: textOrNull(row.team_assignee_name),
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
 * Text matching more than `RANK_LIMIT` (500; see search_plans.ts) conversations is too broad
 * to rank usefully or cheaply: those results come newest first with a null rank. Never
 * throws on any text: text without a searchable word (only symbols) matches nothing, with a
 * note saying so. Terms in scripts without spaces are found as substrings (trigram index).
 * Without text, each hit's snippet says what the conversation is about.
 */
export function searchConversations(
  conn: Connection,
  search: ConversationSearch,
): ConversationSearchResult {
  return conn.snapshot(() => {
    const normalized = normalizeSearch(conn, search);
    const result = (
      total: number,
      hits: ConversationHit[],
      more = false,
    ): ConversationSearchResult => ({
      total,
      hits,
      ...(normalized.notes.length > 0 ? { notes: normalized.notes } : {}),
      ...(more ? { totalIsLowerBound: true } : {}),
    });
    if (normalized.unmatchable) return result(0, []);
    const { total, rows, more = false } = choosePlan(conn, normalized);
    const withText = normalized.terms.length > 0;
    const found = new Map<number, Row>();
    if (rows.length > 0) {
      for (const row of conn.all(HITS_SQL, JSON.stringify(rows.map((r) => r.docId)))) {
        found.set(Number(row.doc_id), row);
      }
    }
    const wanted = search.snippets === "untitled"
      ? (row: Row) => textOrNull(row.source_subject) === null && textOrNull(row.title) === null
      : () => true;
    const marked = withText
      ? snippets(conn, normalized.terms, [...found.values()].filter(wanted))
      : new Map<number, string>();
    const hits: ConversationHit[] = [];
    for (const { docId, rank } of rows) {
      const row = found.get(docId);
      if (row === undefined) continue;
      const snippet = !wanted(row)
        ? null
        : withText
        ? marked.get(docId) ?? null
        : aboutSnippet(conn, row);
      hits.push(toHit(row, snippet, rank));
    }
    return result(total, hits, more);
  });
}

function choosePlan(conn: Connection, search: NormalizedSearch): Page {
  if (search.unspaced.length > 0) return unspacedPage(conn, search);
  if (search.email !== undefined) {
    const total = sqlCount(conn, search);
    if (search.match === null) return sqlPage(conn, search, { total });
    if (total <= CANDIDATE_LIMIT) return candidatePage(conn, search, search.match);
    return ftsPage(conn, search);
  }
  if (search.match === null && !hasFacets(search)) {
    return sqlPage(conn, search, sqlCappedCount(conn, search));
  }
  return ftsPage(conn, search);
}
