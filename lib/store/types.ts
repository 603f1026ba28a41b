/**
 * Shapes the store returns. Stored records (conversations, parts, contacts, search hits) use
 * the snake_case field names of Intercom and of the columns; sync bookkeeping (state, stats)
 * uses camelCase like the rest of the program. Every time is integer Unix seconds, UTC. The
 * types of a sync run's record live with the sync (`sync/run_record.ts`).
 */

/** The incremental sync position. */
export interface SyncState {
  /** Unix seconds up to which every conversation is stored, or null before the first sync. */
  cursor: number | null;
  /** Where an interrupted sync resumes (JSON), or null. */
  checkpoint: unknown | null;
  updatedAt: number | null;
  /** When a conversation search last came back out of `updated_at` order, or null. */
  searchUnsortedAt: number | null;
}

/** A conversation part, or the conversation's source shown as its first message. */
export interface StoredPart {
  id: string;
  conversation_id: string;
  /** Intercom's part_type; `source` for the conversation's opening message. */
  part_type: string;
  author_type: string | null;
  author_id: string | null;
  author_name: string | null;
  author_email: string | null;
  /** Plain text. */
  body: string | null;
  created_at: number;
  updated_at: number | null;
  redacted: boolean;
}

/** A stored conversation with its messages. */
export interface StoredConversation {
  id: string;
  title: string | null;
  state: string;
  open: boolean;
  read: boolean;
  priority: string | null;
  created_at: number;
  updated_at: number;
  waiting_since: number | null;
  snoozed_until: number | null;
  admin_assignee_id: string | null;
  admin_assignee_name: string | null;
  team_assignee_id: string | null;
  team_assignee_name: string | null;
  source_type: string | null;
  source_subject: string | null;
  source_body: string | null;
  source_author_type: string | null;
  source_author_id: string | null;
  source_author_name: string | null;
  source_author_email: string | null;
  source_delivered_as: string | null;
  source_url: string | null;
  contact_ids: string[];
  tag_names: string[];
  statistics: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  rating: Record<string, unknown> | null;
  /** Intercom's total part count (the API returns at most the newest 500). */
  parts_total: number;
  /** Parts held locally; can exceed what the API returns now, since parts are never deleted. */
  parts_stored: number;
  /** The last fetch returned fewer parts than `parts_total`. */
  parts_truncated: boolean;
  customer_messages: number;
  teammate_messages: number;
  synced_at: number;
  /** The source (as part_type `source`) first, then parts by created_at, id. */
  parts: StoredPart[];
}

/** A stored contact. */
export interface StoredContact {
  id: string;
  external_id: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  created_at: number | null;
  updated_at: number | null;
  last_seen_at: number | null;
  custom_attributes: Record<string, unknown>;
}

/** Filters of `searchConversations`; all given filters must hold. */
export interface ConversationSearch {
  /** Free text: words (all required), `"quoted phrases"`, `word*` prefixes. */
  text?: string;
  /** Inclusive Unix-second bounds. */
  updatedSince?: number;
  updatedUntil?: number;
  createdSince?: number;
  createdUntil?: number;
  /** The source author's email or any linked contact's email, case-insensitive. */
  customerEmail?: string;
  state?: "open" | "closed" | "snoozed";
  /** Tag name, case-insensitive. */
  tag?: string;
  /** Admin id, admin name or email (case-insensitive), or team id or name. */
  assignee?: string;
  /** A company of a contact: its name (case-insensitive; `Acme*` a prefix) or id. */
  company?: string;
  /** The plan of a contact's company ("Enterprise"), case-insensitive. */
  companyPlan?: string;
  /** Default 20, clamped to 1..100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
  /**
   * Count every match. Default false: counting stops past `COUNT_LIMIT` (search_plans.ts), where
   * exact counting is what costs on a large store, and `totalIsLowerBound` says so.
   */
  exactTotal?: boolean;
  /**
   * Which hits get a snippet: all (default), or only those without a subject and a title (for
   * a caller that shows the subject or title instead; the others' snippet is null).
   */
  snippets?: "all" | "untitled";
}

/** One search result. */
export interface ConversationHit {
  id: string;
  title: string | null;
  state: string;
  created_at: number;
  updated_at: number;
  source_subject: string | null;
  source_author_name: string | null;
  source_author_email: string | null;
  admin_assignee_id: string | null;
  admin_assignee_name: string | null;
  team_assignee_id: string | null;
  team_assignee_name: string | null;
  tag_names: string[];
  parts_total: number;
  customer_messages: number;
  teammate_messages: number;
  /** Matching text with `[` and `]` around matched terms; null without a text query. */
  snippet: string | null;
  /** FTS5 bm25 score (more negative is more relevant); null when not ranked by relevance. */
  rank: number | null;
}

/** A page of search results and the number of all matches. */
export interface ConversationSearchResult {
  total: number;
  hits: ConversationHit[];
  /** What about the query was not searched as typed, in words for the user. Default: none. */
  notes?: string[];
  /** True when counting stopped: there are more than `total` matches. Default: false. */
  totalIsLowerBound?: boolean;
}

/** Counts and size of the store. */
export interface StoreStats {
  conversations: number;
  parts: number;
  contacts: number;
  admins: number;
  teams: number;
  tags: number;
  oldestCreatedAt: number | null;
  newestUpdatedAt: number | null;
  /** Database file plus write-ahead log. */
  sizeBytes: number;
  truncatedConversations: number;
}

/** Which period the store covers. */
export interface StoreCoverage {
  oldestCreatedAt: number | null;
  newestUpdatedAt: number | null;
  cursor: number | null;
  lastCompletedRunAt: number | null;
}
