/**
 * How store records look in tool results: snake_case, ISO 8601 UTC times, people as
 * `{ name, email }`, and an inbox link when the workspace id is known. Pure functions.
 */
import type { StoredContactExtras } from "../store/contact_extras.ts";
import type {
  ConversationHit,
  StoredContact,
  StoredConversation,
  StoredPart,
} from "../store/types.ts";
import { isoFromSeconds } from "../util/clock.ts";
import type { InboxLink } from "./workspace.ts";

/** A Unix-seconds time as ISO, keeping null. */
export function iso(seconds: number | null): string | null {
  return seconds === null ? null : isoFromSeconds(seconds);
}

/** A person as `Name <email>`, or whichever part is known, or `unknown`. */
export function personLabel(name: string | null, email: string | null): string {
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? "unknown";
}

/** The assignee columns a conversation or ticket row carries. */
export interface AssigneeColumns {
  admin_assignee_id: string | null;
  admin_assignee_name: string | null;
  team_assignee_id: string | null;
  team_assignee_name: string | null;
}

/** A row's assignee (teammate and team) as a tool result entry. */
export function assigneeEntry(row: AssigneeColumns) {
  return {
    admin_id: row.admin_assignee_id,
    admin_name: row.admin_assignee_name,
    team_id: row.team_assignee_id,
    team_name: row.team_assignee_name,
  };
}

/** A search hit as a tool result entry. */
export function conversationSummary(hit: ConversationHit, link: InboxLink) {
  return {
    id: hit.id,
    url: link(hit.id),
    title: hit.title,
    subject: hit.source_subject,
    state: hit.state,
    created_at: isoFromSeconds(hit.created_at),
    updated_at: isoFromSeconds(hit.updated_at),
    customer: { name: hit.source_author_name, email: hit.source_author_email },
    assignee: assigneeEntry(hit),
    tags: hit.tag_names,
    customer_messages: hit.customer_messages,
    teammate_messages: hit.teammate_messages,
    parts_total: hit.parts_total,
    snippet: hit.snippet,
  };
}

/** One entry of {@link conversationSummary}. */
export type ConversationSummary = ReturnType<typeof conversationSummary>;

/** One line (plus snippet and link lines) of a search result for the text content. */
export function summaryText(index: number, c: ConversationSummary): string {
  const heading = c.subject ?? c.title ?? "(no subject)";
  const admin = c.assignee.admin_name ?? c.assignee.admin_id;
  const team = c.assignee.team_name ?? c.assignee.team_id;
  const assignee = admin && team ? `${admin} (${team})` : admin ?? team;
  const lines = [
    `${index}. #${c.id} [${c.state}] ${heading}`,
    `   from ${personLabel(c.customer.name, c.customer.email)}; created ${c.created_at}, ` +
    `updated ${c.updated_at}; ${c.customer_messages} customer / ${c.teammate_messages} ` +
    `teammate messages${assignee ? `; assigned to ${assignee}` : ""}${
      c.tags.length > 0 ? `; tags: ${c.tags.join(", ")}` : ""
    }`,
  ];
  const snippet = c.snippet?.replace(/\s+/g, " ").trim();
  if (snippet && snippet !== heading) lines.push(`   "${snippet}"`);
  if (c.url) lines.push(`   ${c.url}`);
  return lines.join("\n");
}

/**
 * Custom attribute values with the labels their definitions (`/data_attributes`) give them;
 * a name without a definition is its own label.
 */
export function labelledAttributes(
  values: Record<string, unknown>,
  labels: Record<string, string>,
): { name: string; label: string; value: unknown }[] {
  return Object.entries(values).map(([name, value]) => ({
    name,
    label: labels[name] ?? name,
    value,
  }));
}

/** Labelled attributes as one text line ("Attributes: Monthly spend: 120; Plan: pro."), or none. */
export function attributesText(attributes: { label: string; value?: unknown }[]): string[] {
  const shown = attributes.filter((a) => a.value !== null && a.value !== undefined);
  if (shown.length === 0) return [];
  const value = (v: unknown) => typeof v === "object" ? JSON.stringify(v) : String(v);
  return [`Attributes: ${shown.map((a) => `${a.label}: ${value(a.value)}`).join("; ")}.`];
}

/** A conversation's header (everything but its messages). */
export function conversationHeader(
  conv: StoredConversation,
  options: {
    link: InboxLink;
    contacts: { id: string; name: string | null; email: string | null }[];
    /** Labels of conversation attributes by name. Default: none (names stand for labels). */
    labels?: Record<string, string>;
  },
) {
  const { link, contacts } = options;
  return {
    id: conv.id,
    url: link(conv.id),
    title: conv.title,
    subject: conv.source_subject,
    state: conv.state,
    open: conv.open,
    read: conv.read,
    priority: conv.priority,
    created_at: isoFromSeconds(conv.created_at),
    updated_at: isoFromSeconds(conv.updated_at),
    waiting_since: iso(conv.waiting_since),
    snoozed_until: iso(conv.snoozed_until),
    source: {
      type: conv.source_type,
      delivered_as: conv.source_delivered_as,
      url: conv.source_url,
    },
    assignee: assigneeEntry(conv),
    contacts,
    tags: conv.tag_names,
    customer_messages: conv.customer_messages,
    teammate_messages: conv.teammate_messages,
    rating: conv.rating,
    custom_attributes: labelledAttributes(conv.custom_attributes, options.labels ?? {}),
    parts_total: conv.parts_total,
    parts_stored: conv.parts_stored,
    parts_truncated: conv.parts_truncated,
    synced_at: isoFromSeconds(conv.synced_at),
  };
}

/**
 * A message of a thread: `index` is its position (0 is the opening message when the
 * conversation has one); `body` is the text to show (possibly cut to a budget).
 */
export function message(part: StoredPart, options: { index: number; body: string | null }) {
  const { index, body } = options;
  return {
    index,
    id: part.id,
    type: part.part_type,
    author: {
      type: part.author_type,
      id: part.author_id,
      name: part.author_name,
      email: part.author_email,
    },
    created_at: isoFromSeconds(part.created_at),
    body,
    redacted: part.redacted,
  };
}

/** One entry of a thread's messages. */
export type Message = ReturnType<typeof message>;

/** A message for the text transcript. */
export function messageText(m: Message): string {
  const who = personLabel(m.author.name, m.author.email);
  const head = `[${m.index}] ${m.created_at} ${who} (${m.author.type ?? "unknown"}) — ${m.type}`;
  return m.body ? `${head}\n${m.body}` : head;
}

/**
 * A contact as a tool result entry; `labels` are the contact attribute labels by name
 * (default: none, names stand for labels).
 */
export function contactEntry(c: StoredContact, labels: Record<string, string> = {}) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    role: c.role,
    external_id: c.external_id,
    phone: c.phone,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    last_seen_at: iso(c.last_seen_at),
    custom_attributes: labelledAttributes(c.custom_attributes, labels),
  };
}

/** A contact with what the sync stores beside it: tags, companies, location, owner. */
export function contactDetail(
  c: StoredContact,
  options: { labels: Record<string, string>; extras: StoredContactExtras | null },
) {
  const { extras } = options;
  return {
    ...contactEntry(c, options.labels),
    tags: extras?.tag_names ?? [],
    companies: extras?.companies ?? [],
    location: extras?.location ?? { country: null, region: null, city: null },
    owner: extras?.owner_id ? { id: extras.owner_id, name: extras.owner_name } : null,
  };
}

/** One entry of {@link contactDetail}. */
export type ContactDetail = ReturnType<typeof contactDetail>;

/** The lines `get_contact` and `fetch` show for tags, companies, location, owner, attributes. */
export function contactDetailText(c: ContactDetail): string[] {
  const place = [c.location.city, c.location.region, c.location.country].filter((p) => p);
  return [
    ...(c.companies.length > 0
      ? [
        `Companies: ${
          c.companies.map((k) => `${k.name ?? k.id}${k.plan ? ` (${k.plan})` : ""}`).join(", ")
        }.`,
      ]
      : []),
    ...(c.tags.length > 0 ? [`Tags: ${c.tags.join(", ")}.`] : []),
    ...(place.length > 0 ? [`Location: ${place.join(", ")}.`] : []),
    ...(c.owner ? [`Owner: ${c.owner.name ?? `admin ${c.owner.id}`}.`] : []),
    ...attributesText(c.custom_attributes),
  ];
}
