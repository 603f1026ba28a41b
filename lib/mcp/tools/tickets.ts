/** `search_tickets` and `get_ticket`: the synced Intercom tickets. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { StoredTicket, TicketHit, TicketSearch } from "../../store/support_types.ts";
import { isoFromSeconds } from "../../util/clock.ts";
import { parseTimeframeOrThrow, TIMEFRAME_FORMS } from "../../util/timeframe.ts";
import { freshness, type McpContext, nowSeconds, touchFreshness } from "../context.ts";
import { assigneeSchema, freshnessSchema } from "../output_schemas.ts";
import { filterKey, nextPageCursor, resumeCursor } from "../page_cursor.ts";
import { assigneeEntry, iso, personLabel } from "../present.ts";
import { unknownPlanNote } from "../plan_note.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

/** The tools' names. */
export const SEARCH_TICKETS = "search_tickets";
export const GET_TICKET = "get_ticket";

const STATES = ["submitted", "in_progress", "waiting_on_customer", "resolved"] as const;

/** Company filters shared by conversation and ticket search. */
export const companyFilterArgs = {
  company: z.string().max(200).optional().describe(
    'Only records of contacts in this company: its name (case-insensitive; "Acme*" for names ' +
      "starting with Acme) or Intercom id.",
  ),
  company_plan: z.string().max(200).optional().describe(
    'Only records of contacts in companies on this plan ("Enterprise"), case-insensitive.',
  ),
};

/** Arguments of `search_tickets`. */
export const searchTicketsInput = z.object({
  query: z.string().max(1000).optional().describe(
    "Words to find in the title, description and every reply and note (all must match); " +
      '"quoted phrases", prefix* and OR between two terms for either. Chinese, Japanese, ' +
      "Korean and Thai text is found as written, inside longer runs too. Omit to list by most " +
      "recent update.",
  ),
  state: z.enum(STATES).optional().describe("Only tickets in this state."),
  open: z.boolean().optional().describe("true: not resolved; false: resolved only."),
  category: z.enum(["Customer", "Back-office", "Tracker"]).optional().describe(
    "Customer (shared with the customer), Back-office (internal work) or Tracker (one " +
      "problem many tickets link to).",
  ),
  ticket_type: z.string().max(200).optional().describe("Ticket type name or id."),
  assignee: z.string().max(200).optional().describe("Teammate or team: id or name."),
  contact_id: z.string().max(64).optional().describe("Only this contact's tickets."),
  ...companyFilterArgs,
  timeframe: z.string().max(100).optional().describe(
    `Only tickets last updated in this window: ${TIMEFRAME_FORMS}.`,
  ),
  limit: z.number().int().min(1).max(100).optional().describe(
    "Results per page, 1–100. Default 20.",
  ),
  cursor: z.string().max(500).optional().describe(
    "next_cursor from the previous page (repeat the same filters).",
  ),
}).strict();

/** Arguments of `get_ticket`. */
export const getTicketInput = z.object({
  ticket_id: z.string().trim().min(1, "ticket_id must not be empty").max(100).describe(
    'The ticket: its id, its number as the inbox shows it ("#52" or "52"), or "ticket_<id>".',
  ),
  max_parts: z.number().int().min(1).max(1000).optional().describe(
    "Most parts (replies, notes, state changes) to return, the oldest first. Default 200.",
  ),
}).strict();

/** A ticket in a list. */
function ticketSummary(hit: Omit<TicketHit, "snippet" | "rank"> & { snippet?: string | null }) {
  return {
    id: hit.id,
    number: hit.ticket_number,
    title: hit.title,
    state: hit.state,
    state_label: hit.state_label,
    open: hit.open,
    category: hit.category,
    ticket_type: hit.ticket_type_name,
    created_at: isoFromSeconds(hit.created_at),
    updated_at: isoFromSeconds(hit.updated_at),
    assignee: assigneeEntry(hit),
    contact_ids: hit.contact_ids,
    parts_total: hit.parts_total,
    snippet: hit.snippet ?? null,
  };
}

const ticketSummarySchema = z.object({
  id: z.string(),
  number: z.string().nullable().describe("the number teammates and customers see"),
  title: z.string().nullable(),
  state: z.string().nullable(),
  state_label: z.string().nullable(),
  open: z.boolean(),
  category: z.string().nullable(),
  ticket_type: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  assignee: assigneeSchema,
  contact_ids: z.array(z.string()),
  parts_total: z.number(),
  snippet: z.string().nullable().describe("with a query: where the words matched, in [brackets]"),
});

function summaryLine(index: number, t: ReturnType<typeof ticketSummary>): string {
  const who = t.assignee.admin_name ?? t.assignee.team_name ?? "unassigned";
  return `${index}. Ticket #${t.number ?? t.id} (id ${t.id}) [${t.state_label ?? t.state}] ` +
    `${t.title ?? "(no title)"} — ${t.category ?? "ticket"}, ${t.ticket_type ?? "no type"}, ` +
    `${who}, updated ${t.updated_at}${t.snippet ? `\n   ${t.snippet}` : ""}`;
}

/** Runs `search_tickets`. */
export function searchTickets(
  ctx: McpContext,
  args: z.infer<typeof searchTicketsInput>,
): CallToolResult {
  touchFreshness(ctx);
  const { cursor: _, limit: __, ...filters } = args;
  const key = filterKey({ ...filters });
  const cursor = args.cursor === undefined ? null : resumeCursor(args.cursor, key);
  const window = cursor !== null
    ? { start: cursor.start, end: cursor.end }
    : args.timeframe !== undefined
    ? parseTimeframeOrThrow("timeframe", args.timeframe, nowSeconds(ctx))
    : { start: null, end: null };
  const offset = cursor?.offset ?? 0;
  const search: TicketSearch = {
    limit: args.limit ?? 20,
    offset,
    ...(args.query?.trim() ? { text: args.query } : {}),
    ...(args.state ? { state: args.state } : {}),
    ...(args.open !== undefined ? { open: args.open } : {}),
    ...(args.category ? { category: args.category } : {}),
    ...(args.ticket_type?.trim() ? { ticketType: args.ticket_type } : {}),
    ...(args.assignee?.trim() ? { assignee: args.assignee } : {}),
    ...(args.contact_id?.trim() ? { contactId: args.contact_id.trim() } : {}),
    ...(args.company?.trim() ? { company: args.company } : {}),
    ...(args.company_plan?.trim() ? { plan: args.company_plan } : {}),
    ...(window.start !== null ? { since: window.start } : {}),
    ...(window.end !== null ? { until: window.end } : {}),
  };
  const store = ctx.store.get();
  const { total, hits } = store.support.searchTickets(search);
  const tickets = hits.map(ticketSummary);
  const nextOffset = offset + hits.length;
  const structured = {
    total,
    returned: tickets.length,
    offset,
    next_cursor: nextPageCursor({ offset, returned: hits.length, total, key, window }),
    tickets,
    tickets_synced_until: iso(store.support.stream("tickets").cursor),
    freshness: freshness(ctx),
  };
  const planNote = total === 0 ? unknownPlanNote(store, args.company_plan) : null;
  const lines = total === 0 ? [`No tickets found.${planNote ? ` ${planNote}` : ""}`] : [
    `Found ${total} ticket${total === 1 ? "" : "s"}; showing ${offset + 1}–${nextOffset}.`,
    ...tickets.map((t, i) => summaryLine(offset + i + 1, t)),
  ];
  if (structured.next_cursor) {
    lines.push(`More results: call again with cursor "${structured.next_cursor}".`);
  }
  lines.push(
    structured.tickets_synced_until === null
      ? "No ticket sync has completed yet."
      : `Tickets are current up to ${structured.tickets_synced_until}.`,
  );
  return toolResult(lines.join("\n"), structured);
}

/** The ticket id `ref` names: an id, "#52", "52" or "ticket_<id>". */
export function ticketRef(ref: string): string {
  return ref.trim().replace(/^ticket_/, "").replace(/^#/, "");
}

/** A stored ticket as a tool result (its first `maxParts` parts). */
export function ticketEntry(ticket: StoredTicket, maxParts = 200) {
  const attributes = Object.entries(ticket.attributes)
    .filter(([name]) => name !== "_default_title_" && name !== "_default_description_")
    .map(([name, value]) => ({ name, value }));
  return {
    ...ticketSummary(ticket),
    description: ticket.description,
    ticket_type_id: ticket.ticket_type_id,
    snoozed_until: iso(ticket.snoozed_until),
    is_shared: ticket.is_shared,
    attributes,
    contacts: ticket.contacts,
    links: ticket.links,
    parts_truncated: ticket.parts_truncated,
    parts: ticket.parts.slice(0, maxParts).map((p, index) => ({
      index,
      id: p.id,
      type: p.part_type,
      author: { type: p.author_type, id: p.author_id, name: p.author_name, email: p.author_email },
      created_at: isoFromSeconds(p.created_at),
      body: p.body,
      state: p.ticket_state,
      previous_state: p.previous_ticket_state,
      assigned_to: p.assigned_to,
      attachments: p.attachments,
    })),
  };
}

const linkSchema = z.object({
  type: z.string(),
  id: z.string(),
  category: z.string().nullable(),
  title: z.string().nullable(),
  state: z.string().nullable(),
});
const attachmentSchema = z.object({
  name: z.string().nullable(),
  url: z.string().nullable(),
  content_type: z.string().nullable(),
  filesize: z.number().nullable(),
});

/** The shape of a ticket in `get_ticket` (and `fetch` metadata). */
export const ticketEntrySchema = ticketSummarySchema.extend({
  description: z.string().nullable(),
  ticket_type_id: z.string().nullable(),
  snoozed_until: z.string().nullable(),
  is_shared: z.boolean(),
  attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).describe(
    "the ticket type's attributes and their values",
  ),
  contacts: z.array(
    z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  ),
  links: z.array(linkSchema).describe("linked conversations and tickets"),
  parts_truncated: z.boolean(),
  parts: z.array(z.object({
    index: z.number(),
    id: z.string(),
    type: z.string(),
    author: z.object({
      type: z.string().nullable(),
      id: z.string().nullable(),
      name: z.string().nullable(),
      email: z.string().nullable(),
    }),
    created_at: z.string(),
    body: z.string().nullable(),
    state: z.string().nullable().describe("the ticket's state after this part"),
    previous_state: z.string().nullable(),
    assigned_to: z.object({ type: z.string().nullable(), id: z.string() }).nullable(),
    attachments: z.array(attachmentSchema),
  })),
});

/** The transcript of a ticket entry, for the text of `get_ticket` and `fetch`. */
export function ticketText(t: z.infer<typeof ticketEntrySchema>): string {
  const who = t.assignee.admin_name ?? t.assignee.team_name ?? t.assignee.admin_id ?? "nobody";
  const lines = [
    `Ticket #${t.number ?? t.id} (id ${t.id}) [${t.state_label ?? t.state}] ${t.title ?? ""}`
      .trim(),
    `${t.category ?? "Ticket"} · ${t.ticket_type ?? "no type"} · assigned to ${who} · ` +
    `created ${t.created_at}, updated ${t.updated_at}.`,
    ...(t.description ? [`Description: ${t.description}`] : []),
    `Contacts: ${t.contacts.map((c) => personLabel(c.name, c.email)).join(", ") || "none"}.`,
    ...(t.attributes.length > 0
      ? [
        `Attributes: ${
          t.attributes.map((a) => `${a.name}: ${JSON.stringify(a.value)}`).join("; ")
        }.`,
      ]
      : []),
    ...(t.links.length > 0
      ? [
        `Linked: ${
          t.links.map((l) =>
            `${l.type} ${l.id}${l.title ? ` "${l.title}"` : ""}${l.state ? ` [${l.state}]` : ""}`
          ).join("; ")
        }.`,
      ]
      : []),
    "",
    ...t.parts.map((p) => {
      const head = `[${p.index}] ${p.created_at} ${personLabel(p.author.name, p.author.email)} ` +
        `(${p.author.type ?? "unknown"}) — ${p.type}` +
        (p.previous_state && p.previous_state !== p.state
          ? ` (${p.previous_state} → ${p.state})`
          : "") +
        (p.assigned_to ? ` (assigned to ${p.assigned_to.type ?? ""} ${p.assigned_to.id})` : "");
      const files = p.attachments.map((a) =>
        `  attachment: ${a.name} (${a.content_type}, ${a.url})`
      );
      return [head, ...(p.body ? [p.body] : []), ...files].join("\n");
    }),
  ];
  return lines.join("\n");
}

/** Runs `get_ticket`. */
export function getTicket(ctx: McpContext, args: z.infer<typeof getTicketInput>): CallToolResult {
  touchFreshness(ctx);
  const ticket = ctx.store.get().support.getTicket(ticketRef(args.ticket_id));
  if (ticket === null) {
    throw new AppError(
      `ticket "${args.ticket_id}" is not in the local store: find ids and numbers with ` +
        "search_tickets (tickets are synced with conversations; a new one appears after the " +
        "next sync)",
    );
  }
  const entry = ticketEntry(ticket, args.max_parts ?? 200);
  const structured = { ticket: entry, freshness: freshness(ctx) };
  const more = ticket.parts.length - entry.parts.length;
  const text = ticketText(entry) +
    (more > 0 ? `\n\n[${more} later parts not shown: raise max_parts]` : "") +
    (ticket.parts_truncated
      ? "\n\nNote: Intercom returns at most the newest 500 parts; the oldest may be missing."
      : "");
  return toolResult(text, structured);
}

/** The shape of `search_tickets`' structured result. */
export const searchTicketsOutput = z.object({
  total: z.number(),
  returned: z.number(),
  offset: z.number(),
  next_cursor: z.string().nullable(),
  tickets: z.array(ticketSummarySchema),
  tickets_synced_until: z.string().nullable().describe(
    "every ticket updated before this time is stored",
  ),
  freshness: freshnessSchema,
});

/** The shape of `get_ticket`'s structured result. */
export const getTicketOutput = z.object({ ticket: ticketEntrySchema, freshness: freshnessSchema });

/** The `search_tickets` tool. */
export const searchTicketsTool = defineTool({
  name: SEARCH_TICKETS,
  title: "Search Intercom tickets",
  description: "Search the synced Intercom tickets by words (title, description and every reply " +
    "and note), state, category, ticket type, assignee, contact, the contacts' company or " +
    "plan, and last-update window. Ranked by relevance with words, else newest first; page " +
    "with cursor. Read one with get_ticket.",
  inputSchema: searchTicketsInput,
  outputSchema: searchTicketsOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: searchTickets,
});

/** The `get_ticket` tool. */
export const getTicketTool = defineTool({
  name: GET_TICKET,
  title: "Read an Intercom ticket",
  description: "One synced ticket in full: title, description, state, category, type and its " +
    "attributes, assignee, contacts, linked conversations and tickets, and every part in " +
    "order (replies, notes, state changes with from → to, assignments, attachments).",
  inputSchema: getTicketInput,
  outputSchema: getTicketOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: getTicket,
});
