/**
 * Reads of tickets and companies for MCP and the CLI, counts per object for `status` and
 * `monitor`, and the per-stream sync position (`sync_streams`). Every read answers "nothing"
 * on a store without the tickets migration (a read-only open of an older store is allowed).
 */
import type { Connection, Row } from "./database.ts";
import { readObjectLinks } from "./conversation_extras.ts";
import { hasSupportTables } from "./company_filter.ts";
import type {
  StoredCompany,
  StoredTicket,
  StoredTicketPart,
  StreamState,
} from "./support_types.ts";
import { intOrNull, jsonObject, parseJson, stringArray, textOrNull } from "./_values.ts";

function toPart(row: Row): StoredTicketPart {
  const assignedId = textOrNull(row.assigned_to_id);
  return {
    id: String(row.id),
    part_type: String(row.part_type),
    body: textOrNull(row.body),
    author_type: textOrNull(row.author_type),
    author_id: textOrNull(row.author_id),
    author_name: textOrNull(row.author_name),
    author_email: textOrNull(row.author_email),
    ticket_state: textOrNull(row.ticket_state),
    previous_ticket_state: textOrNull(row.previous_ticket_state),
    assigned_to: assignedId === null
      ? null
      : { type: textOrNull(row.assigned_to_type), id: assignedId },
    attachments: parseJson(row.attachments, []),
    created_at: Number(row.created_at),
  };
}

/** A stored ticket with its parts (oldest first), contacts and links; null when not stored. */
export function getTicket(conn: Connection, id: string): StoredTicket | null {
  if (!hasSupportTables(conn)) return null;
  return conn.snapshot(() => {
    const row = conn.get(
      "SELECT t.*, a.name AS admin_assignee_name, tm.name AS team_assignee_name FROM tickets t " +
        "LEFT JOIN admins a ON a.id = t.admin_assignee_id " +
        "LEFT JOIN teams tm ON tm.id = t.team_assignee_id WHERE t.id = ? OR t.ticket_number = ? " +
        "ORDER BY t.id = ? DESC LIMIT 1",
      id,
      id,
      id,
    );
    if (row === undefined) return null;
    const ticketId = String(row.id);
    const contacts = conn.all(
      "SELECT l.contact_id AS id, c.name, c.email FROM ticket_contacts l " +
        "LEFT JOIN contacts c ON c.id = l.contact_id WHERE l.ticket_id = ? ORDER BY l.contact_id",
      ticketId,
    ).map((c) => ({ id: String(c.id), name: textOrNull(c.name), email: textOrNull(c.email) }));
    const parts = conn.all(
      "SELECT * FROM ticket_parts WHERE ticket_id = ? ORDER BY created_at, id",
      ticketId,
    ).map(toPart);
    return {
      id: ticketId,
      ticket_number: textOrNull(row.ticket_number),
      title: textOrNull(row.title),
      description: textOrNull(row.description),
      state: textOrNull(row.state),
      state_label: textOrNull(row.state_label),
      category: textOrNull(row.category),
      ticket_type_id: textOrNull(row.ticket_type_id),
      ticket_type_name: textOrNull(row.ticket_type_name),
      open: Number(row.open) === 1,
      created_at: Number(row.created_at),
      updated_at: Number(row.updated_at),
      snoozed_until: intOrNull(row.snoozed_until),
      is_shared: Number(row.is_shared) === 1,
      admin_assignee_id: textOrNull(row.admin_assignee_id),
      admin_assignee_name: textOrNull(row.admin_assignee_name),
      team_assignee_id: textOrNull(row.team_assignee_id),
      team_assignee_name: textOrNull(row.team_assignee_name),
      contact_ids: stringArray(row.contact_ids),
      attributes: jsonObject(row.ticket_attributes),
      parts_total: Number(row.parts_total),
      parts_truncated: Number(row.parts_truncated) === 1,
      contacts,
      links: readObjectLinks(conn, "ticket", ticketId),
      parts,
      synced_at: Number(row.synced_at),
    };
  });
}

/** Labels of the custom attributes of `model`, by attribute name. */
export function attributeLabels(conn: Connection, model: string): Record<string, string> {
  if (!hasSupportTables(conn)) return {};
  const labels: Record<string, string> = {};
  for (const row of conn.all("SELECT name, label FROM data_attributes WHERE model = ?", model)) {
    const label = textOrNull(row.label);
    if (label !== null) labels[String(row.name)] = label;
  }
  return labels;
}

const COMPANY_CONTACTS = "SELECT contact_id FROM contact_companies WHERE company_id = ?";

/**
 * A stored company (by Intercom id, `company_id` or exact name) with its contacts and the
 * conversations and tickets of those contacts; null when not stored.
 */
export function getCompany(conn: Connection, idOrName: string): StoredCompany | null {
  if (!hasSupportTables(conn)) return null;
  return conn.snapshot(() => {
    const row = conn.get(
      "SELECT * FROM companies WHERE id = ?1 OR company_id = ?1 OR name = ?1 " +
        "ORDER BY id = ?1 DESC, company_id = ?1 DESC LIMIT 1",
      idOrName,
    );
    if (row === undefined) return null;
    const id = String(row.id);
    const sameName = row.id === idOrName || row.company_id === idOrName ? [] : conn.all(
      "SELECT id FROM companies WHERE name = ? AND id != ? ORDER BY id",
      idOrName,
      id,
    ).map((r) => String(r.id));
    const contacts = conn.all(
      `SELECT id, name, email FROM contacts WHERE id IN (${COMPANY_CONTACTS}) ` +
        "ORDER BY updated_at DESC, id LIMIT 50",
      id,
    ).map((c) => ({ id: String(c.id), name: textOrNull(c.name), email: textOrNull(c.email) }));
    const counts = conn.get(
      `SELECT (SELECT count(*) FROM contact_companies WHERE company_id = ?1) AS contacts,
        (SELECT count(DISTINCT conversation_id) FROM conversation_contacts
          WHERE contact_id IN (${COMPANY_CONTACTS.replace("?", "?1")})) AS conversations,
        (SELECT count(*) FROM tickets WHERE id IN (SELECT ticket_id FROM ticket_contacts
          WHERE contact_id IN (${COMPANY_CONTACTS.replace("?", "?1")}))) AS tickets,
        (SELECT count(*) FROM tickets WHERE open = 1 AND id IN (SELECT ticket_id FROM ticket_contacts
          WHERE contact_id IN (${COMPANY_CONTACTS.replace("?", "?1")}))) AS open_tickets`,
      id,
    );
    return {
      id,
      company_id: textOrNull(row.company_id),
      name: textOrNull(row.name),
      plan: textOrNull(row.plan_name),
      size: intOrNull(row.size),
      website: textOrNull(row.website),
      industry: textOrNull(row.industry),
      monthly_spend: row.monthly_spend === null ? null : Number(row.monthly_spend),
      user_count: intOrNull(row.user_count),
      session_count: intOrNull(row.session_count),
      updated_at: Number(row.updated_at),
      created_at: intOrNull(row.created_at),
      remote_created_at: intOrNull(row.remote_created_at),
      last_request_at: intOrNull(row.last_request_at),
      custom_attributes: jsonObject(row.custom_attributes),
      attribute_labels: attributeLabels(conn, "company"),
      tag_names: stringArray(row.tag_names),
      contacts,
      contacts_total: Number(counts?.contacts ?? 0),
      conversations_total: Number(counts?.conversations ?? 0),
      tickets_total: Number(counts?.tickets ?? 0),
      open_tickets: Number(counts?.open_tickets ?? 0),
      same_name: sameName,
      synced_at: Number(row.synced_at),
    };
  });
}

/** Rows per synced object beyond conversations (zero on a store without them). */
export interface SupportCounts {
  tickets: number;
  ticketParts: number;
  companies: number;
  ticketTypes: number;
}

/** The plans stored companies are on, with how many companies each, the most used first. */
export function companyPlans(conn: Connection): { plan: string; companies: number }[] {
  if (!hasSupportTables(conn)) return [];
  return conn.all(
    "SELECT plan_name, count(*) AS n FROM companies WHERE plan_name IS NOT NULL " +
      "GROUP BY plan_name ORDER BY n DESC, plan_name",
  ).map((row) => ({ plan: String(row.plan_name), companies: Number(row.n) }));
}

/** How many tickets, ticket parts, companies and ticket types the store holds. */
export function supportCounts(conn: Connection): SupportCounts {
  if (!hasSupportTables(conn)) return { tickets: 0, ticketParts: 0, companies: 0, ticketTypes: 0 };
  const row = conn.get(
    "SELECT (SELECT count(*) FROM tickets) AS tickets, " +
      "(SELECT count(*) FROM ticket_parts) AS parts, " +
      "(SELECT count(*) FROM companies) AS companies, " +
      "(SELECT count(*) FROM ticket_types) AS types",
  );
  return {
    tickets: Number(row?.tickets ?? 0),
    ticketParts: Number(row?.parts ?? 0),
    companies: Number(row?.companies ?? 0),
    ticketTypes: Number(row?.types ?? 0),
  };
}

/** The position of every stream that has one, by name. */
export function readStreams(conn: Connection): StreamState[] {
  if (!hasSupportTables(conn)) return [];
  return conn.all("SELECT * FROM sync_streams ORDER BY stream").map((row) => ({
    stream: String(row.stream),
    cursor: intOrNull(row.cursor),
    checkpoint: parseJson<unknown>(row.checkpoint ?? null, null),
    updatedAt: intOrNull(row.updated_at),
  }));
}

/** The position of `stream` (an empty one when it never ran). */
export function readStream(conn: Connection, stream: string): StreamState {
  return readStreams(conn).find((s) => s.stream === stream) ??
    { stream, cursor: null, checkpoint: null, updatedAt: null };
}

/** Saves (or clears, with null) where an interrupted run of `stream` resumes. */
export function setStreamCheckpoint(
  conn: Connection,
  stream: string,
  checkpoint: unknown,
  now: number,
): void {
  conn.run(
    "INSERT INTO sync_streams (stream, checkpoint, updated_at) VALUES (?1, ?2, ?3) " +
      "ON CONFLICT (stream) DO UPDATE SET checkpoint = ?2, updated_at = ?3",
    stream,
    checkpoint === null || checkpoint === undefined ? null : JSON.stringify(checkpoint),
    now,
  );
}

/** Sets `stream`'s completed cursor and clears its checkpoint in one statement. */
export function completeStream(conn: Connection, stream: string, cursor: number, now: number) {
  conn.run(
    "INSERT INTO sync_streams (stream, cursor, checkpoint, updated_at) VALUES (?1, ?2, NULL, ?3) " +
      "ON CONFLICT (stream) DO UPDATE SET cursor = ?2, checkpoint = NULL, updated_at = ?3",
    stream,
    cursor,
    now,
  );
}
