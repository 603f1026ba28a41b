/**
 * What conversations carry besides their messages, written with the conversation and read for
 * `get_conversation`: the applied SLA, topics, what Fin did, the source's and parts'
 * attachments, whom assignments assigned to, and linked tickets (`object_links`).
 *
 * Also where a human took over from Fin: the first part, after Fin's first answer, that is a
 * teammate's comment or an assignment to a teammate or team ({@link readFinHandoff}).
 */
import type { Conversation } from "../intercom/types.ts";
import type { Attachment, LinkedObject } from "../intercom/extras.ts";
import { replaceCompanyKeys } from "./company_keys.ts";
import type { Connection, Row } from "./database.ts";
import { hasSupportTables } from "./company_filter.ts";
import { parseJson, storableJson, storableText, textOrNull } from "./_values.ts";

/**
 * Writes the extras of `conv` (its row and parts are already stored); nothing on a store
 * without the tickets migration (see `migrations.ts`).
 */
export function writeConversationExtras(conn: Connection, conv: Conversation): void {
  if (!hasSupportTables(conn)) return;
  conn.run(
    "UPDATE conversations SET sla_name = ?, sla_status = ?, topics = ?, ai_agent = ?, " +
      "ai_agent_participated = ?, source_attachments = ? WHERE id = ?",
    storableText(conv.sla_applied?.name ?? null),
    storableText(conv.sla_applied?.status ?? null),
    storableJson(conv.topics.map((t) => t.name)),
    conv.ai_agent === null ? null : storableJson(conv.ai_agent),
    conv.ai_agent_participated === null ? null : conv.ai_agent_participated ? 1 : 0,
    storableJson(conv.source?.attachments ?? []),
    conv.id,
  );
  for (const part of conv.conversation_parts.conversation_parts) {
    if (part.assigned_to === null && part.attachments.length === 0) continue;
    conn.run(
      "UPDATE conversation_parts SET assigned_to_type = ?, assigned_to_id = ?, attachments = ? " +
        "WHERE id = ? AND conversation_id = ?",
      storableText(part.assigned_to?.type ?? null),
      storableText(part.assigned_to?.id ?? null),
      storableJson(part.attachments),
      part.id,
      conv.id,
    );
  }
  replaceObjectLinks(conn, "conversation", conv.id, conv.linked_objects);
  // upsertConversation deleted the document from the index and inserts it after this
  replaceCompanyKeys(conn, "conversation", conv.id);
}

/** Replaces the links reported by one record (`from`). */
export function replaceObjectLinks(
  conn: Connection,
  fromType: "conversation" | "ticket",
  fromId: string,
  links: readonly LinkedObject[],
): void {
  conn.run("DELETE FROM object_links WHERE from_type = ? AND from_id = ?", fromType, fromId);
  for (const link of links) {
    conn.run(
      "INSERT OR REPLACE INTO object_links (from_type, from_id, to_type, to_id, category) " +
        "VALUES (?, ?, ?, ?, ?)",
      fromType,
      fromId,
      storableText(link.type),
      link.id,
      storableText(link.category),
    );
  }
}

/** A record linked to another, with what the store knows of it. */
export interface StoredLink {
  type: string;
  id: string;
  category: string | null;
  /** The linked ticket's title or conversation's subject/title, when stored. */
  title: string | null;
  /** Its state, when stored. */
  state: string | null;
}

/**
 * Links of a record in either direction (Intercom lists a link under both records; a store that
 * has only one side still shows it), each once.
 */
export function readObjectLinks(conn: Connection, type: string, id: string): StoredLink[] {
  const rows = conn.all(
    `SELECT to_type AS type, to_id AS id, category FROM object_links
       WHERE from_type = ?1 AND from_id = ?2
     UNION
     SELECT from_type, from_id, NULL FROM object_links
       WHERE to_type = ?1 AND to_id = ?2
         AND NOT EXISTS (SELECT 1 FROM object_links o WHERE o.from_type = ?1 AND o.from_id = ?2
           AND o.to_type = object_links.from_type AND o.to_id = object_links.from_id)
     ORDER BY 1, 2`,
    type,
    id,
  );
  return rows.map((row) => {
    const linkType = String(row.type);
    const linkId = String(row.id);
    const known = linkType === "ticket"
      ? conn.get("SELECT title, state, category FROM tickets WHERE id = ?", linkId)
      : conn.get(
        "SELECT coalesce(title, source_subject) AS title, state FROM conversations WHERE id = ?",
        linkId,
      );
    return {
      type: linkType,
      id: linkId,
      category: textOrNull(row.category) ?? textOrNull(known?.category),
      title: textOrNull(known?.title),
      state: textOrNull(known?.state),
    };
  });
}

/** A part's assignment target and attachments. */
export interface StoredPartExtras {
  assigned_to: { type: string | null; id: string } | null;
  attachments: Attachment[];
}

/** The extras stored with a conversation. */
export interface StoredConversationExtras {
  sla: { name: string; status: string | null } | null;
  topics: string[];
  ai_agent: Record<string, unknown> | null;
  /** Whether Fin took part: Intercom's flag, else whether `ai_agent` is set; null if unknown. */
  ai_agent_participated: boolean | null;
  source_attachments: Attachment[];
  /** By part id, for parts that have any. */
  parts: Map<string, StoredPartExtras>;
  links: StoredLink[];
}

/** The extras of a stored conversation; null when it is not stored. */
export function readConversationExtras(
  conn: Connection,
  id: string,
): StoredConversationExtras | null {
  if (!hasSupportTables(conn)) return null;
  const row = conn.get(
    "SELECT sla_name, sla_status, topics, ai_agent, ai_agent_participated, source_attachments " +
      "FROM conversations WHERE id = ?",
    id,
  );
  if (row === undefined) return null;
  const parts = new Map<string, StoredPartExtras>();
  for (
    const part of conn.all(
      "SELECT id, assigned_to_type, assigned_to_id, attachments FROM conversation_parts " +
        "WHERE conversation_id = ? AND (assigned_to_id IS NOT NULL OR attachments != '[]')",
      id,
    )
  ) {
    const assignedId = textOrNull(part.assigned_to_id);
    parts.set(String(part.id), {
      assigned_to: assignedId === null
        ? null
        : { type: textOrNull(part.assigned_to_type), id: assignedId },
      attachments: parseJson<Attachment[]>(part.attachments, []),
    });
  }
  const agent = parseJson<Record<string, unknown> | null>(row.ai_agent ?? null, null);
  const sla = textOrNull(row.sla_name);
  return {
    sla: sla === null ? null : { name: sla, status: textOrNull(row.sla_status) },
    topics: parseJson<string[]>(row.topics, []),
    ai_agent: agent,
    ai_agent_participated: row.ai_agent_participated === null
      ? (agent === null ? null : true)
      : Number(row.ai_agent_participated) === 1,
    source_attachments: parseJson<Attachment[]>(row.source_attachments, []),
    parts,
    links: readObjectLinks(conn, "conversation", id),
  };
}

/** Where Fin answered and where a human took over: part id, time and place among the parts. */
export interface FinHandoff {
  /** Fin's (a bot's) first comment. */
  first_answer: { part_id: string; at: number; position: number } | null;
  /** The first teammate comment or assignment to a teammate or team after it. */
  human_takeover:
    | { part_id: string; at: number; position: number; how: "reply" | "assignment" }
    | null;
}

const FIRST_ANSWER_SQL = `
SELECT id, created_at FROM conversation_parts
WHERE conversation_id = ? AND part_type = 'comment' AND author_type = 'bot'
ORDER BY created_at, id LIMIT 1`;

/** A takeover candidate after (created_at, id); assignments only where the columns exist. */
const takeoverSql = (assignments: boolean) => `
SELECT id, created_at,
  CASE WHEN part_type = 'comment' AND author_type = 'admin' THEN 'reply' ELSE 'assignment' END
    AS how
FROM conversation_parts
WHERE conversation_id = ?1 AND (created_at, id) > (?2, ?3)
  AND ((part_type = 'comment' AND author_type = 'admin')${
  assignments ? " OR (assigned_to_id IS NOT NULL AND assigned_to_type IN ('admin', 'team'))" : ""
})
ORDER BY created_at, id LIMIT 1`;

const POSITION_SQL = `
SELECT count(*) AS n FROM conversation_parts
WHERE conversation_id = ?1 AND (created_at, id) < (?2, ?3)`;

/**
 * Reads Fin's answers and the human takeover off the stored parts (oldest first, as
 * `getConversation` orders them) without reading them: Fin answered when a bot wrote a
 * comment; a human took over at the first later teammate comment, or assignment to an admin
 * or team, whichever comes first. `position` counts the parts before it (the opening message
 * is not a part).
 */
export function readFinHandoff(conn: Connection, id: string): FinHandoff {
  return conn.snapshot(() => {
    const answer = conn.get(FIRST_ANSWER_SQL, id);
    if (answer === undefined) return { first_answer: null, human_takeover: null };
    const at = Number(answer.created_at);
    const position = (row: Row) =>
      Number(conn.get(POSITION_SQL, id, Number(row.created_at), String(row.id))?.n ?? 0);
    const first_answer = { part_id: String(answer.id), at, position: position(answer) };
    const human = conn.get(takeoverSql(hasSupportTables(conn)), id, at, String(answer.id));
    return {
      first_answer,
      human_takeover: human === undefined ? null : {
        part_id: String(human.id),
        at: Number(human.created_at),
        position: position(human),
        how: human.how === "reply" ? "reply" : "assignment",
      },
    };
  });
}
