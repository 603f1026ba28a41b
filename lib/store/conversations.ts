/**
 * Writing conversations: the row, its parts (upserted by id, never deleted), its contact and
 * tag links, its message counts, and its full-text document, all in one transaction.
 */
import { getLogger } from "@logtape/logtape";
import { partsTotal, partsTruncated } from "../intercom/parts.ts";
import type { Conversation, ConversationPart } from "../intercom/types.ts";
import { writeConversationExtras } from "./conversation_extras.ts";
import type { Connection } from "./database.ts";
import { UNSPACED_SCRIPTS_GLOB } from "./migrations.ts";
import { hasUnspacedIndex } from "./search_filters.ts";
import { toPlainText } from "./plain_text.ts";
import { allocateDocId, tagKey } from "./search_keys.ts";
import { storableJson, storableText } from "./_values.ts";

const logger = getLogger(["fast-intercom", "store"]);

/**
 * Author types counted as the customer, and as the team. Customer messages are the source
 * and `comment` parts written by a user, lead or contact; teammate messages are the source
 * and `comment` or `note` parts written by an admin, team or bot. Events (assignment, open,
 * close, snoozed, …) count as neither.
 */
export const CUSTOMER_AUTHOR_TYPES: readonly string[] = ["user", "lead", "contact"];
export const TEAMMATE_AUTHOR_TYPES: readonly string[] = ["admin", "team", "bot"];

const UPSERT_CONVERSATION = `
INSERT INTO conversations (
  doc_id, id, created_at, updated_at, waiting_since, snoozed_until, state, open, read, priority, title,
  admin_assignee_id, team_assignee_id, source_id, source_type, source_subject, source_body,
  source_author_type, source_author_id, source_author_name, source_author_email,
  source_delivered_as, source_url, contact_ids, tag_names, statistics, custom_attributes, rating,
  parts_total, parts_truncated, synced_at
) VALUES (
  :doc_id, :id, :created_at, :updated_at, :waiting_since, :snoozed_until, :state, :open, :read, :priority,
  :title, :admin_assignee_id, :team_assignee_id, :source_id, :source_type, :source_subject,
  :source_body, :source_author_type, :source_author_id, :source_author_name,
  :source_author_email, :source_delivered_as, :source_url, :contact_ids, :tag_names,
  :statistics, :custom_attributes, :rating, :parts_total, :parts_truncated, :synced_at
)
ON CONFLICT (id) DO UPDATE SET
  doc_id = excluded.doc_id, created_at = excluded.created_at, updated_at = excluded.updated_at,
  waiting_since = excluded.waiting_since, snoozed_until = excluded.snoozed_until,
  state = excluded.state, open = excluded.open, read = excluded.read,
  priority = excluded.priority, title = excluded.title,
  admin_assignee_id = excluded.admin_assignee_id, team_assignee_id = excluded.team_assignee_id,
  source_id = excluded.source_id, source_type = excluded.source_type,
  source_subject = excluded.source_subject, source_body = excluded.source_body,
  source_author_type = excluded.source_author_type, source_author_id = excluded.source_author_id,
  source_author_name = excluded.source_author_name,
  source_author_email = excluded.source_author_email,
  source_delivered_as = excluded.source_delivered_as, source_url = excluded.source_url,
  contact_ids = excluded.contact_ids, tag_names = excluded.tag_names,
  statistics = excluded.statistics, custom_attributes = excluded.custom_attributes,
  rating = excluded.rating, parts_total = excluded.parts_total,
  parts_truncated = excluded.parts_truncated, synced_at = excluded.synced_at
`;

const UPSERT_PART = `
INSERT INTO conversation_parts (
  id, conversation_id, part_type, author_type, author_id, author_name, author_email, body,
  created_at, updated_at, redacted
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  part_type = excluded.part_type, author_type = excluded.author_type,
  author_id = excluded.author_id, author_name = excluded.author_name,
  author_email = excluded.author_email, body = excluded.body,
  created_at = excluded.created_at, updated_at = excluded.updated_at,
  redacted = excluded.redacted
WHERE conversation_parts.conversation_id = excluded.conversation_id`;

const customerList = CUSTOMER_AUTHOR_TYPES.map((t) => `'${t}'`).join(", ");
const teammateList = TEAMMATE_AUTHOR_TYPES.map((t) => `'${t}'`).join(", ");

const UPDATE_COUNTS = `
UPDATE conversations SET
  customer_messages = coalesce(source_author_type IN (${customerList}), 0) + (
    SELECT count(*) FROM conversation_parts p
    WHERE p.conversation_id = conversations.id AND p.part_type = 'comment'
      AND p.author_type IN (${customerList})),
  teammate_messages = coalesce(source_author_type IN (${teammateList}), 0) + (
    SELECT count(*) FROM conversation_parts p
    WHERE p.conversation_id = conversations.id AND p.part_type IN ('comment', 'note')
      AND p.author_type IN (${teammateList}))
WHERE doc_id = ?`;

const FTS_DELETE = `
INSERT INTO conversations_fts (conversations_fts, rowid, subject, title, body, facets)
SELECT 'delete', doc_id, subject, title, body, facets FROM conversation_documents
WHERE doc_id = ?`;

const FTS_INSERT = `
INSERT INTO conversations_fts (rowid, subject, title, body, facets)
SELECT doc_id, subject, title, body, facets FROM conversation_documents WHERE doc_id = ?`;

/** A conversation's unspaced-script document (see migration 6), when its text has such script. */
const UNSPACED_DELETE = "DELETE FROM conversation_unspaced WHERE doc_id = ?";
const UNSPACED_INSERT = `
INSERT INTO conversation_unspaced (doc_id, text)
SELECT doc_id, text FROM (
  SELECT doc_id, coalesce(subject, '') || char(10) || coalesce(title, '') || char(10) ||
    coalesce(body, '') AS text
  FROM conversation_documents WHERE doc_id = ?
) WHERE text GLOB '${UNSPACED_SCRIPTS_GLOB}'`;

/** Characters of scripts written without spaces (as `UNSPACED_SCRIPTS_GLOB`). */
const UNSPACED_CHAR =
  /[\u0E01-\u0E5B\u0E81-\u0EDF\u1000-\u109F\u1780-\u17F9\u3041-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3\uF900-\uFAFF\uFF66-\uFF9F]/;

/** Whether any text of `conv` is in a script written without spaces. */
function hasUnspacedText(conv: Conversation): boolean {
  const texts = [conv.title, conv.source?.subject, conv.source?.body];
  for (const part of conv.conversation_parts.conversation_parts) texts.push(part.body);
  return texts.some((t) => typeof t === "string" && UNSPACED_CHAR.test(t));
}

const json = storableJson;

/**
 * The row's parameters; every text but the id goes through `storableText` (U+0000 would cut
 * the text short on read; see `NUL_REPLACEMENT`).
 */
function conversationParams(conv: Conversation, docId: number, syncedAt: number) {
  const params: Record<string, unknown> = rowParams(conv, docId, syncedAt);
  for (const [key, value] of Object.entries(params)) {
    if (key !== "id" && typeof value === "string") params[key] = storableText(value);
  }
  return params as ReturnType<typeof rowParams>;
}

function rowParams(conv: Conversation, docId: number, syncedAt: number) {
  const source = conv.source;
  return {
    doc_id: docId,
    id: conv.id,
    created_at: conv.created_at,
    updated_at: conv.updated_at,
    waiting_since: conv.waiting_since,
    snoozed_until: conv.snoozed_until,
    state: conv.state,
    open: conv.open ? 1 : 0,
    read: conv.read ? 1 : 0,
    priority: conv.priority,
    title: conv.title,
    admin_assignee_id: conv.admin_assignee_id,
    team_assignee_id: conv.team_assignee_id,
    source_id: source?.id ?? null,
    source_type: source?.type ?? null,
    source_subject: source?.subject ?? null,
    source_body: toPlainText(source?.body ?? null),
    source_author_type: source?.author?.type ?? null,
    source_author_id: source?.author?.id ?? null,
    source_author_name: source?.author?.name ?? null,
    source_author_email: source?.author?.email ?? null,
    source_delivered_as: source?.delivered_as ?? null,
    source_url: source?.url ?? null,
    contact_ids: json(conv.contacts.map((c) => c.id)),
    tag_names: json(conv.tags.map((t) => t.name)),
    statistics: json(conv.statistics),
    custom_attributes: json(conv.custom_attributes),
    rating: conv.conversation_rating === null ? null : json(conv.conversation_rating),
    // statistics.count_conversation_parts when present, else total_count (lib/intercom/parts.ts)
    parts_total: partsTotal(conv),
    parts_truncated: partsTruncated(conv) ? 1 : 0,
    synced_at: syncedAt,
  };
}

function upsertPart(conn: Connection, conversationId: string, part: ConversationPart): boolean {
  const changed = conn.run(
    UPSERT_PART,
    part.id,
    conversationId,
    storableText(part.part_type),
    storableText(part.author?.type ?? null),
    storableText(part.author?.id ?? null),
    storableText(part.author?.name ?? null),
    storableText(part.author?.email ?? null),
    storableText(toPlainText(part.body)),
    part.created_at,
    part.updated_at,
    part.redacted ? 1 : 0,
  );
  return changed > 0;
}

function replaceLinks(conn: Connection, conv: Conversation): void {
  conn.run("DELETE FROM conversation_contacts WHERE conversation_id = ?", conv.id);
  for (const contact of conv.contacts) {
    conn.run(
      "INSERT OR IGNORE INTO conversation_contacts (conversation_id, contact_id) VALUES (?, ?)",
      conv.id,
      contact.id,
    );
  }
  conn.run("DELETE FROM conversation_tags WHERE conversation_id = ?", conv.id);
  for (const tag of conv.tags) {
    conn.run(
      "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id, tag_name, tag_key) " +
        "VALUES (?, ?, ?, ?)",
      conv.id,
      tag.id,
      storableText(tag.name),
      tagKey(storableText(tag.name)),
    );
  }
}

/** Options of {@linkcode upsertConversation}. */
export interface UpsertConversationOptions {
  /**
   * The second in which this copy was requested (see `lib/sync/freshness.ts`). Default: left
   * as stored (NULL for a new row): an older or unknown fetch time only ever makes the sync
   * fetch the conversation again, never skip it.
   */
  fetchedAt?: number;
}

/**
 * Stores `conv` as stored at `syncedAt`: replaces the row and links, upserts every part by
 * id (parts stored earlier and no longer returned stay), and re-indexes its text. Runs in
 * its own transaction, or joins the caller's. Idempotent apart from `synced_at`.
 */
export function upsertConversation(
  conn: Connection,
  conv: Conversation,
  syncedAt: number,
  options: UpsertConversationOptions = {},
): { partsUpserted: number } {
  return conn.transaction(() => {
    const existing = conn.get(
      "SELECT doc_id, updated_at FROM conversations WHERE id = ?",
      conv.id,
    );
    // The external-content index must be told the old text before the rows change.
    let hadUnspaced = false;
    if (existing !== undefined) {
      conn.run(FTS_DELETE, Number(existing.doc_id));
      hadUnspaced = hasUnspacedIndex(conn) &&
        conn.run(UNSPACED_DELETE, Number(existing.doc_id)) > 0;
    }
    const docId = existing !== undefined && Number(existing.updated_at) === conv.updated_at
      ? Number(existing.doc_id)
      : allocateDocId(conn, "conversations", conv.updated_at);
    conn.prepare(UPSERT_CONVERSATION).run(conversationParams(conv, docId, syncedAt));
    if (options.fetchedAt !== undefined) {
      conn.run(
        "UPDATE conversations SET fetched_at = ? WHERE doc_id = ?",
        options.fetchedAt,
        docId,
      );
    }
    let partsUpserted = 0;
    let foreign = 0;
    for (const part of conv.conversation_parts.conversation_parts) {
      if (upsertPart(conn, conv.id, part)) partsUpserted++;
      else foreign++;
    }
    if (foreign > 0) {
      logger.warn("Skipped {count} parts of conversation {id} stored under another conversation", {
        count: foreign,
        id: conv.id,
      });
    }
    replaceLinks(conn, conv);
    writeConversationExtras(conn, conv);
    conn.run(UPDATE_COUNTS, docId);
    conn.run(FTS_INSERT, docId);
    // stored parts are never deleted, so text that had such script still has it
    if ((hadUnspaced || hasUnspacedText(conv)) && hasUnspacedIndex(conn)) {
      conn.run(UNSPACED_INSERT, docId);
    }
    return { partsUpserted };
  });
}
