/**
 * The simulator's in-memory workspace: admins, teams, tags, contacts and conversations with
 * all their parts. Responses are rendered from it (see `render.ts`); mutations change it in
 * place, so a running simulator always serves the live data.
 */

import type {
  SimAiAgent,
  SimAttachment,
  SimCompany,
  SimDataAttribute,
  SimLink,
  SimSla,
  SimTicket,
  SimTicketType,
  SimTopic,
} from "./support_records.ts";

/**
 * How a blank author is rendered. Intercom's description says of `source.author` and part
 * `author`: "For Twitter, this will be blank", without saying how; each form is one reading:
 * `{}` ("empty"), every field null ("nulls"), or every field "" ("strings").
 */
export type BlankAuthorStyle = "empty" | "nulls" | "strings";

/** Who wrote a part or started a conversation; shared by reference to keep memory modest. */
export interface SimAuthor {
  type: "admin" | "user" | "lead" | "bot" | "team";
  id: string;
  name: string | null;
  email: string | null;
  /** Rendered blank (Twitter contacts); the fields above stay the truth. Default: not blank. */
  blank?: BlankAuthorStyle;
}

/** A workspace teammate. */
export interface SimAdmin {
  id: string;
  name: string;
  email: string;
  job_title: string | null;
  away_mode_enabled: boolean;
  team_ids: string[];
  author: SimAuthor;
  /** `malformed`: `GET /admins` lists it with `team_ids` as text (no client can read it). */
  quirks?: SimRecordQuirks;
}

/** A team of admins. */
export interface SimTeam {
  id: string;
  name: string;
  admin_ids: string[];
  author: SimAuthor;
  /** `malformed`: `GET /teams` lists it with `admin_ids` as text (no client can read it). */
  quirks?: SimRecordQuirks;
}

/** A tag that can be applied to conversations and contacts. */
export interface SimTag {
  id: string;
  name: string;
  /** `malformed`: `GET /tags` lists it with `name: null` (no client can read it). */
  quirks?: SimRecordQuirks;
}

/**
 * A record of a list that breaks Intercom's description, for tests of a sync's tolerance:
 * `sim.workspace.tags[0]!.quirks = { malformed: true }`. What breaks is said where it is used.
 */
export interface SimRecordQuirks {
  malformed?: boolean;
}

/** A user or lead. */
export interface SimContact {
  id: string;
  external_id: string | null;
  role: "user" | "lead";
  email: string | null;
  phone: string | null;
  name: string | null;
  created_at: number;
  updated_at: number;
  signed_up_at: number | null;
  last_seen_at: number | null;
  custom_attributes: Record<string, string | number | boolean | null>;
  tag_ids: string[];
  author: SimAuthor;
  /** Companies the contact belongs to (ids). Default none. */
  company_ids?: string[];
  /** Where the contact was last seen. Default unknown. */
  location?: { country: string | null; region: string | null; city: string | null };
  /** The teammate who owns the contact. Default none. */
  owner_id?: string | null;
  /**
   * Set when merged into another contact (`sim.mergeContact`): from then on it is left out of
   * `POST /contacts/search` and `GET /contacts`, and `GET /contacts/{id}` answers 404, as the
   * description of those endpoints says.
   */
  merged_into?: string;
}

/**
 * Part types the simulator produces: messages, state changes, assignments, and the events real
 * workspaces have besides (bots, workflows, attribute and ticket updates, custom actions).
 */
export const SIM_PART_TYPES = [
  "comment",
  "note",
  "assignment",
  "open",
  "close",
  "snoozed",
  "quick_reply",
  "default_assignment",
  "assign_and_reopen",
  "conversation_attribute_updated_by_admin",
  "ticket_state_updated_by_admin",
  "custom_action_started",
  "custom_action_finished",
] as const;

/** One of {@link SIM_PART_TYPES}. */
export type SimPartType = typeof SIM_PART_TYPES[number];

/** One conversation part. */
export interface SimPart {
  id: string;
  part_type: SimPartType;
  /** HTML body; null for most state changes. */
  body: string | null;
  /** Also its `updated_at` and `notified_at` in the API. */
  created_at: number;
  author: SimAuthor;
  assigned_to: { type: "admin" | "team"; id: string } | null;
  /** Files attached (metadata). Default none. */
  attachments?: SimAttachment[];
}

/** A tag as applied to one conversation. */
export interface SimAppliedTag {
  tag: SimTag;
  applied_at: number;
  applied_by: string;
}

/** A conversation rating left by the contact. */
export interface SimRating {
  rating: number;
  remark: string | null;
  created_at: number;
  contact_id: string;
  teammate_id: string;
}

/** Conversation statistics, recomputed from the parts whenever they change. */
export interface SimStatistics {
  time_to_assignment: number | null;
  time_to_admin_reply: number | null;
  time_to_first_close: number | null;
  time_to_last_close: number | null;
  median_time_to_reply: number | null;
  first_contact_reply_at: number | null;
  first_assignment_at: number | null;
  first_admin_reply_at: number | null;
  first_close_at: number | null;
  last_assignment_at: number | null;
  last_assignment_admin_reply_at: number | null;
  last_contact_reply_at: number | null;
  last_admin_reply_at: number | null;
  last_close_at: number | null;
  last_closed_by_id: string | null;
  count_reopens: number;
  count_assignments: number;
}

/** The first message of a conversation. */
export interface SimSource {
  type: string;
  id: string;
  delivered_as: string;
  subject: string;
  body: string;
  author: SimAuthor;
  url: string | null;
  /** Files attached to the first message (metadata). Default none. */
  attachments?: SimAttachment[];
}

/**
 * Shapes of one conversation that Intercom's description allows (or that break it, for
 * `malformed`), for tests of a client's tolerance. Set by the generator for a few conversations
 * and by tests: `sim.workspace.conversationsById.get(id)!.quirks = { nullStatistics: true }`.
 */
export interface SimQuirks {
  /** `statistics: null`. */
  nullStatistics?: boolean;
  /** `teammates: null`. */
  nullTeammates?: boolean;
  /** `teammates.teammates[].id: null` (the description's `reference.id` is nullable). */
  nullTeammateIds?: boolean;
  /**
   * `GET /conversations/{id}` answers a body no client can parse (`created_at` is text), the
   * description does not allow; search and list still show the conversation normally.
   */
  malformed?: boolean;
  /**
   * Search and list show it with a body no client can parse (`created_at` is text);
   * `GET /conversations/{id}` answers normally unless `malformed` is set too.
   */
  malformedInSearch?: boolean;
}

/** A conversation with every part it has (possibly more than the 500 the API returns). */
export interface SimConversation {
  id: string;
  title: string | null;
  created_at: number;
  /** Time of the last part (or created_at when there is none). */
  updated_at: number;
  waiting_since: number | null;
  snoozed_until: number | null;
  state: "open" | "closed" | "snoozed";
  read: boolean;
  priority: "priority" | "not_priority";
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
  tags: SimAppliedTag[];
  source: SimSource;
  contact_ids: string[];
  teammate_ids: string[];
  custom_attributes: Record<string, string | number | boolean | null>;
  rating: SimRating | null;
  statistics: SimStatistics;
  parts: SimPart[];
  /** Allowed-but-odd shapes to render; see {@link SimQuirks}. Default none. */
  quirks?: SimQuirks;
  /** Tickets (and conversations) linked to it. Default none. */
  linked?: SimLink[];
  /** The SLA applied. Default none. */
  sla?: SimSla | null;
  /** Topics it was classified under. Default none. */
  topics?: SimTopic[];
  /** What Fin did, when it took part. Default: it did not. */
  ai_agent?: SimAiAgent | null;
}

/** The app (workspace) the token belongs to. */
export interface SimApp {
  id_code: string;
  name: string;
  region: string;
  timezone: string;
  created_at: number;
}

/** A whole simulated workspace. */
export interface Workspace {
  app: SimApp;
  /** The admin owning the token (`GET /me`). */
  me: { id: string; name: string; email: string };
  admins: SimAdmin[];
  teams: SimTeam[];
  tags: SimTag[];
  /** The bot that authors automated parts. */
  bot: SimAuthor;
  contacts: SimContact[];
  conversations: SimConversation[];
  conversationsById: Map<string, SimConversation>;
  contactsById: Map<string, SimContact>;
  companies: SimCompany[];
  companiesById: Map<string, SimCompany>;
  ticketTypes: SimTicketType[];
  tickets: SimTicket[];
  ticketsById: Map<string, SimTicket>;
  /** Attribute definitions of contacts, companies and conversations (`GET /data_attributes`). */
  dataAttributes: SimDataAttribute[];
  /** Id counters for records created later by mutations. */
  counters: {
    conversation: number;
    part: number;
    source: number;
    ticket: number;
    ticketNumber: number;
    ticketPart: number;
  };
}

/** Adds a new conversation to the workspace and its index. */
export function addConversation(ws: Workspace, conversation: SimConversation): void {
  ws.conversations.push(conversation);
  ws.conversationsById.set(conversation.id, conversation);
}

/** The next unused part id (numeric string, strictly increasing). */
export function nextPartId(ws: Workspace): string {
  ws.counters.part += 1;
  return String(ws.counters.part);
}
