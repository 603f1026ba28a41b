/**
 * `get_conversation` as it was before it read only the page it returns (commit dc8537e): the
 * whole conversation read with every part and body, the extras (attachment count, Fin's
 * handoff) computed by walking all parts. Kept as the reference the paged tool must equal.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "../../../lib/errors.ts";
import { freshness, type McpContext, touchFreshness } from "../../../lib/mcp/context.ts";
import {
  type conversationExtrasSchema,
  extrasText,
  type MessageExtras,
} from "../../../lib/mcp/conversation_extras.ts";
import {
  attributesText,
  conversationHeader,
  type Message,
  message,
  personLabel,
} from "../../../lib/mcp/present.ts";
import { toolResult } from "../../../lib/mcp/tool_result.ts";
import {
  conversationIdOf,
  MAX_CHARS,
  MAX_PARTS,
  messageWithExtrasText,
} from "../../../lib/mcp/tools/get_conversation.ts";
import type { Store } from "../../../lib/store/store.ts";
import type { StoredConversation } from "../../../lib/store/types.ts";
import { isoFromSeconds } from "../../../lib/util/clock.ts";
import type { z } from "zod";

interface HandoffPart {
  id: string;
  part_type: string;
  author_type: string | null;
  created_at: number;
  assigned_to_type?: string | null;
}

function finHandoff(parts: readonly HandoffPart[]) {
  const first = parts.findIndex((p) => p.part_type === "comment" && p.author_type === "bot");
  if (first < 0) return { first_answer: null, human_takeover: null };
  const answer = parts[first]!;
  for (const part of parts.slice(first + 1)) {
    if (part.part_type === "comment" && part.author_type === "admin") {
      return {
        first_answer: { part_id: answer.id, at: answer.created_at },
        human_takeover: { part_id: part.id, at: part.created_at, how: "reply" as const },
      };
    }
    if (part.assigned_to_type === "admin" || part.assigned_to_type === "team") {
      return {
        first_answer: { part_id: answer.id, at: answer.created_at },
        human_takeover: { part_id: part.id, at: part.created_at, how: "assignment" as const },
      };
    }
  }
  return { first_answer: { part_id: answer.id, at: answer.created_at }, human_takeover: null };
}

function conversationExtras(store: Store, conv: StoredConversation): {
  extras: z.infer<typeof conversationExtrasSchema>;
  messages: Map<string, MessageExtras>;
} {
  const stored = store.support.conversationExtras(conv.id);
  const messages = new Map<string, MessageExtras>();
  let files = 0;
  for (const part of conv.parts) {
    const own = stored?.parts.get(part.id);
    const attachments = part.part_type === "source"
      ? stored?.source_attachments ?? []
      : own?.attachments ?? [];
    files += attachments.length;
    messages.set(part.id, { attachments, assigned_to: own?.assigned_to ?? null });
  }
  const handoff = finHandoff(conv.parts.map((p) => ({
    ...p,
    assigned_to_type: messages.get(p.id)?.assigned_to?.type ?? null,
  })));
  const indexOf = (id: string) => conv.parts.findIndex((p) => p.id === id);
  const agent = stored?.ai_agent ?? null;
  const text = (key: string) => typeof agent?.[key] === "string" ? agent[key] as string : null;
  const sources = Array.isArray(agent?.content_sources) ? agent.content_sources : [];
  return {
    messages,
    extras: {
      sla: stored?.sla ?? null,
      topics: stored?.topics ?? [],
      linked: stored?.links ?? [],
      fin: {
        participated: stored?.ai_agent_participated ?? (handoff.first_answer ? true : null),
        resolution_state: text("resolution_state"),
        last_answer_type: text("last_answer_type"),
        source_title: text("source_title"),
        rating: typeof agent?.rating === "number" ? agent.rating : null,
        content_sources: sources.map((s: { title?: unknown }) => String(s?.title ?? "")).filter(
          (t: string) => t !== "",
        ),
        first_answer: handoff.first_answer && {
          index: indexOf(handoff.first_answer.part_id),
          at: isoFromSeconds(handoff.first_answer.at),
        },
        human_takeover: handoff.human_takeover && {
          index: indexOf(handoff.human_takeover.part_id),
          at: isoFromSeconds(handoff.human_takeover.at),
          how: handoff.human_takeover.how,
        },
      },
      attachments: files,
    },
  };
}

function selectMessages(
  conv: StoredConversation,
  budget: { offset: number; maxParts: number; maxChars: number },
): { messages: Message[]; nextOffset: number | null } {
  const messages: Message[] = [];
  let chars = 0;
  let index = budget.offset;
  for (; index < conv.parts.length && messages.length < budget.maxParts; index++) {
    const part = conv.parts[index]!;
    let body = part.body;
    const length = body?.length ?? 0;
    if (messages.length > 0 && chars + length > budget.maxChars) break;
    if (body !== null && length > budget.maxChars) {
      body = `${body.slice(0, budget.maxChars)}… [message cut at ${budget.maxChars} characters]`;
    }
    chars += Math.min(length, budget.maxChars);
    messages.push(message(part, { index, body }));
  }
  return { messages, nextOffset: index < conv.parts.length ? index : null };
}

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

function capNote(conv: StoredConversation): string | null {
  if (!conv.parts_truncated) return null;
  return `Intercom returns at most the newest 500 parts of a conversation: this one has ` +
    `${conv.parts_total} parts and ${conv.parts_stored} are stored locally, so the earliest ` +
    "replies may be missing.";
}

/** Arguments of `get_conversation` (after the input schema). */
export interface ReferenceArgs {
  conversation_id: string;
  max_parts?: number;
  max_chars?: number;
  offset?: number;
}

/** The old full-read `get_conversation`. */
export async function referenceGetConversation(
  ctx: McpContext,
  args: ReferenceArgs,
): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  const id = conversationIdOf(args.conversation_id);
  const conv = store.getConversation(id);
  if (conv === null) throw notFound(store, id);
  const offset = args.offset ?? 0;
  if (offset > 0 && offset >= conv.parts.length) {
    throw new AppError(
      `offset ${offset} is past the end of conversation "${id}", which has ` +
        `${conv.parts.length} messages (0–${conv.parts.length - 1})`,
    );
  }
  const { messages, nextOffset } = selectMessages(conv, {
    offset,
    maxParts: args.max_parts ?? MAX_PARTS.default,
    maxChars: args.max_chars ?? MAX_CHARS.default,
  });
  const link = await ctx.workspace.links();
  const header = conversationHeader(conv, {
    link,
    contacts: contactsOf(store, conv),
    labels: store.support.attributeLabels("conversation"),
  });
  const note = capNote(conv);
  const { extras, messages: perMessage } = conversationExtras(store, conv);
  const withExtras = messages.map((m) => ({
    ...m,
    attachments: perMessage.get(m.id)?.attachments ?? [],
    assigned_to: perMessage.get(m.id)?.assigned_to ?? null,
  }));
  const structured = {
    conversation: header,
    extras,
    messages: withExtras,
    total_messages: conv.parts.length,
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
    `Messages ${offset}–${offset + messages.length - 1} of ${conv.parts.length}:`,
    "",
    withExtras.map(messageWithExtrasText).join("\n\n"),
  ];
  if (nextOffset !== null) {
    lines.push("", `More messages: call again with offset ${nextOffset}.`);
  }
  lines.push("", structured.freshness.note);
  return toolResult(lines.join("\n"), structured);
}
