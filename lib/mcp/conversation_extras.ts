/**
 * What `get_conversation` (and `fetch`) shows of a conversation besides its messages: the SLA,
 * topics, linked tickets, attachments, assignments, and Fin — whether it took part, how it
 * ended, where it first answered and where a human took over.
 */
import { z } from "zod";
import type { ConversationPage } from "../store/reads.ts";
import type { Store } from "../store/store.ts";
import { isoFromSeconds } from "../util/clock.ts";

const attachmentSchema = z.object({
  name: z.string().nullable(),
  url: z.string().nullable(),
  content_type: z.string().nullable(),
  filesize: z.number().nullable(),
});

/** The shape of a conversation's extras in `get_conversation`. */
export const conversationExtrasSchema = z.object({
  sla: z.object({ name: z.string(), status: z.string().nullable() }).nullable(),
  topics: z.array(z.string()),
  linked: z.array(z.object({
    type: z.string().describe("ticket or conversation"),
    id: z.string(),
    category: z.string().nullable(),
    title: z.string().nullable(),
    state: z.string().nullable(),
  })).describe("linked tickets and conversations (read a ticket with get_ticket)"),
  fin: z.object({
    participated: z.boolean().nullable().describe("null: not known (synced before this was)"),
    resolution_state: z.string().nullable(),
    last_answer_type: z.string().nullable(),
    source_title: z.string().nullable(),
    rating: z.number().nullable(),
    content_sources: z.array(z.string()),
    first_answer: z.object({ index: z.number(), at: z.string() }).nullable().describe(
      "the message where Fin (a bot) first answered",
    ),
    human_takeover: z.object({
      index: z.number(),
      at: z.string(),
      how: z.enum(["reply", "assignment"]),
    }).nullable().describe("the first teammate reply or assignment after Fin's first answer"),
  }),
  attachments: z.number().describe("files attached across the messages"),
});

/** A message's attachments and assignment target. */
export interface MessageExtras {
  attachments: z.infer<typeof attachmentSchema>[];
  assigned_to: { type: string | null; id: string } | null;
}

/** The message fields these add, for the messages' output schema. */
export const messageExtrasFields = {
  attachments: z.array(attachmentSchema),
  assigned_to: z.object({ type: z.string().nullable(), id: z.string() }).nullable(),
};

/**
 * The extras of the conversation and each message of the page (by part id; the source under
 * its own id). The conversation's figures (attachments, Fin's handoff) cover every message,
 * not only the page's, and are read without reading the messages.
 */
export function conversationExtras(store: Store, page: ConversationPage): {
  extras: z.infer<typeof conversationExtrasSchema>;
  messages: Map<string, MessageExtras>;
} {
  const conv = page.conversation;
  const stored = store.support.conversationExtras(conv.id);
  const messages = new Map<string, MessageExtras>();
  for (const part of conv.parts) {
    const own = stored?.parts.get(part.id);
    const attachments = part.part_type === "source"
      ? stored?.source_attachments ?? []
      : own?.attachments ?? [];
    messages.set(part.id, { attachments, assigned_to: own?.assigned_to ?? null });
  }
  // every part with attachments is in stored.parts; the source's are its own
  let files = page.hasSource ? stored?.source_attachments.length ?? 0 : 0;
  for (const own of stored?.parts.values() ?? []) files += own.attachments.length;
  const handoff = store.support.finHandoff(conv.id);
  // a part's position counts parts only; message 0 is the opening message when there is one
  const indexOf = (at: { position: number }) => at.position + (page.hasSource ? 1 : 0);
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
          index: indexOf(handoff.first_answer),
          at: isoFromSeconds(handoff.first_answer.at),
        },
        human_takeover: handoff.human_takeover && {
          index: indexOf(handoff.human_takeover),
          at: isoFromSeconds(handoff.human_takeover.at),
          how: handoff.human_takeover.how,
        },
      },
      attachments: files,
    },
  };
}

/** Lines describing the extras, for the text answer (none when there is nothing to say). */
export function extrasText(e: z.infer<typeof conversationExtrasSchema>): string[] {
  const lines: string[] = [];
  if (e.sla) lines.push(`SLA: ${e.sla.name} (${e.sla.status ?? "unknown"}).`);
  if (e.topics.length > 0) lines.push(`Topics: ${e.topics.join(", ")}.`);
  if (e.linked.length > 0) {
    lines.push(
      `Linked: ${
        e.linked.map((l) =>
          `${l.type} ${l.id}${l.category ? ` (${l.category})` : ""}${
            l.title ? ` "${l.title}"` : ""
          }${l.state ? ` [${l.state}]` : ""}`
        ).join("; ")
      }.`,
    );
  }
  const fin = e.fin;
  if (fin.first_answer || fin.participated) {
    const parts = [
      fin.first_answer
        ? `Fin answered first at message ${fin.first_answer.index} (${fin.first_answer.at})`
        : "Fin took part",
      fin.human_takeover
        ? `a human took over at message ${fin.human_takeover.index} (${fin.human_takeover.at}, ` +
          `${
            fin.human_takeover.how === "reply"
              ? "a teammate replied"
              : "assigned to a teammate or team"
          })`
        : "no human took over",
      ...(fin.resolution_state ? [`resolution: ${fin.resolution_state.replaceAll("_", " ")}`] : []),
      ...(fin.rating !== null ? [`rated ${fin.rating}/5`] : []),
    ];
    lines.push(`${parts.join("; ")}.`);
  } else if (fin.participated === false) {
    lines.push("Fin did not take part.");
  }
  if (e.attachments > 0) {
    lines.push(`${e.attachments} attachment${e.attachments === 1 ? "" : "s"}.`);
  }
  return lines;
}
