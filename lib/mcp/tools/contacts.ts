/** `search_contacts` and `get_contact`: the synced users and leads. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { freshness, type McpContext, touchFreshness } from "../context.ts";
import { filterKey, nextPageCursor, resumeCursor } from "../page_cursor.ts";
import {
  contactDetail,
  contactDetailText,
  contactEntry,
  conversationSummary,
  personLabel,
  summaryText,
} from "../present.ts";
import {
  contactDetailSchema,
  contactSchema,
  conversationSummarySchema,
  freshnessSchema,
} from "../output_schemas.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

/** The tools' names. */
export const SEARCH_CONTACTS = "search_contacts";
export const GET_CONTACT = "get_contact";

/** Arguments of `search_contacts`. */
export const searchContactsInput = z.object({
  query: z.string().max(320).optional().describe(
    "Part of a name, email or external id (case-insensitive). Omit to list recent contacts.",
  ),
  email: z.string().max(320).optional().describe("Exact email (case-insensitive)."),
  limit: z.number().int().min(1).max(100).optional().describe(
    "Results per page, 1–100. Default 20.",
  ),
  cursor: z.string().max(500).optional().describe(
    "next_cursor from the previous page (repeat the same query and email).",
  ),
}).strict();

/** Arguments of `get_contact`. */
export const getContactInput = z.object({
  contact_id: z.string().trim().min(1, "contact_id must not be empty").max(64).describe(
    "The contact's Intercom id (from search_contacts or a conversation's contacts).",
  ),
}).strict();

/** Runs `search_contacts`. */
export function searchContacts(
  ctx: McpContext,
  args: z.infer<typeof searchContactsInput>,
): CallToolResult {
  touchFreshness(ctx);
  const key = filterKey({
    query: args.query?.trim() ?? null,
    email: args.email?.trim().toLowerCase() ?? null,
  });
  const offset = args.cursor === undefined ? 0 : resumeCursor(args.cursor, key).offset;
  const store = ctx.store.get();
  const { total, contacts } = store.searchContacts({
    limit: args.limit ?? 20,
    offset,
    ...(args.query?.trim() ? { text: args.query } : {}),
    ...(args.email?.trim() ? { email: args.email } : {}),
  });
  const labels = store.support.attributeLabels("contact");
  const nextOffset = offset + contacts.length;
  const structured = {
    total,
    returned: contacts.length,
    offset,
    next_cursor: nextPageCursor({ offset, returned: contacts.length, total, key }),
    contacts: contacts.map((c) => contactEntry(c, labels)),
    freshness: freshness(ctx),
  };
  const lines = total === 0 ? ["No contacts found."] : [
    `Found ${total} contact${total === 1 ? "" : "s"}; showing ${offset + 1}–${nextOffset}.`,
    ...structured.contacts.map((c, i) =>
      `${offset + i + 1}. ${personLabel(c.name, c.email)} — id ${c.id}, ${c.role ?? "contact"}` +
      `${c.last_seen_at ? `, last seen ${c.last_seen_at}` : ""}`
    ),
  ];
  if (structured.next_cursor) {
    lines.push(`More results: call again with cursor "${structured.next_cursor}".`);
  }
  lines.push(structured.freshness.note);
  return toolResult(lines.join("\n"), structured);
}

/** Runs `get_contact`: the contact and its most recent conversations. */
export async function getContact(
  ctx: McpContext,
  args: z.infer<typeof getContactInput>,
): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  const contact = store.getContact(args.contact_id);
  if (contact === null) {
    throw new AppError(
      `contact "${args.contact_id}" is not in the local store: only contacts taking part in ` +
        "synced conversations are stored; find ids with search_contacts",
    );
  }
  const recent = contact.email
    ? store.searchConversations({ customerEmail: contact.email, limit: 10 })
    : { total: 0, hits: [] };
  const link = await ctx.workspace.links();
  const conversations = recent.hits.map((h) => conversationSummary(h, link));
  const entry = contactDetail(contact, {
    labels: store.support.attributeLabels("contact"),
    extras: store.support.contactExtras(contact.id),
  });
  const structured = {
    contact: entry,
    conversations_total: recent.total,
    recent_conversations: conversations,
    freshness: freshness(ctx),
  };
  const lines = [
    `${personLabel(entry.name, entry.email)} — id ${entry.id}, ${entry.role ?? "contact"}` +
    `${entry.external_id ? `, external id ${entry.external_id}` : ""}` +
    `${entry.phone ? `, phone ${entry.phone}` : ""}.`,
    `Created ${entry.created_at ?? "unknown"}, last seen ${entry.last_seen_at ?? "unknown"}.`,
    ...contactDetailText(entry),
    contact.email
      ? `${recent.total} conversation${recent.total === 1 ? "" : "s"} with this email` +
        (conversations.length > 0 ? `; the latest ${conversations.length}:` : ".")
      : "No email, so conversations cannot be matched to this contact by email.",
    ...conversations.map((c, i) => summaryText(i + 1, c)),
    structured.freshness.note,
  ];
  return toolResult(lines.join("\n"), structured);
}

/** The shape of `search_contacts`' structured result. */
export const searchContactsOutput = z.object({
  total: z.number(),
  returned: z.number(),
  offset: z.number(),
  next_cursor: z.string().nullable(),
  contacts: z.array(contactSchema),
  freshness: freshnessSchema,
});

/** The shape of `get_contact`'s structured result. */
export const getContactOutput = z.object({
  contact: contactDetailSchema,
  conversations_total: z.number().describe("stored conversations with this contact's email"),
  recent_conversations: z.array(conversationSummarySchema),
  freshness: freshnessSchema,
});

/** The `search_contacts` tool. */
export const searchContactsTool = defineTool({
  name: SEARCH_CONTACTS,
  title: "Search Intercom contacts",
  description:
    "Find synced Intercom contacts (users and leads that took part in synced conversations) " +
    "by part of their name, email or external id, or by exact email. Returns ids for " +
    "get_contact and emails for search_conversations' customer_email.",
  inputSchema: searchContactsInput,
  outputSchema: searchContactsOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: searchContacts,
});

/** The `get_contact` tool. */
export const getContactTool = defineTool({
  name: GET_CONTACT,
  title: "Read an Intercom contact",
  description: "One synced contact's details (name, email, role, external id, phone, last " +
    "seen, custom attributes with their labels, tags, companies with plan, location, owner) " +
    "with their ten most recent conversations.",
  inputSchema: getContactInput,
  outputSchema: getContactOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: getContact,
});
