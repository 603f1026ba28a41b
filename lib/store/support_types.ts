/** Shapes the store answers for tickets, companies and per-stream sync state. */
import type { StoredLink } from "./conversation_extras.ts";

/** Companies to filter conversations or tickets by: their contacts' companies. */
export interface CompanyFilter {
  /** Company name (case-insensitive, exact or `*` prefix: "Acme*"), or its Intercom id. */
  company?: string;
  /** Plan name, case-insensitive ("Enterprise"). */
  plan?: string;
}

/** Filters of a ticket search; all optional, combined with AND. */
export interface TicketSearch extends CompanyFilter {
  /** Free text over title, description and every part. */
  text?: string;
  /** submitted, in_progress, waiting_on_customer, resolved. */
  state?: string;
  /** Customer, Back-office, Tracker (case-insensitive). */
  category?: string;
  /** Ticket type name (case-insensitive) or id. */
  ticketType?: string;
  /** Admin or team id, or a name (case-insensitive). */
  assignee?: string;
  /** Tickets of this contact. */
  contactId?: string;
  /** Open (not resolved) or resolved only. */
  open?: boolean;
  /** `updated_at` bounds, Unix seconds, inclusive. */
  since?: number;
  until?: number;
  /** Default 20, 1…100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** One ticket of a search. */
export interface TicketHit {
  id: string;
  ticket_number: string | null;
  title: string | null;
  state: string | null;
  state_label: string | null;
  category: string | null;
  ticket_type_name: string | null;
  open: boolean;
  created_at: number;
  updated_at: number;
  admin_assignee_id: string | null;
  admin_assignee_name: string | null;
  team_assignee_id: string | null;
  team_assignee_name: string | null;
  contact_ids: string[];
  parts_total: number;
  /** Text around the first match, matches in `[` `]`; null without text. */
  snippet: string | null;
  /** bm25 (lower is better); null when not ranked. */
  rank: number | null;
}

/** A page of ticket hits and how many match. */
export interface TicketSearchResult {
  total: number;
  hits: TicketHit[];
}

/** One ticket part as stored. */
export interface StoredTicketPart {
  id: string;
  part_type: string;
  body: string | null;
  author_type: string | null;
  author_id: string | null;
  author_name: string | null;
  author_email: string | null;
  ticket_state: string | null;
  previous_ticket_state: string | null;
  assigned_to: { type: string | null; id: string } | null;
  attachments: {
    name: string | null;
    url: string | null;
    content_type: string | null;
    filesize: number | null;
  }[];
  created_at: number;
}

/** A stored ticket with everything known about it. */
export interface StoredTicket extends Omit<TicketHit, "snippet" | "rank"> {
  description: string | null;
  ticket_type_id: string | null;
  snoozed_until: number | null;
  is_shared: boolean;
  /** Attribute values by name (`_default_title_` and `_default_description_` included). */
  attributes: Record<string, unknown>;
  parts_truncated: boolean;
  contacts: { id: string; name: string | null; email: string | null }[];
  links: StoredLink[];
  parts: StoredTicketPart[];
  synced_at: number;
}

/** Filters of a company search. */
export interface CompanySearch {
  /** Free text over the name, website, industry, plan, custom attributes and tags. */
  text?: string;
  /** Plan name, case-insensitive. */
  plan?: string;
  /** Industry, case-insensitive. */
  industry?: string;
  /** Default 20, 1…100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** One company of a search. */
export interface CompanyHit {
  id: string;
  company_id: string | null;
  name: string | null;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number | null;
  user_count: number | null;
  updated_at: number;
  rank: number | null;
}

/** A page of company hits and how many match. */
export interface CompanySearchResult {
  total: number;
  hits: CompanyHit[];
  /** What about the query was not searched as typed (only symbols, terms past the limit). */
  notes?: string[];
}

/** A stored company with what the store links to it. */
export interface StoredCompany extends Omit<CompanyHit, "rank"> {
  session_count: number | null;
  created_at: number | null;
  remote_created_at: number | null;
  last_request_at: number | null;
  custom_attributes: Record<string, unknown>;
  /** Custom attribute labels from the data attribute definitions, by name. */
  attribute_labels: Record<string, string>;
  tag_names: string[];
  /** Stored contacts in it (at most 50, most recently updated first) and how many there are. */
  contacts: { id: string; name: string | null; email: string | null }[];
  contacts_total: number;
  /** Stored conversations and tickets of its contacts. */
  conversations_total: number;
  tickets_total: number;
  open_tickets: number;
  /** Found by name: the ids of other companies with the same name (names need not be unique). */
  same_name: string[];
  synced_at: number;
}

/** A sync stream's position (tickets, companies, contacts). */
export interface StreamState {
  stream: string;
  /** Unix seconds: everything updated before it (less the overlap) is stored; null: never. */
  cursor: number | null;
  /** Where an interrupted run of the stream resumes; null when none. */
  checkpoint: unknown | null;
  updatedAt: number | null;
}
