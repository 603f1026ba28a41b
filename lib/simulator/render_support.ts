/**
 * Renders tickets, ticket types, companies, data attributes and the conversation extras
 * (attachments, linked objects, SLA, topics, AI agent) as Intercom's 2.11 API returns them.
 */
import {
  type SimAiAgent,
  type SimAttachment,
  type SimCompany,
  type SimDataAttribute,
  type SimLink,
  type SimSla,
  type SimTicket,
  type SimTicketPart,
  type SimTicketType,
  type SimTopic,
  TICKET_STATE_LABELS,
} from "./support_records.ts";
import type { SimAuthor, SimContact, Workspace } from "./workspace.ts";

/** Parts `GET /tickets/{id}` returns, the newest (as for conversations). */
export const DEFAULT_TICKET_PARTS_CAP = 500;

/** Attachments as `part_attachment` objects. */
export function renderAttachments(attachments: readonly SimAttachment[] | undefined) {
  return (attachments ?? []).map((a) => ({ type: "upload", ...a }));
}

/** `linked_objects`: a list of references (never paged: `has_more` false). */
export function renderLinkedObjects(links: readonly SimLink[] | undefined) {
  const data = (links ?? []).map((l) => ({ type: l.type, id: l.id, category: l.category }));
  return { type: "list", data, total_count: data.length, has_more: false };
}

/** `sla_applied`, or null. */
export function renderSla(sla: SimSla | null | undefined) {
  return sla
    ? { type: "conversation_sla_summary", sla_name: sla.name, sla_status: sla.status }
    : null;
}

/**
 * `topics`: 2.11 requires it without describing it, and its examples show `{}`; Intercom's
 * conversation model documents `{type: "topic.list", topics, total_count}`. Both appear.
 */
export function renderTopics(topics: readonly SimTopic[] | undefined) {
  if (!topics || topics.length === 0) return {};
  return {
    type: "topic.list",
    topics: topics.map((t) => ({ type: "topic", id: t.id, name: t.name })),
    total_count: topics.length,
  };
}

/** `ai_agent`, or null. */
export function renderAiAgent(agent: SimAiAgent | null | undefined) {
  if (!agent) return null;
  return {
    source_type: agent.source_type,
    source_title: agent.source_title,
    last_answer_type: agent.last_answer_type,
    resolution_state: agent.resolution_state,
    rating: agent.rating,
    rating_remark: agent.rating_remark,
    content_sources: {
      type: "content_source.list",
      total_count: agent.content_sources.length,
      content_sources: agent.content_sources.map((s) => ({ ...s, locale: "en" })),
    },
  };
}

/** A ticket type with its attributes. */
export function renderTicketType(ws: Workspace, type: SimTicketType): Record<string, unknown> {
  return {
    type: "ticket_type",
    id: type.id,
    category: type.category,
    name: type.name,
    description: type.description,
    icon: type.icon,
    workspace_id: ws.app.id_code,
    ticket_type_attributes: {
      type: "list",
      data: type.attributes.map((a) => ({
        type: "ticket_type_attribute",
        id: a.id,
        workspace_id: ws.app.id_code,
        name: a.name,
        description: a.description,
        data_type: a.data_type,
        input_options: a.options
          ? { list_options: a.options.map((label, i) => ({ id: `${a.id}-${i}`, label })) }
          : null,
        order: a.order,
        required_to_create: a.required_to_create,
        required_to_create_for_contacts: false,
        visible_on_create: true,
        visible_to_contacts: a.visible_to_contacts,
        default: a.default,
        ticket_type_id: Number(type.id),
        archived: false,
        created_at: a.created_at,
        updated_at: a.created_at,
      })),
    },
    archived: type.archived,
    created_at: type.created_at,
    updated_at: type.updated_at,
  };
}

/** A ticket part author: the description's `ticket_part_author` (contacts are "user"s). */
function renderTicketAuthor(author: SimAuthor) {
  const type = author.type === "lead" ? "user" : author.type;
  return { type, id: author.id, name: author.name, email: author.email ?? "" };
}

function renderTicketPart(part: SimTicketPart) {
  return {
    type: "ticket_part",
    id: part.id,
    part_type: part.part_type,
    body: part.body,
    ...(part.previous_ticket_state ? { previous_ticket_state: part.previous_ticket_state } : {}),
    ticket_state: part.ticket_state,
    created_at: part.created_at,
    updated_at: part.created_at,
    assigned_to: part.assigned_to && { ...part.assigned_to },
    author: renderTicketAuthor(part.author),
    attachments: renderAttachments(part.attachments),
    external_id: null,
    redacted: false,
  };
}

/** Options of {@link renderTicket}. */
export interface TicketRenderOptions {
  /** Include `ticket_parts` (the newest `partsCap`). Default true. */
  parts?: boolean;
  /** Default 500, as for conversations. */
  partsCap?: number;
}

/** A ticket as `GET /tickets/{id}` (with parts) or search (without) returns it. */
export function renderTicket(
  ws: Workspace,
  ticket: SimTicket,
  options: TicketRenderOptions = {},
): Record<string, unknown> {
  const contacts = ticket.contact_ids.map((id) => ({
    type: "contact",
    id,
    external_id: ws.contactsById.get(id)?.external_id ?? null,
  }));
  const cap = Math.max(0, options.partsCap ?? DEFAULT_TICKET_PARTS_CAP);
  const parts = cap === 0 ? [] : ticket.parts.slice(-cap);
  const body: Record<string, unknown> = {
    type: "ticket",
    id: ticket.id,
    ticket_id: ticket.ticket_id,
    category: ticket.type.category,
    ticket_attributes: { ...ticket.attributes },
    ticket_state: ticket.state,
    ticket_type: renderTicketType(ws, ticket.type),
    contacts: { type: "contact.list", contacts },
    // The description's examples show "0" for a ticket nobody is assigned to.
    admin_assignee_id: ticket.admin_assignee_id ?? "0",
    team_assignee_id: ticket.team_assignee_id ?? "0",
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    open: ticket.state !== "resolved",
    ...(ticket.snoozed_until !== null ? { snoozed_until: ticket.snoozed_until } : {}),
    linked_objects: renderLinkedObjects(ticket.linked),
    ...(options.parts === false ? {} : {
      ticket_parts: {
        type: "ticket_part.list",
        ticket_parts: parts.map(renderTicketPart),
        total_count: ticket.parts.length,
      },
    }),
    is_shared: ticket.is_shared,
    ticket_state_internal_label: TICKET_STATE_LABELS[ticket.state],
    ticket_state_external_label: TICKET_STATE_LABELS[ticket.state],
  };
  // Only `GET /tickets/{id}` is broken: search still lists the ticket, as for conversations.
  if (ticket.quirks?.malformed && options.parts !== false) body.updated_at = "malformed";
  if (ticket.quirks?.malformedInSearch && options.parts === false) body.updated_at = "malformed";
  return body;
}

/** The number of contacts in each company (its `user_count`). */
export function companyUserCounts(contacts: readonly SimContact[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const contact of contacts) {
    if (contact.merged_into !== undefined) continue;
    for (const id of contact.company_ids ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** A company; optional fields it never had are left out, as in the description's examples. */
export function renderCompany(
  ws: Workspace,
  company: SimCompany,
  userCount: number,
): Record<string, unknown> {
  const optional = (key: string, value: unknown) => (value === null ? {} : { [key]: value });
  return {
    type: "company",
    id: company.id,
    name: company.name,
    app_id: ws.app.id_code,
    plan: company.plan ? { type: "plan", id: company.plan.id, name: company.plan.name } : {},
    company_id: company.company_id,
    remote_created_at: company.remote_created_at,
    created_at: company.created_at,
    updated_at: company.quirks?.malformed ? "malformed" : company.updated_at,
    ...optional("last_request_at", company.last_request_at),
    ...optional("size", company.size),
    ...optional("website", company.website),
    ...optional("industry", company.industry),
    monthly_spend: company.monthly_spend,
    session_count: company.session_count,
    user_count: userCount,
    custom_attributes: { ...company.custom_attributes },
    tags: {
      type: "tag.list",
      tags: company.tag_ids.map((id) => ({
        type: "tag",
        id,
        name: ws.tags.find((t) => t.id === id)?.name ?? id,
      })),
    },
    segments: { type: "segment.list", segments: [] },
  };
}

/** A data attribute definition. */
export function renderDataAttribute(a: SimDataAttribute): Record<string, unknown> {
  return {
    type: "data_attribute",
    ...(a.id === null ? {} : { id: a.id }),
    model: a.model,
    name: a.quirks?.malformed ? null : a.name,
    full_name: a.full_name,
    label: a.label,
    description: a.description,
    data_type: a.data_type,
    ...(a.options ? { options: [...a.options] } : {}),
    api_writable: a.custom,
    ui_writable: a.custom,
    messenger_writable: !a.custom,
    custom: a.custom,
    archived: a.archived,
  };
}
