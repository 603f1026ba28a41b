/**
 * Writing tickets: the row, its parts (upserted by id, never deleted), its contacts and links,
 * and its full-text document, in one transaction; ticket types and data attribute definitions.
 * Laid out like conversations (see `conversations.ts` and the tickets migration in `migrations.ts`).
 */
import type { DataAttribute, Ticket, TicketPart, TicketType } from "../intercom/support_types.ts";
import { replaceObjectLinks } from "./conversation_extras.ts";
import { replaceCompanyKeys } from "./company_keys.ts";
import type { Connection } from "./database.ts";
import { UNSPACED_SCRIPTS_GLOB } from "./migrations.ts";
import { toPlainText } from "./plain_text.ts";
import { allocateDocId } from "./search_keys.ts";
import { storableJson, storableText } from "./_values.ts";

const UPSERT_TICKET = `
INSERT INTO tickets (
  doc_id, id, ticket_number, ticket_type_id, ticket_type_name, category, title, description,
  state, state_label, open, admin_assignee_id, team_assignee_id, created_at, updated_at,
  snoozed_until, is_shared, ticket_attributes, contact_ids, parts_total, parts_truncated,
  fetched_at, synced_at
) VALUES (
  :doc_id, :id, :ticket_number, :ticket_type_id, :ticket_type_name, :category, :title,
  :description, :state, :state_label, :open, :admin_assignee_id, :team_assignee_id, :created_at,
  :updated_at, :snoozed_until, :is_shared, :ticket_attributes, :contact_ids, :parts_total,
  :parts_truncated, :fetched_at, :synced_at
)
ON CONFLICT (id) DO UPDATE SET
  doc_id = excluded.doc_id, ticket_number = excluded.ticket_number,
  ticket_type_id = excluded.ticket_type_id, ticket_type_name = excluded.ticket_type_name,
  category = excluded.category, title = excluded.title, description = excluded.description,
  state = excluded.state, state_label = excluded.state_label, open = excluded.open,
  admin_assignee_id = excluded.admin_assignee_id, team_assignee_id = excluded.team_assignee_id,
  created_at = excluded.created_at, updated_at = excluded.updated_at,
  snoozed_until = excluded.snoozed_until, is_shared = excluded.is_shared,
  ticket_attributes = excluded.ticket_attributes, contact_ids = excluded.contact_ids,
  parts_total = excluded.parts_total, parts_truncated = excluded.parts_truncated,
  fetched_at = coalesce(excluded.fetched_at, tickets.fetched_at), synced_at = excluded.synced_at
`;

const UPSERT_PART = `
INSERT INTO ticket_parts (
  id, ticket_id, part_type, body, author_type, author_id, author_name, author_email,
  ticket_state, previous_ticket_state, assigned_to_type, assigned_to_id, attachments,
  created_at, updated_at, redacted
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  part_type = excluded.part_type, body = excluded.body, author_type = excluded.author_type,
  author_id = excluded.author_id, author_name = excluded.author_name,
  author_email = excluded.author_email, ticket_state = excluded.ticket_state,
  previous_ticket_state = excluded.previous_ticket_state,
  assigned_to_type = excluded.assigned_to_type, assigned_to_id = excluded.assigned_to_id,
  attachments = excluded.attachments, created_at = excluded.created_at,
  updated_at = excluded.updated_at, redacted = excluded.redacted
WHERE ticket_parts.ticket_id = excluded.ticket_id`;

const FTS_DELETE = `
INSERT INTO tickets_fts (tickets_fts, rowid, title, description, body, facets)
SELECT 'delete', doc_id, title, description, body, facets FROM ticket_documents WHERE doc_id = ?`;

const FTS_INSERT = `
INSERT INTO tickets_fts (rowid, title, description, body, facets)
SELECT doc_id, title, description, body, facets FROM ticket_documents WHERE doc_id = ?`;

/** A ticket's unspaced-script document (migration 9), when its text has such script. */
const UNSPACED_DELETE = "DELETE FROM ticket_unspaced WHERE doc_id = ?";
const UNSPACED_INSERT = `
INSERT INTO ticket_unspaced (doc_id, text)
SELECT doc_id, text FROM (
  SELECT doc_id, coalesce(title, '') || char(10) || coalesce(description, '') || char(10) ||
    coalesce(body, '') AS text
  FROM ticket_documents WHERE doc_id = ?
) WHERE text GLOB '${UNSPACED_SCRIPTS_GLOB}'`;

/** Whether migration 9 (the tickets' substring index) is in this store. */
export function hasTicketUnspaced(conn: Connection): boolean {
  return conn.hasTable("ticket_unspaced");
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return storableText(typeof value === "string" ? value : JSON.stringify(value));
}

function ticketParams(ticket: Ticket, docId: number, syncedAt: number, fetchedAt: number | null) {
  const attributes = ticket.ticket_attributes;
  const total = ticket.ticket_parts.total_count;
  return {
    doc_id: docId,
    id: ticket.id,
    ticket_number: ticket.ticket_id,
    ticket_type_id: ticket.ticket_type?.id ?? null,
    ticket_type_name: storableText(ticket.ticket_type?.name ?? null),
    category: storableText(ticket.category ?? ticket.ticket_type?.category ?? null),
    title: text(attributes._default_title_),
    description: toPlainText(text(attributes._default_description_)),
    state: storableText(ticket.ticket_state),
    state_label: storableText(ticket.ticket_state_internal_label),
    open: (ticket.open ?? ticket.ticket_state !== "resolved") ? 1 : 0,
    admin_assignee_id: ticket.admin_assignee_id,
    team_assignee_id: ticket.team_assignee_id,
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    snoozed_until: ticket.snoozed_until,
    is_shared: ticket.is_shared ? 1 : 0,
    ticket_attributes: storableJson(attributes),
    contact_ids: JSON.stringify(ticket.contacts.map((c) => c.id)),
    parts_total: total,
    parts_truncated: ticket.ticket_parts.ticket_parts.length < total ? 1 : 0,
    fetched_at: fetchedAt,
    synced_at: syncedAt,
  };
}

function upsertPart(conn: Connection, ticketId: string, part: TicketPart): boolean {
  return conn.run(
    UPSERT_PART,
    part.id,
    ticketId,
    storableText(part.part_type),
    storableText(toPlainText(part.body)),
    storableText(part.author?.type ?? null),
    storableText(part.author?.id ?? null),
    storableText(part.author?.name ?? null),
    storableText(part.author?.email ?? null),
    storableText(part.ticket_state),
    storableText(part.previous_ticket_state),
    storableText(part.assigned_to?.type ?? null),
    storableText(part.assigned_to?.id ?? null),
    storableJson(part.attachments),
    part.created_at,
    part.updated_at,
    part.redacted ? 1 : 0,
  ) > 0;
}

/** Options of {@link upsertTicket}. */
export interface UpsertTicketOptions {
  /** The second the copy was requested (see `lib/sync/freshness.ts`). Default: as stored. */
  fetchedAt?: number;
}

/**
 * Stores `ticket` as fetched: replaces the row, contacts and links, upserts every part by id
 * (parts stored earlier and no longer returned stay), and re-indexes its text. Runs in its own
 * transaction, or joins the caller's.
 */
export function upsertTicket(
  conn: Connection,
  ticket: Ticket,
  syncedAt: number,
  options: UpsertTicketOptions = {},
): { partsUpserted: number } {
  return conn.transaction(() => {
    const existing = conn.get("SELECT doc_id, updated_at FROM tickets WHERE id = ?", ticket.id);
    const unspaced = hasTicketUnspaced(conn);
    if (existing !== undefined) {
      conn.run(FTS_DELETE, Number(existing.doc_id));
      if (unspaced) conn.run(UNSPACED_DELETE, Number(existing.doc_id));
    }
    const docId = existing !== undefined && Number(existing.updated_at) === ticket.updated_at
      ? Number(existing.doc_id)
      : allocateDocId(conn, "tickets", ticket.updated_at);
    conn.prepare(UPSERT_TICKET).run(
      ticketParams(ticket, docId, syncedAt, options.fetchedAt ?? null),
    );
    let partsUpserted = 0;
    for (const part of ticket.ticket_parts.ticket_parts) {
      if (upsertPart(conn, ticket.id, part)) partsUpserted++;
    }
    conn.run("DELETE FROM ticket_contacts WHERE ticket_id = ?", ticket.id);
    for (const contact of ticket.contacts) {
      conn.run(
        "INSERT OR IGNORE INTO ticket_contacts (ticket_id, contact_id) VALUES (?, ?)",
        ticket.id,
        contact.id,
      );
    }
    replaceObjectLinks(conn, "ticket", ticket.id, ticket.linked_objects);
    replaceCompanyKeys(conn, "ticket", ticket.id);
    conn.run(FTS_INSERT, docId);
    if (unspaced) conn.run(UNSPACED_INSERT, docId);
    return { partsUpserted };
  });
}

/** Replaces every stored ticket type with `types`. */
export function replaceTicketTypes(
  conn: Connection,
  types: readonly TicketType[],
  keep: readonly string[] = [],
): void {
  conn.transaction(() => {
    conn.run(
      "DELETE FROM ticket_types WHERE id NOT IN (SELECT value FROM json_each(?))",
      JSON.stringify(keep),
    );
    for (const t of types) {
      conn.run(
        "INSERT OR REPLACE INTO ticket_types (id, name, description, icon, category, archived, " +
          "attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id,
        storableText(t.name),
        storableText(t.description),
        storableText(t.icon),
        storableText(t.category),
        t.archived ? 1 : 0,
        storableJson(t.ticket_type_attributes),
        t.created_at,
        t.updated_at,
      );
    }
  });
}

/**
 * Replaces the stored attribute definitions of `model` with `attributes`; with `keepOthers`
 * (some of the list could not be read) the stored definitions not in `attributes` stay.
 */
export function replaceDataAttributes(
  conn: Connection,
  model: string,
  attributes: readonly DataAttribute[],
  options: { keepOthers?: boolean } = {},
): void {
  conn.transaction(() => {
    if (!options.keepOthers) conn.run("DELETE FROM data_attributes WHERE model = ?", model);
    for (const a of attributes) {
      conn.run(
        "INSERT OR REPLACE INTO data_attributes (model, name, full_name, label, description, " +
          "data_type, options, custom, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        model,
        storableText(a.name),
        storableText(a.full_name),
        storableText(a.label),
        storableText(a.description),
        storableText(a.data_type),
        a.options === null ? null : storableJson(a.options),
        a.custom ? 1 : 0,
        a.archived ? 1 : 0,
      );
    }
  });
}
