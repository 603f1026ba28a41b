/** Conversation statistics and waiting state, derived from the parts so they stay consistent. */
import type { SimConversation, SimPart, SimStatistics } from "./workspace.ts";

const isContact = (part: SimPart) => part.author.type === "user" || part.author.type === "lead";
const isAdminReply = (part: SimPart) =>
  part.part_type === "comment" && part.author.type === "admin";
const ASSIGNMENTS: ReadonlySet<string> = new Set([
  "assignment",
  "default_assignment",
  "assign_and_reopen",
]);
const REOPENS: ReadonlySet<string> = new Set(["open", "assign_and_reopen"]);

/** Statistics of a conversation created at `createdAt` with `parts` (chronological). */
export function computeStatistics(createdAt: number, parts: readonly SimPart[]): SimStatistics {
  const stats: SimStatistics = {
    time_to_assignment: null,
    time_to_admin_reply: null,
    time_to_first_close: null,
    time_to_last_close: null,
    median_time_to_reply: null,
    first_contact_reply_at: null,
    first_assignment_at: null,
    first_admin_reply_at: null,
    first_close_at: null,
    last_assignment_at: null,
    last_assignment_admin_reply_at: null,
    last_contact_reply_at: null,
    last_admin_reply_at: null,
    last_close_at: null,
    last_closed_by_id: null,
    count_reopens: 0,
    count_assignments: 0,
  };
  const replyTimes: number[] = [];
  let waitingFrom: number | null = createdAt;
  for (const part of parts) {
    const t = part.created_at;
    if (part.part_type === "comment" && isContact(part)) {
      stats.first_contact_reply_at ??= t;
      stats.last_contact_reply_at = t;
      waitingFrom ??= t;
    } else if (isAdminReply(part)) {
      stats.first_admin_reply_at ??= t;
      stats.last_admin_reply_at = t;
      if (stats.last_assignment_at !== null) stats.last_assignment_admin_reply_at ??= t;
      if (waitingFrom !== null) replyTimes.push(t - waitingFrom);
      waitingFrom = null;
    } else if (part.part_type === "close") {
      stats.first_close_at ??= t;
      stats.last_close_at = t;
      stats.last_closed_by_id = part.author.id;
    }
    if (ASSIGNMENTS.has(part.part_type)) {
      stats.count_assignments += 1;
      stats.first_assignment_at ??= t;
      stats.last_assignment_at = t;
      stats.last_assignment_admin_reply_at = null;
    }
    if (REOPENS.has(part.part_type)) stats.count_reopens += 1;
  }
  const since = (at: number | null) => (at === null ? null : at - createdAt);
  stats.time_to_assignment = since(stats.first_assignment_at);
  stats.time_to_admin_reply = since(stats.first_admin_reply_at);
  stats.time_to_first_close = since(stats.first_close_at);
  stats.time_to_last_close = since(stats.last_close_at);
  stats.median_time_to_reply = median(replyTimes);
  return stats;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  const lo = sorted[mid - 1] ?? hi;
  return sorted.length % 2 === 1 ? hi : Math.round((lo + hi) / 2);
}

/**
 * When an open conversation started waiting for a teammate: the first contact message after
 * the last admin reply (or the conversation start); null when not open or answered last.
 */
export function computeWaitingSince(conversation: SimConversation): number | null {
  if (conversation.state !== "open") return null;
  let waiting: number | null = conversation.created_at;
  for (const part of conversation.parts) {
    if (isAdminReply(part)) waiting = null;
    else if (part.part_type === "comment" && isContact(part)) waiting ??= part.created_at;
  }
  return waiting;
}

/** Recomputes everything derived from the parts after they changed. */
export function refreshDerived(conversation: SimConversation): void {
  const last = conversation.parts[conversation.parts.length - 1];
  conversation.updated_at = Math.max(conversation.created_at, last?.created_at ?? 0);
  conversation.statistics = computeStatistics(conversation.created_at, conversation.parts);
  conversation.waiting_since = computeWaitingSince(conversation);
  const teammates = new Set(conversation.teammate_ids);
  for (const part of conversation.parts) {
    if (part.author.type === "admin") teammates.add(part.author.id);
  }
  conversation.teammate_ids = [...teammates];
}
