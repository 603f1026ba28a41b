/**
 * What the sync could not store yet, kept between runs so that every run retries it:
 *
 * - the quarantine: records Intercom answered in a shape that cannot be read (the sync stores
 *   everything else, reports these in its summary, `status`, `monitor status` and
 *   `debug health`, and clears an entry once the record reads);
 * - missing contacts: contacts a stored conversation names that could not be fetched (deleted,
 *   merged into another contact, or an error); an entry goes once the contact is stored or no
 *   stored conversation names it any more.
 *
 * Written by the sync (lib/sync) only. Readers tolerate a store older than the tables
 * (schema 4): they see no entries.
 */
import type { Connection } from "./database.ts";
import { storableText } from "./_values.ts";

/** The kinds of record the sync can quarantine. */
export type QuarantineKind =
  | "conversation"
  | "contact"
  | "ticket"
  | "company"
  | "admin"
  | "team"
  | "tag"
  | "ticket_type"
  | "data_attribute";

/** One record set aside. */
export interface QuarantineEntry {
  kind: QuarantineKind;
  id: string;
  /** What is wrong, e.g. `field "created_at": Expected number, received string`. */
  reason: string;
  /** The endpoint that answered it, e.g. "GET /conversations/{id}". */
  endpoint: string | null;
  /** Unix seconds of the first and the latest failed read. */
  firstSeenAt: number;
  lastSeenAt: number;
  /** Failed reads so far. */
  attempts: number;
}

/** One contact named by a stored conversation but not stored. */
export interface MissingContact {
  id: string;
  reason: string;
  firstMissedAt: number;
  lastTriedAt: number;
  attempts: number;
}

const MAX_REASON = 1000;

/** Records (or, when already there, updates) a failed read of `kind`/`id` at `now`. */
export function quarantine(
  conn: Connection,
  entry: { kind: QuarantineKind; id: string; reason: string; endpoint?: string | null },
  now: number,
): void {
  conn.run(
    "INSERT INTO quarantine (kind, id, reason, endpoint, first_seen_at, last_seen_at) " +
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET reason = excluded.reason, " +
      "endpoint = excluded.endpoint, last_seen_at = excluded.last_seen_at, " +
      "attempts = quarantine.attempts + 1",
    entry.kind,
    entry.id,
    storableText(entry.reason.slice(0, MAX_REASON)),
    entry.endpoint ?? null,
    now,
    now,
  );
}

/** Removes the entries of `ids` (records that have now been read and stored). */
export function clearQuarantine(
  conn: Connection,
  kind: QuarantineKind,
  ids: readonly string[],
): number {
  if (ids.length === 0) return 0;
  return conn.run(
    "DELETE FROM quarantine WHERE kind = ? AND id IN (SELECT value FROM json_each(?))",
    kind,
    JSON.stringify(ids),
  );
}

/** Every quarantined record (of `kind`, when given), oldest first. */
export function quarantined(conn: Connection, kind?: QuarantineKind): QuarantineEntry[] {
  if (!conn.hasTable("quarantine")) return [];
  const rows = kind === undefined
    ? conn.all("SELECT * FROM quarantine ORDER BY first_seen_at, kind, id")
    : conn.all("SELECT * FROM quarantine WHERE kind = ? ORDER BY first_seen_at, id", kind);
  return rows.map((row) => ({
    kind: String(row.kind) as QuarantineKind,
    id: String(row.id),
    reason: String(row.reason),
    endpoint: row.endpoint === null ? null : String(row.endpoint),
    firstSeenAt: Number(row.first_seen_at),
    lastSeenAt: Number(row.last_seen_at),
    attempts: Number(row.attempts),
  }));
}

/** Records contacts that could not be fetched (or updates their entries) at `now`. */
export function recordMissingContacts(
  conn: Connection,
  missing: readonly { id: string; reason: string }[],
  now: number,
): void {
  for (const m of missing) {
    conn.run(
      "INSERT INTO missing_contacts (contact_id, reason, first_missed_at, last_tried_at) " +
        "VALUES (?, ?, ?, ?) ON CONFLICT (contact_id) DO UPDATE SET reason = excluded.reason, " +
        "last_tried_at = excluded.last_tried_at, attempts = missing_contacts.attempts + 1",
      m.id,
      storableText(m.reason.slice(0, MAX_REASON)),
      now,
      now,
    );
  }
}

/**
 * Removes the entries of `ids` (contacts now stored), and every entry no stored conversation
 * names any more; returns how many went.
 */
export function settleMissingContacts(conn: Connection, ids: readonly string[]): number {
  return conn.run(
    "DELETE FROM missing_contacts WHERE contact_id IN (SELECT value FROM json_each(?)) " +
      "OR NOT EXISTS (SELECT 1 FROM conversation_contacts cc " +
      "WHERE cc.contact_id = missing_contacts.contact_id)",
    JSON.stringify(ids),
  );
}

/** Every missing contact, oldest first. */
export function missingContacts(conn: Connection): MissingContact[] {
  if (!conn.hasTable("missing_contacts")) return [];
  return conn.all("SELECT * FROM missing_contacts ORDER BY first_missed_at, contact_id").map((
    row,
  ) => ({
    id: String(row.contact_id),
    reason: String(row.reason),
    firstMissedAt: Number(row.first_missed_at),
    lastTriedAt: Number(row.last_tried_at),
    attempts: Number(row.attempts),
  }));
}

/** How many records are quarantined and how many contacts are missing (cheap, for status). */
export function gapCounts(conn: Connection): { quarantined: number; missingContacts: number } {
  if (!conn.hasTable("quarantine")) return { quarantined: 0, missingContacts: 0 };
  return {
    quarantined: Number(conn.get("SELECT count(*) AS n FROM quarantine")?.n ?? 0),
    missingContacts: Number(conn.get("SELECT count(*) AS n FROM missing_contacts")?.n ?? 0),
  };
}

/** Ids of the stored conversations that name any of `contactIds`. */
export function conversationsNaming(conn: Connection, contactIds: readonly string[]): string[] {
  if (contactIds.length === 0) return [];
  return conn.all(
    "SELECT DISTINCT conversation_id FROM conversation_contacts " +
      "WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY conversation_id",
    JSON.stringify(contactIds),
  ).map((row) => String(row.conversation_id));
}
