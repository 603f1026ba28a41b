/**
 * `search` and `fetch`: the pair ChatGPT connectors and deep-research clients require.
 * `search(query)` answers `{ results: [{ id, title, url }] }` and `fetch(id)` answers
 * `{ id, title, text, url, metadata }`, each also as the JSON text of the one content item
 * (the shape those clients read). Ids are `conversation_<id>`, `ticket_<id>`, `company_<id>`
 * and `contact_<id>`; `fetch` also takes every form `get_conversation` does. The other tools stay for clients that can use
 * their filters and paging.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError, InputError } from "../../errors.ts";
import { redactValue } from "../../logging/redact.ts";
import { isoFromSeconds } from "../../util/clock.ts";
import { type McpContext, touchFreshness } from "../context.ts";
import { CONVERSATION_REF_FORMS, parseConversationRef } from "../conversation_ref.ts";
import { contactDetail, contactDetailText, messageText, personLabel } from "../present.ts";
import { defineTool } from "../tool_definition.ts";
import { conversationUri } from "../resources.ts";
import { contactUrl } from "../workspace.ts";
import { MAX_CHARS, selectMessages } from "./get_conversation.ts";
import { companyEntry, companyText } from "./companies.ts";
import { ticketEntry, ticketText } from "./tickets.ts";

/** Results `search` returns: conversations first, then tickets, companies and contacts. */
const SEARCH_CONVERSATIONS = 20;
const SEARCH_TICKETS = 10;
const SEARCH_COMPANIES = 5;
const SEARCH_CONTACTS = 5;
/** The text `fetch` returns of a conversation, at most (the first messages that fit). */
const FETCH_CHARS = 100_000;

/** Arguments of `search`. */
export const searchInput = z.object({
  query: z.string().max(1000).describe(
    "Words to find in Intercom conversations, tickets, companies and contacts; " +
      '"quoted phrases", OR, prefix*.',
  ),
}).strict();

/** Arguments of `fetch`. */
export const fetchInput = z.object({
  id: z.string().trim().min(1, "id must not be empty").max(500).describe(
    'An id from search ("conversation_215468132456", "ticket_490", "company_667d…", ' +
      '"contact_6543…"), or a conversation id, #id or Intercom inbox link.',
  ),
}).strict();

const resultSchema = z.object({ id: z.string(), title: z.string(), url: z.string() });

/** The shape of `search`' result. */
export const searchOutput = z.object({ results: z.array(resultSchema) });

/** The shape of `fetch`'s result. */
export const fetchOutput = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  url: z.string(),
  metadata: z.record(z.unknown()),
});

/** The result as those clients read it: its JSON as the one text item, and structured. */
function jsonResult(value: Record<string, unknown>): CallToolResult {
  const safe = redactValue(value) as Record<string, unknown>;
  return { content: [{ type: "text", text: JSON.stringify(safe) }], structuredContent: safe };
}

function contactLink(ctx: McpContext, contactId: string): string {
  const workspaceId = ctx.workspace.current;
  return workspaceId === null
    ? `intercom://contacts/${contactId}`
    : contactUrl(workspaceId, contactId, ctx.workspace.region);
}

/** Runs `search`. */
export async function search(
  ctx: McpContext,
  args: z.infer<typeof searchInput>,
): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  const text = args.query.trim();
  const link = await ctx.workspace.links();
  const conversations = text === ""
    ? []
    // a hit's title is its subject or title, its snippet only when it has neither
    : store.searchConversations({ text, limit: SEARCH_CONVERSATIONS, snippets: "untitled" }).hits;
  // Contacts are matched by a scan of them all, so only for a query naming an email or domain.
  const contacts = text.includes("@")
    ? store.searchContacts({ text, limit: SEARCH_CONTACTS }).contacts
    : [];
  const tickets = text === ""
    ? []
    : store.support.searchTickets({ text, limit: SEARCH_TICKETS }).hits;
  const companies = text === ""
    ? []
    : store.support.searchCompanies({ text, limit: SEARCH_COMPANIES }).hits;
  return jsonResult({
    results: [
      ...conversations.map((hit) => ({
        id: `conversation_${hit.id}`,
        title: `#${hit.id} ${hit.source_subject ?? hit.title ?? hit.snippet ?? ""}`.trim()
          .slice(0, 200),
        url: link(hit.id) ?? conversationUri(hit.id),
      })),
      ...tickets.map((t) => ({
        id: `ticket_${t.id}`,
        title: `Ticket #${t.ticket_number ?? t.id} [${t.state_label ?? t.state ?? ""}] ${
          t.title ?? ""
        }`.trim().slice(0, 200),
        url: ticketUri(t.id),
      })),
      ...companies.map((c) => ({
        id: `company_${c.id}`,
        title: `Company: ${c.name ?? c.id}${c.plan ? ` (${c.plan})` : ""}`.slice(0, 200),
        url: companyUri(c.id),
      })),
      ...contacts.map((c) => ({
        id: `contact_${c.id}`,
        title: `Contact: ${personLabel(c.name, c.email)}`,
        url: contactLink(ctx, c.id),
      })),
    ],
  });
}

async function fetchConversation(ctx: McpContext, id: string): Promise<CallToolResult> {
  const store = ctx.store.get();
  const conv = store.getConversation(id);
  if (conv === null) {
    throw new AppError(`conversation "${id}" is not in the local store; find ids with search`);
  }
  const { messages, nextOffset } = selectMessages(conv, {
    offset: 0,
    maxParts: conv.parts.length,
    maxChars: Math.min(FETCH_CHARS, MAX_CHARS.max),
  });
  const title = conv.source_subject ?? conv.title ?? `Conversation #${conv.id}`;
  const text = [
    `${title} (${conv.state}; created ${isoFromSeconds(conv.created_at)}, updated ` +
    `${isoFromSeconds(conv.updated_at)})`,
    "",
    ...messages.map(messageText),
    ...(nextOffset === null
      ? []
      : [`[${conv.parts.length - nextOffset} later messages not shown: use get_conversation]`]),
  ].join("\n\n");
  const link = await ctx.workspace.links();
  return jsonResult({
    id: `conversation_${conv.id}`,
    title,
    text,
    url: link(conv.id) ?? conversationUri(conv.id),
    metadata: {
      type: "conversation",
      state: conv.state,
      created_at: isoFromSeconds(conv.created_at),
      updated_at: isoFromSeconds(conv.updated_at),
      customer: personLabel(conv.source_author_name, conv.source_author_email),
      assignee: conv.admin_assignee_name ?? conv.team_assignee_name ?? conv.admin_assignee_id,
      tags: conv.tag_names,
      messages: conv.parts.length,
      truncated_by_intercom: conv.parts_truncated,
    },
  });
}

function fetchContact(ctx: McpContext, id: string): CallToolResult {
  const store = ctx.store.get();
  const contact = store.getContact(id);
  if (contact === null) {
    throw new AppError(`contact "${id}" is not in the local store; find ids with search`);
  }
  const entry = contactDetail(contact, {
    labels: store.support.attributeLabels("contact"),
    extras: store.support.contactExtras(contact.id),
  });
  const recent = contact.email
    ? store.searchConversations({ customerEmail: contact.email, limit: 10 }).hits
    : [];
  const text = [
    `${personLabel(entry.name, entry.email)}: ${entry.role ?? "contact"}` +
    `${entry.external_id ? `, external id ${entry.external_id}` : ""}` +
    `${entry.phone ? `, phone ${entry.phone}` : ""}; created ${entry.created_at ?? "unknown"}, ` +
    `last seen ${entry.last_seen_at ?? "unknown"}.`,
    ...contactDetailText(entry),
    ...(recent.length > 0
      ? [
        "Recent conversations:",
        ...recent.map((h) =>
          `conversation_${h.id} [${h.state}] ${h.source_subject ?? h.title ?? ""} ` +
          `(updated ${isoFromSeconds(h.updated_at)})`
        ),
      ]
      : []),
  ].join("\n");
  return jsonResult({
    id: `contact_${id}`,
    title: `Contact: ${personLabel(entry.name, entry.email)}`,
    text,
    url: contactLink(ctx, id),
    metadata: { type: "contact", ...entry },
  });
}

/** The URI of a ticket (Intercom's web app has no stable ticket link the API gives). */
function ticketUri(id: string): string {
  return `intercom://tickets/${encodeURIComponent(id)}`;
}

/** The URI of a company. */
function companyUri(id: string): string {
  return `intercom://companies/${encodeURIComponent(id)}`;
}

function fetchTicket(ctx: McpContext, id: string): CallToolResult {
  const ticket = ctx.store.get().support.getTicket(id);
  if (ticket === null) {
    throw new AppError(`ticket "${id}" is not in the local store; find ids with search`);
  }
  const entry = ticketEntry(ticket, 1000);
  const { parts: _, ...metadata } = entry;
  return jsonResult({
    id: `ticket_${ticket.id}`,
    title: `Ticket #${entry.number ?? entry.id}: ${entry.title ?? ""}`.trim(),
    text: ticketText(entry).slice(0, FETCH_CHARS),
    url: ticketUri(ticket.id),
    metadata: { type: "ticket", ...metadata },
  });
}

function fetchCompany(ctx: McpContext, id: string): CallToolResult {
  const company = ctx.store.get().support.getCompany(id);
  if (company === null) {
    throw new AppError(`company "${id}" is not in the local store; find ids with search`);
  }
  const entry = companyEntry(company);
  return jsonResult({
    id: `company_${company.id}`,
    title: `Company: ${entry.name ?? entry.id}`,
    text: companyText(entry),
    url: companyUri(company.id),
    metadata: { type: "company", ...entry },
  });
}

/** Runs `fetch`. */
export async function fetchDocument(
  ctx: McpContext,
  args: z.infer<typeof fetchInput>,
): Promise<CallToolResult> {
  touchFreshness(ctx);
  const contact = /^contact_(.+)$/.exec(args.id.trim());
  if (contact) return fetchContact(ctx, contact[1]!);
  const ticket = /^ticket_(.+)$/.exec(args.id.trim());
  if (ticket) return fetchTicket(ctx, ticket[1]!);
  const company = /^company_(.+)$/.exec(args.id.trim());
  if (company) return fetchCompany(ctx, company[1]!);
  const id = parseConversationRef(args.id);
  if (id === null) {
    throw new InputError(
      `cannot read an id from "${args.id.slice(0, 200)}": give an id from search ` +
        `("conversation_…", "ticket_…", "company_…", "contact_…"), or ${CONVERSATION_REF_FORMS}`,
    );
  }
  return await fetchConversation(ctx, id);
}

/** The `search` tool. */
export const searchTool = defineTool({
  name: "search",
  title: "Search Intercom (conversations, tickets, companies, contacts)",
  description: "Search the synced Intercom conversations (subjects and every message), tickets " +
    "(titles, descriptions and every part) and companies by words, and contacts when the query " +
    "holds an email or @domain; returns up to 20 conversations, 10 tickets, 5 companies and 5 " +
    "contacts as {id, title, url}. Read one with fetch. For filters and paging use " +
    "search_conversations, search_tickets or search_companies.",
  inputSchema: searchInput,
  outputSchema: searchOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: search,
});

/** The `fetch` tool. */
export const fetchTool = defineTool({
  name: "fetch",
  title: "Fetch an Intercom conversation, ticket, company or contact",
  description: "The full text of a result of search: a conversation's messages in order, a " +
    "ticket with every part, a company with its contacts and counts, or a contact with their " +
    "recent conversations, with its link and metadata.",
  inputSchema: fetchInput,
  outputSchema: fetchOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: fetchDocument,
});
