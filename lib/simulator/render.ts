/** Renders workspace records as the JSON objects Intercom's API returns (version 2.11 shapes). */
import { htmlToPlaintext } from "./plaintext.ts";
import {
  renderAiAgent,
  renderAttachments,
  renderLinkedObjects,
  renderSla,
  renderTopics,
} from "./render_support.ts";
import type {
  SimAdmin,
  SimAuthor,
  SimContact,
  SimConversation,
  SimPart,
  SimTag,
  SimTeam,
  Workspace,
} from "./workspace.ts";

/** Default number of parts returned by `GET /conversations/{id}`, the newest ones. */
export const DEFAULT_PARTS_CAP = 500;

/** Options of the conversation renderers. */
export interface RenderOptions {
  /** Bodies as plain text (`display_as=plaintext`) instead of HTML. Default true. */
  plaintext?: boolean;
  /** How many of the newest parts to include. Default 500. */
  partsCap?: number;
}

/** The avatar Intercom gives teammates without a picture (the description's own example). */
export const DEFAULT_ADMIN_AVATAR =
  "https://static.intercomassets.com/assets/default-avatars/admins/128.png";

const toNumber = (id: string | null) => (id === null ? null : Number(id));

/** An author object; a blank one (Twitter) in its style, see `BlankAuthorStyle`. */
function renderAuthor(author: SimAuthor): Record<string, unknown> {
  switch (author.blank) {
    case "empty":
      return {};
    case "nulls":
      return { type: null, id: null, name: null, email: null };
    case "strings":
      return { type: "", id: "", name: "", email: "" };
    default:
      // The description's author and contact emails are strings; a missing one is "".
      return { type: author.type, id: author.id, name: author.name, email: author.email ?? "" };
  }
}

function renderTeammates(c: SimConversation): Record<string, unknown> | null {
  if (c.quirks?.nullTeammates) return null;
  const nullIds = c.quirks?.nullTeammateIds ?? false;
  return {
    type: "admin.list",
    teammates: c.teammate_ids.map((id) => ({ type: "admin", id: nullIds ? null : id })),
  };
}

function renderBody(body: string | null, plaintext: boolean): string | null {
  return body === null || !plaintext ? body : htmlToPlaintext(body);
}

/** A conversation as search and list results show it: everything but its parts. */
export function renderConversationSummary(
  conversation: SimConversation,
  options: { plaintext?: boolean } = {},
): Record<string, unknown> {
  const c = conversation;
  const plaintext = options.plaintext ?? false;
  const firstContactReply = c.statistics.first_contact_reply_at;
  return {
    type: "conversation",
    id: c.id,
    title: c.title,
    created_at: c.created_at,
    updated_at: c.updated_at,
    waiting_since: c.waiting_since,
    snoozed_until: c.snoozed_until,
    open: c.state !== "closed",
    state: c.state,
    read: c.read,
    priority: c.priority,
    admin_assignee_id: toNumber(c.admin_assignee_id),
    team_assignee_id: toNumber(c.team_assignee_id),
    tags: {
      type: "tag.list",
      tags: c.tags.map((t) => ({
        type: "tag",
        id: t.tag.id,
        name: t.tag.name,
        applied_at: t.applied_at,
        applied_by: { type: "admin", id: t.applied_by },
      })),
    },
    conversation_rating: c.rating && {
      rating: c.rating.rating,
      remark: c.rating.remark ?? "",
      created_at: c.rating.created_at,
      contact: { type: "contact", id: c.rating.contact_id, external_id: null },
      teammate: { type: "admin", id: c.rating.teammate_id },
    },
    source: {
      type: c.source.type,
      id: c.source.id,
      delivered_as: c.source.delivered_as,
      subject: c.source.subject,
      body: renderBody(c.source.body, plaintext),
      author: renderAuthor(c.source.author),
      attachments: renderAttachments(c.source.attachments),
      url: c.source.url,
      redacted: false,
    },
    contacts: {
      type: "contact.list",
      contacts: c.contact_ids.map((id) => ({ type: "contact", id, external_id: null })),
    },
    teammates: renderTeammates(c),
    custom_attributes: { ...c.custom_attributes },
    topics: renderTopics(c.topics),
    first_contact_reply: firstContactReply === null
      ? null
      : { created_at: firstContactReply, type: "conversation", url: null },
    sla_applied: renderSla(c.sla),
    statistics: c.quirks?.nullStatistics ? null : {
      type: "conversation_statistics",
      ...c.statistics,
      count_conversation_parts: c.parts.length + 1,
    },
    ticket: null,
    linked_objects: renderLinkedObjects(c.linked),
    ai_agent: renderAiAgent(c.ai_agent),
    ai_agent_participated: (c.ai_agent ?? null) !== null,
  };
}

function renderPart(part: SimPart, plaintext: boolean) {
  return {
    type: "conversation_part",
    id: part.id,
    part_type: part.part_type,
    body: renderBody(part.body, plaintext),
    created_at: part.created_at,
    updated_at: part.created_at,
    notified_at: part.created_at,
    assigned_to: part.assigned_to && { ...part.assigned_to },
    author: renderAuthor(part.author),
    attachments: renderAttachments(part.attachments),
    external_id: null,
    redacted: false,
  };
}

/** A conversation with its newest parts (chronological), as `GET /conversations/{id}` returns it. */
export function renderFullConversation(
  conversation: SimConversation,
  options: RenderOptions = {},
): Record<string, unknown> {
  const plaintext = options.plaintext ?? true;
  const cap = Math.max(0, options.partsCap ?? DEFAULT_PARTS_CAP);
  const parts = cap === 0 ? [] : conversation.parts.slice(-cap);
  const malformed = conversation.quirks?.malformed ? { created_at: "malformed" } : {};
  return {
    ...renderConversationSummary(conversation, { plaintext }),
    ...malformed,
    conversation_parts: {
      type: "conversation_part.list",
      conversation_parts: parts.map((p) => renderPart(p, plaintext)),
      total_count: conversation.parts.length,
    },
  };
}

/**
 * The JSON body `GET /conversations/{id}?display_as=plaintext` returns for this conversation
 * (newest `partsCap` parts, plaintext bodies). Tests compare the synced store with this.
 */
export function renderConversation(
  ws: Workspace,
  id: string,
  options: RenderOptions = {},
): Record<string, unknown> {
  const conversation = ws.conversationsById.get(id);
  if (!conversation) {
    throw new RangeError(`renderConversation(): no conversation with id "${id}" in the workspace`);
  }
  return renderFullConversation(conversation, options);
}

/** A contact as `GET /contacts/{id}` and the contact lists return it. */
export function renderContact(ws: Workspace, contact: SimContact): Record<string, unknown> {
  const list = (kind: string, data: unknown[]) => ({
    type: "list",
    data,
    url: `/contacts/${contact.id}/${kind}`,
    total_count: data.length,
    has_more: false,
  });
  return {
    type: "contact",
    id: contact.id,
    workspace_id: ws.app.id_code,
    external_id: contact.external_id,
    role: contact.role,
    email: contact.email ?? "",
    email_domain: contact.email?.split("@")[1] ?? "",
    phone: contact.phone,
    formatted_phone: contact.phone,
    name: contact.name,
    avatar: null,
    owner_id: contact.owner_id ? Number(contact.owner_id) : null,
    social_profiles: { type: "list", data: [] },
    has_hard_bounced: false,
    marked_email_as_spam: false,
    unsubscribed_from_emails: false,
    created_at: contact.created_at,
    updated_at: contact.updated_at,
    signed_up_at: contact.signed_up_at,
    last_seen_at: contact.last_seen_at,
    last_replied_at: null,
    last_contacted_at: null,
    last_email_opened_at: null,
    last_email_clicked_at: null,
    language_override: null,
    browser: null,
    browser_version: null,
    browser_language: null,
    os: null,
    location: {
      type: "location",
      country: contact.location?.country ?? null,
      region: contact.location?.region ?? null,
      city: contact.location?.city ?? null,
    },
    custom_attributes: { ...contact.custom_attributes },
    tags: list("tags", contact.tag_ids.map((id) => ({ type: "tag", id, url: `/tags/${id}` }))),
    notes: list("notes", []),
    companies: list(
      "companies",
      (contact.company_ids ?? []).map((id) => ({ type: "company", id, url: `/companies/${id}` })),
    ),
  };
}

/** An admin as `GET /admins` lists it. */
export function renderAdmin(admin: SimAdmin): Record<string, unknown> {
  return {
    type: "admin",
    id: admin.id,
    name: admin.name,
    email: admin.email,
    // The description's own example leaves job_title out when a teammate has none.
    ...(admin.job_title === null ? {} : { job_title: admin.job_title }),
    away_mode_enabled: admin.away_mode_enabled,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: admin.quirks?.malformed ? "malformed" : admin.team_ids.map(Number),
    avatar: { type: "avatar", image_url: DEFAULT_ADMIN_AVATAR },
  };
}

/** A team as `GET /teams` lists it. */
export function renderTeam(team: SimTeam): Record<string, unknown> {
  const adminIds = team.quirks?.malformed ? "malformed" : team.admin_ids.map(Number);
  return { type: "team", id: team.id, name: team.name, admin_ids: adminIds };
}

/** A tag as `GET /tags` lists it. */
export function renderTag(tag: SimTag): Record<string, unknown> {
  return { type: "tag", id: tag.id, name: tag.quirks?.malformed ? null : tag.name };
}

/** The `GET /me` body: the token's admin and its app (`app: null` when `appNull`). */
export function renderMe(
  ws: Workspace,
  options: { appNull?: boolean } = {},
): Record<string, unknown> {
  return {
    type: "admin",
    id: ws.me.id,
    email: ws.me.email,
    name: ws.me.name,
    email_verified: true,
    has_inbox_seat: true,
    avatar: { type: "avatar", image_url: DEFAULT_ADMIN_AVATAR },
    app: options.appNull ? null : {
      type: "app",
      id_code: ws.app.id_code,
      name: ws.app.name,
      created_at: ws.app.created_at,
      secure: false,
      identity_verification: false,
      timezone: ws.app.timezone,
      region: ws.app.region,
    },
  };
}
