/**
 * Deliberate changes to a workspace, for tests that must show one exact situation rather than
 * random churn (`mutation.ts`): a reply landing in a chosen second, a contact created late, a
 * contact merged into another. Each keeps the workspace consistent (statistics, states,
 * `updated_at`, indexes).
 */
import { htmlBody } from "./content.ts";
import { buildConversation } from "./conversation_builder.ts";
import type { Prng } from "./prng.ts";
import { refreshDerived } from "./statistics.ts";
import {
  addConversation,
  nextPartId,
  type SimAuthor,
  type SimContact,
  type SimConversation,
  type SimPart,
  type SimPartType,
  type Workspace,
} from "./workspace.ts";

/** What {@link addPart} adds. */
export interface AddPartOptions {
  /** Unix seconds of the part; not before the conversation's last part. */
  at: number;
  /** Default "comment". State changes ("close", "open", "snoozed") also change the state. */
  type?: SimPartType;
  /** Who writes it. Default "contact" for comments, else "admin". */
  author?: "contact" | "admin" | "bot";
  /** HTML body. Default: a generated one for comments and notes, else null. */
  body?: string | null;
}

/**
 * Appends one part to conversation `id` at `options.at` and refreshes what derives from the
 * parts; `updated_at` becomes `at`, which may be the second it already had.
 */
export function addPart(ws: Workspace, rng: Prng, id: string, options: AddPartOptions): SimPart {
  const conversation = ws.conversationsById.get(id);
  if (!conversation) throw new RangeError(`addPart(): no conversation with id "${id}"`);
  const last = conversation.parts.at(-1)?.created_at ?? conversation.created_at;
  if (!Number.isInteger(options.at) || options.at < last) {
    throw new RangeError(
      `addPart(): at ${options.at} is before the last part of conversation ${id} (${last})`,
    );
  }
  const type = options.type ?? "comment";
  const who = options.author ?? (type === "comment" ? "contact" : "admin");
  // Twitter conversations keep their blank contact author, as the generated parts do.
  const contact = conversation.source.author.blank !== undefined
    ? conversation.source.author
    : ws.contactsById.get(conversation.contact_ids[0] ?? "")?.author;
  const author: SimAuthor = who === "bot"
    ? ws.bot
    : who === "contact" && contact
    ? contact
    : rng.pick(ws.admins).author;
  const messages = type === "comment" || type === "note";
  const part: SimPart = {
    id: nextPartId(ws),
    part_type: type,
    body: options.body !== undefined
      ? options.body
      : messages
      ? htmlBody(rng, type === "note" ? "note" : who === "contact" ? "customer" : "admin")
      : null,
    created_at: options.at,
    author,
    assigned_to: null,
  };
  conversation.parts.push(part);
  if (type === "close") conversation.state = "closed";
  if (type === "open" || type === "assign_and_reopen") conversation.state = "open";
  if (type === "snoozed") conversation.state = "snoozed";
  conversation.snoozed_until = conversation.state === "snoozed"
    ? Math.max(conversation.snoozed_until ?? 0, options.at + 3600)
    : null;
  refreshDerived(conversation);
  return part;
}

/** What {@link createContact} creates. */
export interface CreateContactOptions {
  /** Unix seconds of its creation (and last update). */
  at: number;
  /** Default "user". */
  role?: "user" | "lead";
  /** Default "Late Contact N". */
  name?: string | null;
  /** Default "late.N@example.com". */
  email?: string | null;
}

/** Adds a new contact created at `options.at`; returns it. */
export function createContact(ws: Workspace, options: CreateContactOptions): SimContact {
  const n = ws.contacts.length + 1;
  // 24 hex digits like Intercom's ids; "ffffffff" in the middle keeps them apart from generated ids.
  const id = options.at.toString(16).padStart(8, "0") + "ffffffff" +
    n.toString(16).padStart(8, "0");
  if (ws.contactsById.has(id)) throw new RangeError(`createContact(): id ${id} is taken`);
  const role = options.role ?? "user";
  const name = options.name === undefined ? `Late Contact ${n}` : options.name;
  const email = options.email === undefined ? `late.${n}@example.com` : options.email;
  const contact: SimContact = {
    id,
    external_id: null,
    role,
    email,
    phone: null,
    name,
    created_at: options.at,
    updated_at: options.at,
    signed_up_at: role === "user" ? options.at : null,
    last_seen_at: null,
    custom_attributes: {},
    tag_ids: [],
    author: { type: role, id, name, email },
  };
  ws.contacts.push(contact);
  ws.contactsById.set(id, contact);
  return contact;
}

/** What {@link startConversation} creates. */
export interface StartConversationOptions {
  /** Unix seconds of its creation. */
  at: number;
  /** The contact who writes in (e.g. one made by {@link createContact}). */
  contactId: string;
  /** Parts after the opening message, all at `at`. Default 0. */
  parts?: number;
}

/** Creates a conversation started by `contactId` at `options.at`; returns it. */
export function startConversation(
  ws: Workspace,
  rng: Prng,
  options: StartConversationOptions,
): SimConversation {
  const contact = ws.contactsById.get(options.contactId);
  if (!contact) {
    throw new RangeError(`startConversation(): no contact with id "${options.contactId}"`);
  }
  ws.counters.conversation += 1;
  const conversation = buildConversation(ws, rng, {
    id: String(ws.counters.conversation),
    createdAt: options.at,
    partTimes: Array.from({ length: Math.max(0, options.parts ?? 0) }, () => options.at),
    contact,
    now: options.at,
    pickBody: (kind) => htmlBody(rng, kind),
  });
  addConversation(ws, conversation);
  return conversation;
}

/** Options of {@link mergeContact}. */
export interface MergeOptions {
  /** Unix seconds of the merge; `into`'s `updated_at` becomes it. */
  at: number;
  /**
   * Also stamp the conversations that referenced `from` with `at` (a new `updated_at`, no new
   * part). Default false: Intercom's description does not say that a merge touches them.
   */
  touchConversations?: boolean;
}

/**
 * Merges contact `fromId` into `intoId` (as `POST /contacts/merge` does): `from` disappears
 * from search and list and answers 404 by id; its conversations now name `into`. Returns the
 * ids of the conversations moved.
 */
export function mergeContact(
  ws: Workspace,
  fromId: string,
  intoId: string,
  options: MergeOptions,
): string[] {
  const from = ws.contactsById.get(fromId);
  const into = ws.contactsById.get(intoId);
  if (!from || !into || fromId === intoId || into.merged_into !== undefined) {
    throw new RangeError(`mergeContact(): cannot merge "${fromId}" into "${intoId}"`);
  }
  from.merged_into = intoId;
  into.updated_at = Math.max(into.updated_at, options.at);
  const moved: string[] = [];
  for (const conversation of ws.conversations) {
    const at = conversation.contact_ids.indexOf(fromId);
    if (at < 0) continue;
    const ids = conversation.contact_ids.filter((id) => id !== fromId && id !== intoId);
    ids.splice(Math.min(at, ids.length), 0, intoId);
    conversation.contact_ids = ids;
    if (options.touchConversations) {
      conversation.updated_at = Math.max(conversation.updated_at, options.at);
    }
    moved.push(conversation.id);
  }
  return moved;
}
