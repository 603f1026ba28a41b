/** `get_conversation`: one whole thread, in order, within a size budget. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError, InputError } from "../../errors.ts";
import { CONVERSATION_REF_FORMS, parseConversationRef } from "../conversation_ref.ts";
import type { Store } from "../../store/store.ts";
import type { StoredConversation } from "../../store/types.ts";
import { isoFromSeconds } from "../../util/clock.ts";
import { freshness, type McpContext, touchFreshness } from "../context.ts";
import {
  attributesText,
  conversationHeader,
  type Message,
  message,
  messageText,
  personLabel,
} from "../present.ts";
import { assigneeSchema, customAttributesSchema, freshnessSchema } from "../output_schemas.ts";
import {
  conversationExtras,
  conversationExtrasSchema,
  extrasText,
  type MessageExtras,
  messageExtrasFields,
} from "../conversation_extras.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

/** The tool's name. */
export const GET_CONVERSATION = "get_conversation";

/** Default and largest `max_parts`. */
export const MAX_PARTS = { default: 100, max: 1000 } as const;
/** Default and largest `max_chars` (message text per answer). */
export const MAX_CHARS = { default: 40_000, max: 400_000 } as const;

/** An Intercom conversation id in any printed form (see conversation_ref.ts), or a number. */
export const conversationId = z.union([
  z.string().trim().min(1, "conversation_id must not be empty").max(500),
  z.number().int().nonnegative().transform(String),
]);

/** The id `ref` names, or an InputError saying which forms are understood. */
export function conversationIdOf(ref: string): string {
  const id = parseConversationRef(ref);
  if (id === null) {
    throw new InputError(
      `cannot read a conversation id from "${ref.slice(0, 200)}": give ${CONVERSATION_REF_FORMS}`,
    );
  }
  return id;
}

/** Arguments of `get_conversation`. */
export const getConversationInput = z.object({
  conversation_id: conversationId.describe(
    'The conversation: its id as search_conversations returns it ("215468132456"), or ' +
      '"#215468132456", "conversation_215468132456" or its Intercom inbox link.',
  ),
  max_parts: z.number().int().min(1).max(MAX_PARTS.max).optional().describe(
    `Most messages to return, 1–${MAX_PARTS.max}. Default ${MAX_PARTS.default}.`,
  ),
  max_chars: z.number().int().min(1000).max(MAX_CHARS.max).optional().describe(
    `Budget of message text in characters; longer threads continue with next_offset. ` +
      `Default ${MAX_CHARS.default}.`,
  ),
  offset: z.number().int().min(0).optional().describe(
    "Index of the first message to return (0 = the opening message). Use next_offset from " +
      "a previous answer to read on.",
  ),
}).strict();

type Args = z.infer<typeof getConversationInput>;

function notFound(store: Store, id: string): AppError {
  const cov = store.coverage();
  const span = cov.oldestCreatedAt === null
    ? "The local store holds no conversations yet"
    : `The local store holds conversations created since ${isoFromSeconds(cov.oldestCreatedAt)}`;
  return new AppError(
    `conversation "${id}" is not in the local store. ${span}; it may be older than the ` +
      "synced window or newer than the last sync. Check the id (from search_conversations), " +
      "or call sync_conversations (with days to reach further back) and try again.",
  );
}

function contactsOf(store: Store, conv: StoredConversation) {
  return conv.contact_ids.map((id) => {
    const c = store.getContact(id);
    return { id, name: c?.name ?? null, email: c?.email ?? null };
  });
}

/**
 * Picks the messages from `offset` within the part and character budgets. `conv.parts` may be
 * a page of the thread: `first` is the index of its first part (default 0) and `total` the
 * thread's length (default the parts given).
 */
export function selectMessages(
  conv: Pick<StoredConversation, "parts">,
  budget: { offset: number; maxParts: number; maxChars: number; first?: number; total?: number },
): { messages: Message[]; nextOffset: number | null } {
  const messages: Message[] = [];
  const first = budget.first ?? 0;
  const total = budget.total ?? first + conv.parts.length;
  let chars = 0;
  let index = budget.offset;
  for (; index < total && messages.length < budget.maxParts; index++) {
    const part = conv.parts[index - first];
    if (part === undefined) throw new RangeError(`message ${index} is not in the page read`);
    let body = part.body;
    const length = body?.length ?? 0;
    if (messages.length > 0 && chars + length > budget.maxChars) break;
    if (body !== null && length > budget.maxChars) {
      body = `${body.slice(0, budget.maxChars)}… [message cut at ${budget.maxChars} characters]`;
    }
    chars += Math.min(length, budget.maxChars);
    messages.push(message(part, { index, body }));
  }
  return { messages, nextOffset: index < total ? index : null };
}

function capNote(conv: StoredConversation): string | null {
  if (!conv.parts_truncated) return null;
  return `Intercom returns at most the newest 500 parts of a conversation: this one has ` +
    `${conv.parts_total} parts and ${conv.parts_stored} are stored locally, so the earliest ` +
    "replies may be missing.";
}

/** A message with its assignment target and attachments, for the transcript. */
export function messageWithExtrasText(m: Message & MessageExtras): string {
  const extra = [
    ...(m.assigned_to ? [`  assigned to ${m.assigned_to.type ?? ""} ${m.assigned_to.id}`] : []),
    ...m.attachments.map((a) =>
      `  attachment: ${a.name ?? "(unnamed)"} (${a.content_type ?? "unknown type"}` +
      `${a.filesize !== null ? `, ${a.filesize} bytes` : ""}) ${a.url ?? ""}`.trimEnd()
    ),
  ];
  return [messageText(m), ...extra].join("\n");
}

/** Runs `get_conversation` against the context. */
export async function getConversation(ctx: McpContext, args: Args): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  const id = conversationIdOf(args.conversation_id);
  const offset = args.offset ?? 0;
  const maxParts = args.max_parts ?? MAX_PARTS.default;
  // only the messages the answer can hold: at most maxParts from offset
  const page = store.getConversationPage(id, { offset, limit: maxParts });
  if (page === null) throw notFound(store, id);
  const { conversation: conv, total } = page;
  if (offset > 0 && offset >= total) {
    throw new AppError(
      `offset ${offset} is past the end of conversation "${id}", which has ` +
        `${total} messages (0–${total - 1})`,
    );
  }
  const { messages, nextOffset } = selectMessages(conv, {
    offset,
    maxParts,
    maxChars: args.max_chars ?? MAX_CHARS.default,
    first: offset,
    total,
  });
  const link = await ctx.workspace.links();
  const header = conversationHeader(conv, {
    link,
    contacts: contactsOf(store, conv),
    labels: store.support.attributeLabels("conversation"),
  });
  const note = capNote(conv);
  const { extras, messages: perMessage } = conversationExtras(store, page);
  const withExtras = messages.map((m) => ({
    ...m,
    attachments: perMessage.get(m.id)?.attachments ?? [],
    assigned_to: perMessage.get(m.id)?.assigned_to ?? null,
  }));
  const structured = {
    conversation: header,
    extras,
    messages: withExtras,
    total_messages: total,
    offset,
    returned_messages: messages.length,
    next_offset: nextOffset,
    truncated_by_intercom: conv.parts_truncated,
    note,
    freshness: freshness(ctx),
  };
  const lines = [
    `Conversation #${header.id} [${header.state}] ${header.subject ?? header.title ?? ""}`.trim(),
    `Created ${header.created_at}, updated ${header.updated_at}; contacts: ${
      header.contacts.map((c) => personLabel(c.name, c.email)).join(", ") || "none"
    }; assigned to ${
      header.assignee.admin_name ?? header.assignee.team_name ?? header.assignee.admin_id ??
        "nobody"
    }${header.tags.length > 0 ? `; tags: ${header.tags.join(", ")}` : ""}.`,
    ...(header.url ? [header.url] : []),
    ...attributesText(header.custom_attributes),
    ...extrasText(extras),
    ...(note ? [`Note: ${note}`] : []),
    `Messages ${offset}–${offset + messages.length - 1} of ${total}:`,
    "",
    withExtras.map(messageWithExtrasText).join("\n\n"),
  ];
  if (nextOffset !== null) {
    lines.push("", `More messages: call again with offset ${nextOffset}.`);
  }
  lines.push("", structured.freshness.note);
  return toolResult(lines.join("\n"), structured);
}

const person = { name: z.string().nullable(), email: z.string().nullable() };

/** The shape of `get_conversation`'s structured result. */
export const getConversationOutput = z.object({
  conversation: z.object({
    id: z.string(),
    url: z.string().nullable(),
    title: z.string().nullable(),
    subject: z.string().nullable(),
    state: z.string(),
    open: z.boolean(),
    read: z.boolean(),
    priority: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    waiting_since: z.string().nullable(),
    snoozed_until: z.string().nullable(),
    source: z.object({
      type: z.string().nullable(),
      delivered_as: z.string().nullable(),
      url: z.string().nullable(),
    }),
    assignee: assigneeSchema,
    contacts: z.array(z.object({ id: z.string(), ...person })),
    tags: z.array(z.string()),
    customer_messages: z.number(),
    teammate_messages: z.number(),
    rating: z.record(z.unknown()).nullable(),
    custom_attributes: customAttributesSchema,
    parts_total: z.number(),
    parts_stored: z.number(),
    parts_truncated: z.boolean(),
    synced_at: z.string(),
  }),
  extras: conversationExtrasSchema,
  messages: z.array(z.object({
    index: z.number().describe("position in the thread; 0 is the opening message"),
    id: z.string(),
    type: z.string(),
    author: z.object({ type: z.string().nullable(), id: z.string().nullable(), ...person }),
    created_at: z.string(),
    body: z.string().nullable(),
    redacted: z.boolean(),
    ...messageExtrasFields,
  })),
  total_messages: z.number(),
  offset: z.number(),
  returned_messages: z.number(),
  next_offset: z.number().nullable().describe("pass as offset to read on; null at the end"),
  truncated_by_intercom: z.boolean(),
  note: z.string().nullable(),
  freshness: freshnessSchema,
});

/** The `get_conversation` tool. */
export const getConversationTool = defineTool({
  name: GET_CONVERSATION,
  title: "Read an Intercom conversation",
  description: "Read one synced conversation in full and in order: the opening message and every " +
    "reply, note and state change with author and time (assignments with their target, " +
    "attachments with name, type, size and link), plus its contacts, assignee, tags, SLA, " +
    "topics, linked tickets, inbox link, and whether Fin answered and where a human took " +
    "over. Very long threads are split: read on with next_offset. Says so when Intercom's " +
    "500-part limit cut the oldest replies.",
  inputSchema: getConversationInput,
  outputSchema: getConversationOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: getConversation,
});
