/**
 * How many parts a conversation has, and whether `GET /conversations/{id}` left some out: it
 * returns at most the newest 500.
 *
 * The count is `statistics.count_conversation_parts` when Intercom sends it; that figure counts
 * the source message too (Intercom's API notes: `conversation_parts.total_count` + 1), so the
 * parts are one fewer. Without statistics (the description lets them be null) the count falls
 * back to `conversation_parts.total_count`, whose meaning the description leaves open (the parts
 * list's own count). Never fewer than the parts actually returned.
 */
import type { Conversation } from "./types.ts";

/** The number of parts (source excluded) the conversation has in Intercom. */
export function partsTotal(conv: Pick<Conversation, "statistics" | "conversation_parts">): number {
  const returned = conv.conversation_parts.conversation_parts.length;
  const counted = conv.statistics.count_conversation_parts;
  const total = typeof counted === "number" && Number.isInteger(counted) && counted > 0
    ? counted - 1
    : conv.conversation_parts.total_count;
  return Math.max(total, returned);
}

/** Whether Intercom returned fewer parts than the conversation has (its 500-part cap). */
export function partsTruncated(
  conv: Pick<Conversation, "statistics" | "conversation_parts">,
): boolean {
  return conv.conversation_parts.conversation_parts.length < partsTotal(conv);
}
