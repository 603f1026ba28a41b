/**
 * Builds one conversation: its source, a plausible sequence of parts (comments, notes,
 * assignments, close/open/snooze) ending in a chosen state, tags, rating and statistics.
 * Used by the generator and by mutations that create new conversations.
 */
import { type BodyKind, EMAIL_SUBJECTS } from "./content.ts";
import type { Prng } from "./prng.ts";
import { computeStatistics, refreshDerived } from "./statistics.ts";
import {
  nextPartId,
  type SimAuthor,
  type SimContact,
  type SimConversation,
  type SimPart,
  type Workspace,
} from "./workspace.ts";

/** Where bodies come from: a shared pool for the generator, fresh ones for mutations. */
export type PickBody = (kind: BodyKind) => string;

/** What to build. */
export interface ConversationPlan {
  id: string;
  createdAt: number;
  /** Creation time of each part, ascending, all ≥ createdAt. */
  partTimes: number[];
  /** The contact who started (or received) the conversation. */
  contact: SimContact;
  /** Upper bound for derived times such as snoozed_until (the workspace "now"). */
  now: number;
}

type State = SimConversation["state"];
type PartType = SimPart["part_type"];

// Weight tables are constants so Prng.weighted() can cache them (generation is a hot path).
const DELIVERED_AS = { customer_initiated: 75, admin_initiated: 15, automated: 10 } as const;
const FINAL_STATE = { closed: 60, open: 30, snoozed: 10 } as const;
const NEXT_WHEN_OPEN = {
  comment: 60,
  note: 8,
  assignment: 9,
  default_assignment: 2,
  close: 12,
  snoozed: 5,
  quick_reply: 2,
  conversation_attribute_updated_by_admin: 2,
  ticket_state_updated_by_admin: 1,
  custom_action_started: 1,
  custom_action_finished: 1,
} as const;
const NEXT_WHEN_CLOSED = { open: 40, assign_and_reopen: 5, comment: 40, note: 15 } as const;
const NEXT_WHEN_SNOOZED = { open: 40, comment: 40, note: 20 } as const;
const QUICK_REPLIES = ["Talk to a person", "Billing question", "Something else", "はい"] as const;
/** Share of customer-initiated conversations that came from Twitter (blank contact authors). */
const TWITTER_SHARE = 0.03;
const BLANK_STYLES = ["empty", "nulls", "strings"] as const;
const COMMENT_AUTHOR = { contact: 50, admin: 45, bot: 5 } as const;
const TAG_COUNT = { 0: 40, 1: 35, 2: 18, 3: 7 } as const;

/** Builds a conversation following `plan`, drawing every choice from `rng`. */
export function buildConversation(
  ws: Workspace,
  rng: Prng,
  plan: ConversationPlan & { pickBody: PickBody },
): SimConversation {
  const { createdAt, contact, pickBody } = plan;
  const delivered = rng.weighted(DELIVERED_AS);
  const admin = rng.pick(ws.admins);
  const twitter = delivered === "customer_initiated" && rng.chance(TWITTER_SHARE);
  const contactAuthor = twitter
    ? { ...contact.author, blank: rng.pick(BLANK_STYLES) }
    : contact.author;
  const sourceAuthor = delivered === "customer_initiated"
    ? contactAuthor
    : delivered === "admin_initiated"
    ? admin.author
    : ws.bot;
  const type = twitter
    ? "twitter"
    : delivered === "automated"
    ? "conversation"
    : rng.chance(0.35)
    ? "email"
    : "conversation";
  const subject = type === "email" ? rng.pick(EMAIL_SUBJECTS) : "";
  ws.counters.source += rng.int(1, 9);
  const conversation: SimConversation = {
    id: plan.id,
    title: type === "email" ? subject : null,
    created_at: createdAt,
    updated_at: createdAt,
    waiting_since: null,
    snoozed_until: null,
    state: "open",
    read: false,
    priority: rng.chance(0.1) ? "priority" : "not_priority",
    admin_assignee_id: null,
    team_assignee_id: null,
    tags: [],
    source: {
      type,
      id: String(ws.counters.source),
      delivered_as: delivered,
      subject,
      body: pickBody(
        sourceAuthor.type === "admin" || sourceAuthor.type === "bot" ? "admin" : "customer",
      ),
      author: sourceAuthor,
      url: type === "conversation" && rng.chance(0.5) ? "https://app.example.com/settings" : null,
    },
    contact_ids: [contact.id],
    teammate_ids: [],
    custom_attributes: {
      Language: rng.pick(["en", "en", "en", "ja", "ru", "ar"]),
      "Order number": rng.chance(0.4) ? `A-${rng.int(1000, 99999)}` : null,
      Escalated: rng.chance(0.1),
    },
    rating: null,
    statistics: computeStatistics(createdAt, []),
    parts: [],
  };
  if (rng.chance(0.05)) {
    const other = rng.pick(ws.contacts);
    // A contact merged into another cannot be added: its id answers 404.
    if (
      other.id !== contact.id && other.created_at <= createdAt && other.merged_into === undefined
    ) {
      conversation.contact_ids.push(other.id);
    }
  }
  const target: State = plan.partTimes.length === 0 ? "open" : rng.weighted(FINAL_STATE);
  appendParts(ws, rng, conversation, { times: plan.partTimes, target, pickBody, now: plan.now });
  if (conversation.parts.every((p) => p.part_type !== "assignment") && rng.chance(0.5)) {
    conversation.admin_assignee_id = admin.id;
    conversation.team_assignee_id = admin.team_ids[0] ?? null;
  }
  conversation.read = conversation.state === "closed" || rng.chance(0.5);
  refreshDerived(conversation);
  applyTags(ws, rng, conversation);
  if (conversation.state === "closed" && rng.chance(0.25)) {
    conversation.rating = {
      rating: rng.int(1, 5),
      remark: rng.chance(0.4)
        ? rng.pick(["Great help, thanks!", "Too slow 😞", "素晴らしい対応"])
        : null,
      created_at: conversation.statistics.last_close_at ?? conversation.updated_at,
      contact_id: contact.id,
      teammate_id: conversation.admin_assignee_id ?? admin.id,
    };
  }
  return conversation;
}

/** What {@link appendParts} adds. */
export interface AppendPlan {
  times: number[];
  /** State the conversation must be in after the last part. */
  target: State;
  pickBody: PickBody;
  now: number;
  /** Only comments and notes (no state changes); `target` is ignored. Default false. */
  messagesOnly?: boolean;
}

/** Appends parts at `times`, tracking state and assignees, ending in `plan.target`. */
export function appendParts(
  ws: Workspace,
  rng: Prng,
  conversation: SimConversation,
  plan: AppendPlan,
): void {
  // Twitter conversations keep their blank contact author on every contact part.
  const contact = conversation.source.author.blank !== undefined
    ? conversation.source.author
    : ws.contactsById.get(conversation.contact_ids[0] ?? "")?.author ??
      conversation.source.author;
  plan.times.forEach((t, i) => {
    const isLast = i === plan.times.length - 1;
    const fresh = conversation.parts.length === 0;
    let type: PartType;
    if (plan.messagesOnly) type = rng.chance(0.85) ? "comment" : "note";
    else if (isLast && plan.target !== conversation.state) type = transitionTo(plan.target);
    else if (isLast) type = rng.chance(0.85) ? "comment" : "note";
    else if (fresh && rng.chance(0.4)) type = "assignment";
    else type = nextPartType(rng, conversation.state);
    conversation.parts.push(makePart(ws, rng, conversation, { type, at: t, contact, plan }));
  });
}

function transitionTo(state: State): PartType {
  return state === "closed" ? "close" : state === "snoozed" ? "snoozed" : "open";
}

function nextPartType(rng: Prng, state: State): PartType {
  if (state === "open") {
    return rng.weighted(NEXT_WHEN_OPEN);
  }
  if (state === "closed") return rng.weighted(NEXT_WHEN_CLOSED);
  return rng.weighted(NEXT_WHEN_SNOOZED);
}

interface PartSpec {
  type: PartType;
  at: number;
  contact: SimAuthor;
  plan: AppendPlan;
}

function makePart(ws: Workspace, rng: Prng, c: SimConversation, spec: PartSpec): SimPart {
  const { type, at, contact, plan } = spec;
  const admin = rng.pick(ws.admins).author;
  const part: SimPart = {
    id: nextPartId(ws),
    part_type: type,
    body: null,
    created_at: at,
    author: admin,
    assigned_to: null,
  };
  if (type === "comment") {
    const who = rng.weighted(COMMENT_AUTHOR);
    part.author = who === "contact" ? contact : who === "admin" ? admin : ws.bot;
    part.body = plan.pickBody(who === "contact" ? "customer" : "admin");
  } else if (type === "note") {
    part.body = plan.pickBody("note");
  } else if (type === "assignment" || type === "assign_and_reopen") {
    if (type === "assignment" && rng.chance(0.3)) part.author = ws.bot;
    if (type === "assign_and_reopen") reopen(c);
    if (rng.chance(0.6)) {
      const assignee = rng.pick(ws.admins);
      part.assigned_to = { type: "admin", id: assignee.id };
      c.admin_assignee_id = assignee.id;
      c.team_assignee_id = assignee.team_ids[0] ?? c.team_assignee_id;
    } else {
      const team = rng.pick(ws.teams);
      part.assigned_to = { type: "team", id: team.id };
      c.team_assignee_id = team.id;
      c.admin_assignee_id = null;
    }
  } else if (type === "close") {
    if (rng.chance(0.15)) part.author = ws.bot;
    if (rng.chance(0.3)) part.body = plan.pickBody("admin");
    c.state = "closed";
    c.snoozed_until = null;
  } else if (type === "open") {
    if (rng.chance(0.5)) part.author = contact;
    reopen(c);
  } else if (type === "snoozed") {
    c.state = "snoozed";
    c.snoozed_until = at + rng.int(0, Math.max(0, Math.min(3 * 86_400, plan.now - at)));
  } else {
    makeEvent(ws, rng, c, part, contact);
  }
  return part;
}

function reopen(c: SimConversation): void {
  c.state = "open";
  c.snoozed_until = null;
}

/** Parts that change neither state nor messages: bots, workflows, attribute and ticket updates. */
function makeEvent(
  ws: Workspace,
  rng: Prng,
  c: SimConversation,
  part: SimPart,
  contact: SimAuthor,
): void {
  switch (part.part_type) {
    case "quick_reply":
      part.author = contact;
      part.body = `<p>${rng.pick(QUICK_REPLIES)}</p>`;
      return;
    case "default_assignment": {
      const team = rng.pick(ws.teams);
      part.author = ws.bot;
      part.assigned_to = { type: "team", id: team.id };
      c.team_assignee_id = team.id;
      c.admin_assignee_id = null;
      return;
    }
    case "custom_action_started":
    case "custom_action_finished":
      part.author = ws.bot;
      return;
    default:
      // conversation_attribute_updated_by_admin, ticket_state_updated_by_admin: an admin, no body.
      return;
  }
}

function applyTags(ws: Workspace, rng: Prng, conversation: SimConversation): void {
  const count = rng.weighted(TAG_COUNT);
  const chosen = new Set<string>();
  for (let i = 0; i < Number(count); i++) {
    const tag = rng.pick(ws.tags);
    if (chosen.has(tag.id)) continue;
    chosen.add(tag.id);
    conversation.tags.push({
      tag,
      applied_at: rng.int(conversation.created_at, conversation.updated_at),
      applied_by: rng.pick(ws.admins).id,
    });
  }
}
