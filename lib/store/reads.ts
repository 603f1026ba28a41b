/** Reading conversations back, and the figures and checks `status` and `health` show. */
import { rebuildSupportFullText, supportFtsIntegrityCheck } from "./support_fts.ts";
import type { Connection, Row } from "./database.ts";
import type { StoreCoverage, StoredConversation, StoredPart, StoreStats } from "./types.ts";
import { clampInt, intOrNull, jsonObject, stringArray, textOrNull } from "./_values.ts";

/** A LIMIT that means all rows. */
const ALL = 0x7fffffff;

const CONVERSATION_SQL = `
SELECT c.*, a.name AS admin_assignee_name, t.name AS team_assignee_name,
  (SELECT count(*) FROM conversation_parts p WHERE p.conversation_id = c.id) AS parts_stored
FROM conversations c
LEFT JOIN admins a ON a.id = c.admin_assignee_id
LEFT JOIN teams t ON t.id = c.team_assignee_id
WHERE c.id = ?`;

const PARTS_SQL = `
SELECT id, conversation_id, part_type, author_type, author_id, author_name, author_email, body,
  created_at, updated_at, redacted
FROM conversation_parts WHERE conversation_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`;

function toPart(row: Row): StoredPart {
  return {
    id: String(row.id),
    conversation_id: String(row.conversation_id),
    part_type: String(row.part_type),
    author_type: textOrNull(row.author_type),
    author_id: textOrNull(row.author_id),
    author_name: textOrNull(row.author_name),
    author_email: textOrNull(row.author_email),
    body: textOrNull(row.body),
    created_at: Number(row.created_at),
    updated_at: intOrNull(row.updated_at),
    redacted: Number(row.redacted) === 1,
  };
}

/** The conversation's opening message as a part, or null when it has no source. */
function sourcePart(row: Row): StoredPart | null {
  if (row.source_type === null && row.source_body === null && row.source_author_type === null) {
    return null;
  }
  const id = String(row.id);
  return {
    id: textOrNull(row.source_id) ?? `${id}:source`,
    conversation_id: id,
    part_type: "source",
    author_type: textOrNull(row.source_author_type),
    author_id: textOrNull(row.source_author_id),
    author_name: textOrNull(row.source_author_name),
    author_email: textOrNull(row.source_author_email),
    body: textOrNull(row.source_body),
    created_at: Number(row.created_at),
    updated_at: null,
    redacted: false,
  };
}

function readParts(conn: Connection, row: Row, page: { limit: number; offset: number }) {
  const source = sourcePart(row);
  const parts: StoredPart[] = [];
  let { limit, offset } = page;
  if (source !== null) {
    if (offset === 0 && limit > 0) {
      parts.push(source);
      limit--;
    } else if (offset > 0) offset--;
  }
  if (limit > 0) {
    for (const part of conn.all(PARTS_SQL, String(row.id), limit, offset)) parts.push(toPart(part));
  }
  return parts;
}

function toConversation(row: Row, parts: StoredPart[]): StoredConversation {
  return {
    id: String(row.id),
    title: textOrNull(row.title),
    state: String(row.state),
    open: Number(row.open) === 1,
    read: Number(row.read) === 1,
    priority: textOrNull(row.priority),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    waiting_since: intOrNull(row.waiting_since),
    snoozed_until: intOrNull(row.snoozed_until),
    admin_assignee_id: textOrNull(row.admin_assignee_id),
    admin_assignee_name: textOrNull(row.admin_assignee_name),
    team_assignee_id: textOrNull(row.team_assignee_id),
    team_assignee_name: textOrNull(row.team_assignee_name),
    source_type: textOrNull(row.source_type),
    source_subject: textOrNull(row.source_subject),
    source_body: textOrNull(row.source_body),
    source_author_type: textOrNull(row.source_author_type),
    source_author_id: textOrNull(row.source_author_id),
    source_author_name: textOrNull(row.source_author_name),
    source_author_email: textOrNull(row.source_author_email),
    source_delivered_as: textOrNull(row.source_delivered_as),
    source_url: textOrNull(row.source_url),
    contact_ids: stringArray(row.contact_ids),
    tag_names: stringArray(row.tag_names),
    statistics: jsonObject(row.statistics),
    custom_attributes: jsonObject(row.custom_attributes),
    rating: row.rating === null ? null : jsonObject(row.rating),
    parts_total: Number(row.parts_total),
    parts_stored: Number(row.parts_stored),
    parts_truncated: Number(row.parts_truncated) === 1,
    customer_messages: Number(row.customer_messages),
    teammate_messages: Number(row.teammate_messages),
    synced_at: Number(row.synced_at),
    parts,
  };
}

/** The conversation with `id` and all its stored messages (source first), or null. */
export function getConversation(conn: Connection, id: string): StoredConversation | null {
  return conn.snapshot(() => {
    const row = conn.get(CONVERSATION_SQL, id);
    if (row === undefined) return null;
    return toConversation(row, readParts(conn, row, { limit: ALL, offset: 0 }));
  });
}

/** A conversation with one page of its messages ({@linkcode getConversationPage}). */
export interface ConversationPage {
  /** The conversation; its `parts` are the page's messages only. */
  conversation: StoredConversation;
  /** Index of the page's first message in the whole thread. */
  offset: number;
  /** Messages in the whole thread (the opening message included). */
  total: number;
  /** Whether message 0 is the opening message (the source). */
  hasSource: boolean;
}

/**
 * The conversation with `id` and `page.limit` of its messages from `page.offset` (the same
 * sequence as {@linkcode getConversation}: source first), or null. Reads only those parts.
 */
export function getConversationPage(
  conn: Connection,
  id: string,
  page: { offset: number; limit: number },
): ConversationPage | null {
  return conn.snapshot(() => {
    const row = conn.get(CONVERSATION_SQL, id);
    if (row === undefined) return null;
    const hasSource = sourcePart(row) !== null;
    return {
      conversation: toConversation(row, readParts(conn, row, page)),
      offset: page.offset,
      total: Number(row.parts_stored) + (hasSource ? 1 : 0),
      hasSource,
    };
  });
}

/** Options of {@linkcode getParts}. */
export interface PartsPage {
  /** Default: all. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** A page of the conversation's messages (source first, then parts by created_at, id). */
export function getParts(conn: Connection, id: string, options: PartsPage = {}): StoredPart[] {
  const page = {
    limit: clampInt(options.limit, { fallback: ALL, min: 0, max: ALL }),
    offset: clampInt(options.offset, { fallback: 0, min: 0, max: ALL }),
  };
  return conn.snapshot(() => {
    const row = conn.get(
      "SELECT id, created_at, source_id, source_type, source_body, source_author_type, " +
        "source_author_id, source_author_name, source_author_email FROM conversations WHERE id = ?",
      id,
    );
    return row === undefined ? [] : readParts(conn, row, page);
  });
}

function count(conn: Connection, table: string): number {
  return Number(conn.get(`SELECT count(*) AS n FROM ${table}`)?.n ?? 0);
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

/** Row counts, covered period and on-disk size. */
export function readStats(conn: Connection): StoreStats {
  return conn.snapshot(() => {
    const span = conn.get(
      "SELECT min(created_at) AS oldest, max(updated_at) AS newest, " +
        "sum(parts_truncated) AS truncated FROM conversations",
    );
    return {
      conversations: count(conn, "conversations"),
      parts: count(conn, "conversation_parts"),
      contacts: count(conn, "contacts"),
      admins: count(conn, "admins"),
      teams: count(conn, "teams"),
      tags: count(conn, "tags"),
      oldestCreatedAt: intOrNull(span?.oldest),
      newestUpdatedAt: intOrNull(span?.newest),
      sizeBytes: fileSize(conn.path) + fileSize(`${conn.path}-wal`),
      truncatedConversations: Number(span?.truncated ?? 0),
    };
  });
}

/** The period the store covers and how far the sync got. */
export function readCoverage(conn: Connection): StoreCoverage {
  return conn.snapshot(() => {
    const span = conn.get(
      "SELECT (SELECT min(created_at) FROM conversations) AS oldest, " +
        "(SELECT max(updated_at) FROM conversations) AS newest, " +
        "(SELECT cursor FROM sync_state WHERE id = 1) AS cursor, " +
        "(SELECT finished_at FROM sync_runs WHERE status = 'completed' " +
        "ORDER BY id DESC LIMIT 1) AS last_completed",
    );
    return {
      oldestCreatedAt: intOrNull(span?.oldest),
      newestUpdatedAt: intOrNull(span?.newest),
      cursor: intOrNull(span?.cursor),
      lastCompletedRunAt: intOrNull(span?.last_completed),
    };
  });
}

function pragmaCheck(conn: Connection, pragma: string): string[] {
  const messages = conn.all(`PRAGMA ${pragma}`).map((row) => String(Object.values(row)[0]));
  return messages.length === 1 && messages[0] === "ok" ? [] : messages;
}

/** SQLite's quick_check: problems found, empty when the file is sound. */
export function quickCheck(conn: Connection): string[] {
  return pragmaCheck(conn, "quick_check");
}

/** SQLite's integrity_check (slower, also checks indexes): problems found, empty when sound. */
export function integrityCheck(conn: Connection): string[] {
  return pragmaCheck(conn, "integrity_check");
}

/** Read-only part of the full-text check: index structure, and one document per conversation. */
function ftsStructureCheck(conn: Connection): string[] {
  const problems = pragmaCheck(conn, "integrity_check(conversations_fts)");
  const missing = Number(
    conn.get(
      "SELECT count(*) AS n FROM conversations c WHERE NOT EXISTS " +
        "(SELECT 1 FROM conversations_fts_docsize d WHERE d.id = c.doc_id)",
    )?.n ?? 0,
  );
  const extra = Number(
    conn.get(
      "SELECT count(*) AS n FROM conversations_fts_docsize d WHERE NOT EXISTS " +
        "(SELECT 1 FROM conversations c WHERE c.doc_id = d.id)",
    )?.n ?? 0,
  );
  if (missing > 0) problems.push(`${missing} conversations are missing from the full-text index`);
  if (extra > 0) problems.push(`${extra} full-text documents have no conversation`);
  return problems;
}

/**
 * Checks the full-text index against the stored text: problems found, empty when they agree.
 * FTS5's full check is a write statement, so on a read-only store only the structure and the
 * one-document-per-conversation rule are checked; text changed behind the index needs a
 * writable store to be found.
 */
export function ftsIntegrityCheck(conn: Connection): string[] {
  if (conn.readOnly) return conn.snapshot(() => ftsStructureCheck(conn));
  try {
    conn.transaction(() => {
      conn.run(
        "INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1)",
      );
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`full-text index does not match the stored conversations (${message})`];
  }
  const support = supportFtsIntegrityCheck(conn);
  return [...conn.snapshot(() => ftsStructureCheck(conn)), ...support];
}

/** Parts whose conversation is missing (0 while foreign keys are enforced). */
export function orphanParts(conn: Connection): number {
  const row = conn.get(
    "SELECT count(*) AS n FROM conversation_parts p " +
      "WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = p.conversation_id)",
  );
  return Number(row?.n ?? 0);
}

/** Rebuilds the full-text index from the stored conversations (repairs a failed check). */
export function rebuildFullText(conn: Connection): void {
  conn.transaction(() => {
    conn.run("INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild')");
    conn.run(
      "INSERT INTO conversations_unspaced_fts (conversations_unspaced_fts) VALUES ('rebuild')",
    );
    rebuildSupportFullText(conn);
  });
}
