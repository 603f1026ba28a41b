/**
 * The store's schema, as versioned migrations embedded in code (no files are read at run
 * time). A migration only ever moves forward; each one runs in its own transaction.
 */

/** One schema step: `sql` runs inside a transaction that also records `version`. */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  readonly version: number;
  /** A short description, recorded in `schema_version`. */
  readonly name: string;
  readonly sql: string;
  /**
   * True when this program's reads work on a store that lacks this migration (it only restates
   * something in another syntax, say): a read-only open (`status`, `monitor`, `debug health`,
   * the MCP server) then accepts such a store, and the next sync migrates it. Default false: a
   * read-only open refuses a store that lacks it.
   */
  readonly readCompatible?: boolean;
}

/**
 * Version 1.
 *
 * `conversations.doc_id` is an explicit INTEGER PRIMARY KEY (an implicit rowid may be
 * renumbered by VACUUM, which would detach the full-text index from its rows) and it
 * encodes recency: `updated_at * 2^20 + n` (see `search_keys.ts`), reassigned when
 * `updated_at` changes. So the index's native rowid order is "newest updated first" and an
 * `updated_at` window is a rowid range, which FTS5 answers without touching the table. The
 * Intercom id stays the key everything refers to (`id TEXT NOT NULL UNIQUE`, the target of
 * every foreign key).
 *
 * Full-text layout: one FTS5 row per conversation, an external-content index over the
 * `conversation_documents` view, so the text is stored once (in the tables) and only the
 * inverted index is added. Columns: subject, title, body (the source body and every stored
 * part body, oldest first) and `facets`, tokens for state, tags and assignees (weight 0 in
 * bm25, never matched by user text). Why one row per conversation rather than per part:
 * counting, ranking and paging then deal with at most one row per conversation (per-part
 * rows need a GROUP BY over up to 500 rows each, and a common word matches most parts), bm25
 * ranks whole threads, which is what a search for "refund double charge" means, and filters
 * on state, tag and assignee become doclist intersections inside FTS5 instead of a table
 * lookup per match. The cost is re-indexing a thread when it changes, which
 * `upsertConversation` does in its transaction (delete the old document, as the view still
 * shows it, before touching the rows; insert the new one after).
 */
const V1 = `
CREATE TABLE conversations (
  doc_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  waiting_since INTEGER,
  snoozed_until INTEGER,
  state TEXT NOT NULL,
  open INTEGER NOT NULL,
  read INTEGER NOT NULL,
  priority TEXT,
  title TEXT,
  admin_assignee_id TEXT,
  team_assignee_id TEXT,
  source_id TEXT,
  source_type TEXT,
  source_subject TEXT,
  source_body TEXT,
  source_author_type TEXT,
  source_author_id TEXT,
  source_author_name TEXT,
  source_author_email TEXT COLLATE NOCASE,
  source_delivered_as TEXT,
  source_url TEXT,
  contact_ids TEXT NOT NULL DEFAULT '[]',
  tag_names TEXT NOT NULL DEFAULT '[]',
  statistics TEXT NOT NULL DEFAULT '{}',
  custom_attributes TEXT NOT NULL DEFAULT '{}',
  rating TEXT,
  parts_total INTEGER NOT NULL DEFAULT 0,
  parts_truncated INTEGER NOT NULL DEFAULT 0,
  customer_messages INTEGER NOT NULL DEFAULT 0,
  teammate_messages INTEGER NOT NULL DEFAULT 0,
  synced_at INTEGER NOT NULL
);
CREATE INDEX conversations_updated ON conversations (updated_at DESC, id);
CREATE INDEX conversations_created ON conversations (created_at DESC, id);
CREATE INDEX conversations_state ON conversations (state, updated_at DESC, id);
CREATE INDEX conversations_author_email ON conversations (source_author_email);
CREATE INDEX conversations_admin ON conversations (admin_assignee_id, updated_at DESC);
CREATE INDEX conversations_team ON conversations (team_assignee_id, updated_at DESC);
-- Normally empty: lets a created_at lower bound become a doc_id bound (see search_plans.ts).
CREATE INDEX conversations_updated_before_created ON conversations (created_at, doc_id)
  WHERE updated_at < created_at;

CREATE TABLE conversation_parts (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  part_type TEXT NOT NULL,
  author_type TEXT,
  author_id TEXT,
  author_name TEXT,
  author_email TEXT,
  body TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  redacted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversation_parts_conversation ON conversation_parts (conversation_id, created_at, id);

CREATE TABLE conversation_contacts (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (conversation_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX conversation_contacts_contact ON conversation_contacts (contact_id);

CREATE TABLE conversation_tags (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  tag_id TEXT NOT NULL,
  tag_name TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  PRIMARY KEY (conversation_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX conversation_tags_key ON conversation_tags (tag_key, conversation_id);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  external_id TEXT,
  role TEXT,
  email TEXT COLLATE NOCASE,
  phone TEXT,
  name TEXT,
  created_at INTEGER,
  updated_at INTEGER,
  last_seen_at INTEGER,
  custom_attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX contacts_email ON contacts (email);

CREATE TABLE admins (
  id TEXT PRIMARY KEY,
  name TEXT COLLATE NOCASE,
  email TEXT COLLATE NOCASE,
  job_title TEXT,
  away_mode_enabled INTEGER NOT NULL DEFAULT 0,
  team_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE,
  admin_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE tags (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE
);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  mode TEXT NOT NULL,
  window_start INTEGER,
  window_end INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  conversations_seen INTEGER NOT NULL DEFAULT 0,
  conversations_fetched INTEGER NOT NULL DEFAULT 0,
  conversations_skipped INTEGER NOT NULL DEFAULT 0,
  parts_upserted INTEGER NOT NULL DEFAULT 0,
  contacts_upserted INTEGER NOT NULL DEFAULT 0,
  api_calls INTEGER NOT NULL DEFAULT 0,
  retries INTEGER NOT NULL DEFAULT 0,
  rate_limited INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  process_id TEXT,
  session_id TEXT
);
CREATE INDEX sync_runs_status ON sync_runs (status, id);

CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor INTEGER,
  checkpoint TEXT,
  updated_at INTEGER
);
INSERT INTO sync_state (id) VALUES (1);

CREATE VIEW conversation_documents AS
SELECT
  c.doc_id AS doc_id,
  c.source_subject AS subject,
  c.title AS title,
  concat_ws(char(10), c.source_body, (
    SELECT group_concat(p.body, char(10) ORDER BY p.created_at, p.id)
    FROM conversation_parts p
    WHERE p.conversation_id = c.id
  )) AS body,
  concat_ws(' ',
    'zzs' || hex(c.state),
    CASE WHEN c.admin_assignee_id IS NOT NULL THEN 'zza' || hex(c.admin_assignee_id) END,
    CASE WHEN c.team_assignee_id IS NOT NULL THEN 'zzt' || hex(c.team_assignee_id) END,
    (SELECT group_concat('zzg' || hex(t.tag_key), ' ' ORDER BY t.tag_id)
     FROM conversation_tags t WHERE t.conversation_id = c.id)
  ) AS facets
FROM conversations c;

CREATE VIRTUAL TABLE conversations_fts USING fts5 (
  subject, title, body, facets,
  content = 'conversation_documents',
  content_rowid = 'doc_id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('rank', 'bm25(4.0, 4.0, 1.0, 0.0)');
`;

/**
 * Version 2: the documents view in syntax SQLite 3.37 parses (Ubuntu 22.04; Debian 12 ships
 * 3.40), so `sqlite3 data.db`, DB Browser and Datasette open the store: version 1 used
 * `group_concat(… ORDER BY …)` and `concat_ws`, which need 3.44, and an older SQLite refuses
 * the whole schema ("malformed database schema (conversation_documents)").
 *
 * The view yields exactly the documents of version 1, so the full-text index stays valid and
 * nothing is re-indexed: the parts are ordered in a subquery (SQLite keeps that order in the
 * aggregate: a subquery with ORDER BY under an aggregate is never flattened), and
 * `concat_ws(sep, a, b)` (NULLs skipped) becomes `substr(coalesce(sep || a, '') ||
 * coalesce(sep || b, ''), 2)`.
 */
const V2 = `
DROP VIEW conversation_documents;
CREATE VIEW conversation_documents AS
SELECT
  c.doc_id AS doc_id,
  c.source_subject AS subject,
  c.title AS title,
  substr(
    coalesce(char(10) || c.source_body, '') ||
    coalesce(char(10) || (
      SELECT group_concat(body, char(10)) FROM (
        SELECT p.body AS body FROM conversation_parts p
        WHERE p.conversation_id = c.id
        ORDER BY p.created_at, p.id
      )
    ), ''),
    2
  ) AS body,
  'zzs' || hex(c.state) ||
    coalesce(' ' || CASE WHEN c.admin_assignee_id IS NOT NULL
      THEN 'zza' || hex(c.admin_assignee_id) END, '') ||
    coalesce(' ' || CASE WHEN c.team_assignee_id IS NOT NULL
      THEN 'zzt' || hex(c.team_assignee_id) END, '') ||
    coalesce(' ' || (
      SELECT group_concat(g, ' ') FROM (
        SELECT 'zzg' || hex(t.tag_key) AS g FROM conversation_tags t
        WHERE t.conversation_id = c.id
        ORDER BY t.tag_id
      )
    ), '') AS facets
FROM conversations c;
`;

/**
 * Version 3: each run's API requests by endpoint template and HTTP status (JSON), so that
 * `/metrics` counts requests by endpoint and status from the store, whichever process ran the
 * sync. Reads work without it (the totals are then empty), so read-only opens accept a v2 store.
 */
const V3 = `ALTER TABLE sync_runs ADD COLUMN api_requests TEXT NOT NULL DEFAULT '{}';`;

/**
 * Version 4: what an exact mirror needs to remember between runs (issue 10).
 *
 * - `conversations.fetched_at`, `contacts.fetched_at`: the second (this machine's clock) in
 *   which the stored copy was requested. `updated_at` has whole seconds, so a change in the
 *   same second as a fetch leaves it equal; only a copy requested in a later second than its
 *   `updated_at` is known to be complete (`lib/sync/freshness.ts`). NULL: stored by an older
 *   version, not known, so fetched again when next seen.
 * - `quarantine`: records that cannot be read (a body outside anything Intercom's description
 *   allows): the sync stores everything else, reports them and retries them every run.
 * - `missing_contacts`: contacts a stored conversation names that could not be fetched yet
 *   (deleted or merged away, or not found); retried every run.
 * - `sync_state.search_unsorted_at`: when a conversation search last came back out of
 *   `updated_at` order (its `sort` is not in the 2.11 description): from then on a run never
 *   resumes from the middle of a search.
 *
 * Only additions, and every reader tolerates a store without them: read-compatible.
 */
const V4 = `
ALTER TABLE conversations ADD COLUMN fetched_at INTEGER;
ALTER TABLE contacts ADD COLUMN fetched_at INTEGER;
ALTER TABLE sync_state ADD COLUMN search_unsorted_at INTEGER;

CREATE TABLE quarantine (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  reason TEXT NOT NULL,
  endpoint TEXT,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE missing_contacts (
  contact_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  first_missed_at INTEGER NOT NULL,
  last_tried_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
`;

/**
 * Version 5: how an interrupted run ended. `status` keeps its four values (its CHECK cannot
 * change without rebuilding the table); `ended_by` tells a run its process was killed in
 * (`crashed`: found by the next sync, which takes over the lock) from one stopped on purpose
 * (`user`: Ctrl-C or SIGTERM). Readers show the former as `crashed`. Reads work without it.
 */
const V5 = `ALTER TABLE sync_runs ADD COLUMN ended_by TEXT;`;

/** Scripts written without spaces between words (CJK, Thai, Lao, Khmer, Myanmar), as a GLOB set. */
export const UNSPACED_SCRIPTS_GLOB = "*[ก-๛ກ-ໟက-႟ក-៹ぁ-ヿ㐀-䶿一-鿿가-힣豈-﫿ｦ-ﾟ]*";

/**
 * Version 6: substring search for scripts without spaces between words. unicode61 makes a
 * whole run of Chinese or Japanese one token, so `請求書` inside `お客様の請求書を` is never
 * found. Conversations whose text holds such a script get a copy of their document in
 * `conversation_unspaced` (subject, title and body; usually none, so nothing for most
 * workspaces) and a trigram index over it: a term of 3+ characters is a trigram phrase
 * match, a shorter one a LIKE over those rows. Triggers keep the index in step with the
 * table; `upsertConversation` deletes a conversation's row before changing it and inserts the
 * new one after, as it does for `conversations_fts`. Plain SQL and FTS5's trigram tokenizer
 * (SQLite 3.34+), so the store still opens in SQLite 3.37 and 3.40.
 */
/**
 * Whether a column holds unspaced script: ASCII-only text (most of it) is ruled out by
 * `octet_length = length` before the GLOB, which costs ~12× more per character (the
 * backfill of a 100,000-conversation store: 1.8 s instead of 22 s). Runs in the program's
 * SQLite only (octet_length is 3.43+); the schema it leaves reads in 3.37.
 */
function unspaced(column: string): string {
  return `(octet_length(${column}) != length(${column}) AND ${column} GLOB '${UNSPACED_SCRIPTS_GLOB}')`;
}

const V6 = `
CREATE TABLE conversation_unspaced (
  doc_id INTEGER PRIMARY KEY,
  text TEXT NOT NULL
);
CREATE VIRTUAL TABLE conversations_unspaced_fts USING fts5 (
  text,
  content = 'conversation_unspaced',
  content_rowid = 'doc_id',
  tokenize = 'trigram'
);
CREATE TRIGGER conversation_unspaced_ai AFTER INSERT ON conversation_unspaced BEGIN
  INSERT INTO conversations_unspaced_fts (rowid, text) VALUES (new.doc_id, new.text);
END;
CREATE TRIGGER conversation_unspaced_ad AFTER DELETE ON conversation_unspaced BEGIN
  INSERT INTO conversations_unspaced_fts (conversations_unspaced_fts, rowid, text)
  VALUES ('delete', old.doc_id, old.text);
END;
INSERT INTO conversation_unspaced (doc_id, text)
SELECT doc_id, text FROM (
  SELECT d.doc_id AS doc_id,
    coalesce(d.subject, '') || char(10) || coalesce(d.title, '') || char(10) ||
      coalesce(d.body, '') AS text
  FROM conversation_documents d
  WHERE d.doc_id IN (
    SELECT c.doc_id FROM conversations c
    WHERE ${unspaced("c.source_subject")} OR ${unspaced("c.title")}
      OR ${unspaced("c.source_body")}
      OR c.id IN (SELECT p.conversation_id FROM conversation_parts p
                  WHERE ${unspaced("p.body")})
  )
);
`;

/**
 * Version 7: what a support team works with besides conversations (issue 14).
 *
 * - Conversations: the applied SLA, topics, what Fin did (`ai_agent`, JSON), whether it took
 *   part, the source's attachments; parts: whom an assignment assigned to, attachments (all
 *   metadata: name, URL, content type, size; never the bytes). Defaults mean "not synced yet":
 *   a conversation stored by an older version shows none until its next change re-fetches it.
 * - `object_links`: `linked_objects` of conversations and tickets, one row per direction as
 *   Intercom reports it (a link appears under both records once both are synced).
 * - Contacts: tag ids, location, owner; `contact_companies` links them to companies.
 * - `companies`, `tickets` (+ `ticket_parts`, `ticket_contacts`), `ticket_types`,
 *   `data_attributes` (labels for custom attribute values).
 * - Full text: `tickets_fts` over a `ticket_documents` view (title, description, every stored
 *   part body, and facet tokens for state, category, type and assignees, weight 0) laid out
 *   like `conversations_fts` — one row per ticket, `doc_id` encodes recency (see
 *   `search_keys.ts`); `companies_fts` over `company_documents` (name; website, industry,
 *   plan, and `search_text`: custom attribute values and tags, joined when written — FTS5's
 *   integrity check fails on a view with `json_each`). Views in SQLite 3.37 syntax (see v2).
 * - `sync_streams`: per stream (tickets, companies, contacts) its completed cursor and resume
 *   checkpoint, as `sync_state` holds them for conversations.
 *
 * Only additions; readers of older stores see no tickets and no companies (read-compatible).
 */
const V7 = `
ALTER TABLE conversations ADD COLUMN sla_name TEXT;
ALTER TABLE conversations ADD COLUMN sla_status TEXT;
ALTER TABLE conversations ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN ai_agent TEXT;
ALTER TABLE conversations ADD COLUMN ai_agent_participated INTEGER;
ALTER TABLE conversations ADD COLUMN source_attachments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversation_parts ADD COLUMN assigned_to_type TEXT;
ALTER TABLE conversation_parts ADD COLUMN assigned_to_id TEXT;
ALTER TABLE conversation_parts ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

CREATE TABLE object_links (
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_type TEXT NOT NULL,
  to_id TEXT NOT NULL,
  category TEXT,
  PRIMARY KEY (from_type, from_id, to_type, to_id)
) WITHOUT ROWID;
CREATE INDEX object_links_to ON object_links (to_type, to_id);

ALTER TABLE contacts ADD COLUMN tag_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN location_country TEXT;
ALTER TABLE contacts ADD COLUMN location_region TEXT;
ALTER TABLE contacts ADD COLUMN location_city TEXT;
ALTER TABLE contacts ADD COLUMN owner_id TEXT;
CREATE TABLE contact_companies (
  contact_id TEXT NOT NULL,
  company_id TEXT NOT NULL,
  PRIMARY KEY (contact_id, company_id)
) WITHOUT ROWID;
CREATE INDEX contact_companies_company ON contact_companies (company_id, contact_id);

CREATE TABLE companies (
  doc_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT,
  name TEXT COLLATE NOCASE,
  plan_id TEXT,
  plan_name TEXT COLLATE NOCASE,
  size INTEGER,
  website TEXT,
  industry TEXT COLLATE NOCASE,
  monthly_spend REAL,
  session_count INTEGER,
  user_count INTEGER,
  remote_created_at INTEGER,
  created_at INTEGER,
  updated_at INTEGER NOT NULL,
  last_request_at INTEGER,
  custom_attributes TEXT NOT NULL DEFAULT '{}',
  tag_names TEXT NOT NULL DEFAULT '[]',
  search_text TEXT,
  synced_at INTEGER NOT NULL
);
CREATE INDEX companies_plan ON companies (plan_name, id);
CREATE INDEX companies_updated ON companies (updated_at DESC, id);

CREATE TABLE ticket_types (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT,
  icon TEXT,
  category TEXT,
  archived INTEGER NOT NULL DEFAULT 0,
  attributes TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER,
  updated_at INTEGER
);

CREATE TABLE data_attributes (
  model TEXT NOT NULL,
  name TEXT NOT NULL,
  full_name TEXT,
  label TEXT,
  description TEXT,
  data_type TEXT,
  options TEXT,
  custom INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model, name)
) WITHOUT ROWID;

CREATE TABLE tickets (
  doc_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  ticket_number TEXT,
  ticket_type_id TEXT,
  ticket_type_name TEXT,
  category TEXT,
  title TEXT,
  description TEXT,
  state TEXT,
  state_label TEXT,
  open INTEGER NOT NULL,
  admin_assignee_id TEXT,
  team_assignee_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  snoozed_until INTEGER,
  is_shared INTEGER NOT NULL DEFAULT 0,
  ticket_attributes TEXT NOT NULL DEFAULT '{}',
  contact_ids TEXT NOT NULL DEFAULT '[]',
  parts_total INTEGER NOT NULL DEFAULT 0,
  parts_truncated INTEGER NOT NULL DEFAULT 0,
  fetched_at INTEGER,
  synced_at INTEGER NOT NULL
);
CREATE INDEX tickets_updated ON tickets (updated_at DESC, id);
CREATE INDEX tickets_state ON tickets (state, updated_at DESC);
CREATE INDEX tickets_type ON tickets (ticket_type_id, updated_at DESC);

CREATE TABLE ticket_parts (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  part_type TEXT NOT NULL,
  body TEXT,
  author_type TEXT,
  author_id TEXT,
  author_name TEXT,
  author_email TEXT,
  ticket_state TEXT,
  previous_ticket_state TEXT,
  assigned_to_type TEXT,
  assigned_to_id TEXT,
  attachments TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  redacted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_parts_ticket ON ticket_parts (ticket_id, created_at, id);

CREATE TABLE ticket_contacts (
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL,
  PRIMARY KEY (ticket_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX ticket_contacts_contact ON ticket_contacts (contact_id);

CREATE TABLE sync_streams (
  stream TEXT PRIMARY KEY,
  cursor INTEGER,
  checkpoint TEXT,
  updated_at INTEGER
);

CREATE VIEW ticket_documents AS
SELECT
  t.doc_id AS doc_id,
  t.title AS title,
  t.description AS description,
  (SELECT group_concat(body, char(10)) FROM (
    SELECT p.body AS body FROM ticket_parts p
    WHERE p.ticket_id = t.id AND p.body IS NOT NULL
    ORDER BY p.created_at, p.id
  )) AS body,
  'zzs' || hex(coalesce(t.state, '')) ||
    ' zzc' || hex(coalesce(t.category, '')) ||
    coalesce(' zzy' || hex(t.ticket_type_id), '') ||
    coalesce(' zza' || hex(t.admin_assignee_id), '') ||
    coalesce(' zzt' || hex(t.team_assignee_id), '') AS facets
FROM tickets t;

CREATE VIRTUAL TABLE tickets_fts USING fts5 (
  title, description, body, facets,
  content = 'ticket_documents',
  content_rowid = 'doc_id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('rank', 'bm25(4.0, 2.0, 1.0, 0.0)');

CREATE VIEW company_documents AS
SELECT
  c.doc_id AS doc_id,
  -- BINARY: FTS5's integrity-check of an empty index fails on a NOCASE content column
  c.name COLLATE BINARY AS name,
  substr(
    coalesce(' ' || c.website, '') || coalesce(' ' || c.industry, '') ||
    coalesce(' ' || c.plan_name, '') || coalesce(' ' || c.company_id, '') ||
    coalesce(' ' || c.search_text, ''),
    2
  ) AS details
FROM companies c;

CREATE VIRTUAL TABLE companies_fts USING fts5 (
  name, details,
  content = 'company_documents',
  content_rowid = 'doc_id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO companies_fts (companies_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
`;

/** The company facet tokens of a record's keys, as SQL appended to a documents view's facets. */
const companyTokens = (table: string, idColumn: string, id: string) => `
    coalesce(' ' || (
      SELECT group_concat(k, ' ') FROM (
        SELECT 'zzk' || hex(key) AS k FROM ${table}
        WHERE ${idColumn} = ${id}
        ORDER BY key
      )
    ), '')`;

/**
 * Version 8: company filters answered inside the full-text indexes (and tickets found by number
 * through an index). A conversation's (and a
 * ticket's) company keys — `c:<company id>` for each company of its contacts, `p:<plan, ASCII
 * lower-cased>` for each plan of those companies — are kept in `conversation_company_keys` /
 * `ticket_company_keys` and written into the documents' `facets` as `zzk<hex>` tokens, so
 * "conversations of Enterprise customers" is a doclist like a state or a tag (the join through
 * contacts and companies cost ~90 ms at 100k conversations).
 *
 * The views change, the indexed documents do not: the key tables start empty, so every
 * document still reads as it was indexed. Keys are added only through `company_keys.ts`, which
 * re-indexes a document whenever its keys change (when a conversation or ticket is stored, a
 * contact's companies change, or a company is first stored or changes plan) — the first
 * company pass of a sync fills them in.
 */
const V8 = `
CREATE TABLE conversation_company_keys (
  conversation_id TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (conversation_id, key)
) WITHOUT ROWID;
CREATE TABLE ticket_company_keys (
  ticket_id TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (ticket_id, key)
) WITHOUT ROWID;
-- get_ticket finds a ticket by the number teammates see ("#52") as well as by id
CREATE INDEX tickets_number ON tickets (ticket_number);

DROP VIEW conversation_documents;
CREATE VIEW conversation_documents AS
SELECT
  c.doc_id AS doc_id,
  c.source_subject AS subject,
  c.title AS title,
  substr(
    coalesce(char(10) || c.source_body, '') ||
    coalesce(char(10) || (
      SELECT group_concat(body, char(10)) FROM (
        SELECT p.body AS body FROM conversation_parts p
        WHERE p.conversation_id = c.id
        ORDER BY p.created_at, p.id
      )
    ), ''),
    2
  ) AS body,
  'zzs' || hex(c.state) ||
    coalesce(' ' || CASE WHEN c.admin_assignee_id IS NOT NULL
      THEN 'zza' || hex(c.admin_assignee_id) END, '') ||
    coalesce(' ' || CASE WHEN c.team_assignee_id IS NOT NULL
      THEN 'zzt' || hex(c.team_assignee_id) END, '') ||
    coalesce(' ' || (
      SELECT group_concat(g, ' ') FROM (
        SELECT 'zzg' || hex(t.tag_key) AS g FROM conversation_tags t
        WHERE t.conversation_id = c.id
        ORDER BY t.tag_id
      )
    ), '') ||${companyTokens("conversation_company_keys", "conversation_id", "c.id")} AS facets
FROM conversations c;

DROP VIEW ticket_documents;
CREATE VIEW ticket_documents AS
SELECT
  t.doc_id AS doc_id,
  t.title AS title,
  t.description AS description,
  (SELECT group_concat(body, char(10)) FROM (
    SELECT p.body AS body FROM ticket_parts p
    WHERE p.ticket_id = t.id AND p.body IS NOT NULL
    ORDER BY p.created_at, p.id
  )) AS body,
  'zzs' || hex(coalesce(t.state, '')) ||
    ' zzc' || hex(coalesce(t.category, '')) ||
    coalesce(' zzy' || hex(t.ticket_type_id), '') ||
    coalesce(' zza' || hex(t.admin_assignee_id), '') ||
    coalesce(' zzt' || hex(t.team_assignee_id), '') ||${
  companyTokens("ticket_company_keys", "ticket_id", "t.id")
} AS facets
FROM tickets t;
`;

/**
 * Version 9: substring search for tickets in scripts without spaces between words, as version 6
 * gives conversations: a ticket whose title, description or parts hold such script gets a copy
 * of that text in `ticket_unspaced` and a trigram index over it (kept by triggers; written by
 * `upsertTicket`, which deletes a ticket's row before changing it and inserts the new one after).
 */
const V9 = `
CREATE TABLE ticket_unspaced (
  doc_id INTEGER PRIMARY KEY,
  text TEXT NOT NULL
);
CREATE VIRTUAL TABLE tickets_unspaced_fts USING fts5 (
  text,
  content = 'ticket_unspaced',
  content_rowid = 'doc_id',
  tokenize = 'trigram'
);
CREATE TRIGGER ticket_unspaced_ai AFTER INSERT ON ticket_unspaced BEGIN
  INSERT INTO tickets_unspaced_fts (rowid, text) VALUES (new.doc_id, new.text);
END;
CREATE TRIGGER ticket_unspaced_ad AFTER DELETE ON ticket_unspaced BEGIN
  INSERT INTO tickets_unspaced_fts (tickets_unspaced_fts, rowid, text)
  VALUES ('delete', old.doc_id, old.text);
END;
INSERT INTO ticket_unspaced (doc_id, text)
SELECT doc_id, text FROM (
  SELECT d.doc_id AS doc_id,
    coalesce(d.title, '') || char(10) || coalesce(d.description, '') || char(10) ||
      coalesce(d.body, '') AS text
  FROM ticket_documents d
  WHERE d.doc_id IN (
    SELECT t.doc_id FROM tickets t
    WHERE ${unspaced("t.title")} OR ${unspaced("t.description")}
      OR t.id IN (SELECT p.ticket_id FROM ticket_parts p WHERE ${unspaced("p.body")})
  )
);
`;

/** Every migration this program knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial schema", sql: V1 },
  { version: 2, name: "documents view readable by SQLite 3.37", sql: V2, readCompatible: true },
  {
    version: 3,
    name: "API requests by endpoint and status per run",
    sql: V3,
    readCompatible: true,
  },
  { version: 4, name: "fetch times, quarantine, missing contacts", sql: V4, readCompatible: true },
  { version: 5, name: "how an interrupted run ended", sql: V5, readCompatible: true },
  // read-compatible: search works without it, finding unspaced scripts as before
  { version: 6, name: "substring index for unspaced scripts", sql: V6, readCompatible: true },
  {
    version: 7,
    name: "tickets, companies, conversation extras",
    sql: V7,
    readCompatible: true,
  },
  // read-compatible: without it a company filter finds nothing, everything else reads as before
  { version: 8, name: "company keys in the search indexes", sql: V8, readCompatible: true },
  // read-compatible: without it, unspaced scripts in tickets are found as whole runs only
  { version: 9, name: "substring index of tickets", sql: V9, readCompatible: true },
];

/** The schema version this program writes. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
