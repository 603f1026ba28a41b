/** Contacts, admins, teams and tags: writes and reads. */
import type { Admin, Contact, Tag, Team } from "../intercom/types.ts";
import { writeContactExtras } from "./contact_extras.ts";
import type { Connection, Row } from "./database.ts";
import type { StoredContact } from "./types.ts";
import {
  clampInt,
  intOrNull,
  jsonObject,
  storableJson,
  storableText,
  textOrNull,
} from "./_values.ts";

const UPSERT_CONTACT = `
INSERT INTO contacts (
  id, external_id, role, email, phone, name, created_at, updated_at, last_seen_at, custom_attributes
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  external_id = excluded.external_id, role = excluded.role, email = excluded.email,
  phone = excluded.phone, name = excluded.name, created_at = excluded.created_at,
  updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at,
  custom_attributes = excluded.custom_attributes`;

/** Options of {@linkcode upsertContacts}. */
export interface UpsertContactsOptions {
  /**
   * The second in which these copies were requested (see `lib/sync/freshness.ts`). Default:
   * left as stored (NULL for new rows), which only makes the sync fetch them again sooner.
   */
  fetchedAt?: number;
}

/** Inserts or replaces `contacts` by id in one transaction; returns how many were written. */
export function upsertContacts(
  conn: Connection,
  contacts: readonly Contact[],
  options: UpsertContactsOptions = {},
): number {
  return conn.transaction(() => {
    for (const c of contacts) {
      conn.run(
        UPSERT_CONTACT,
        c.id,
        storableText(c.external_id),
        storableText(c.role),
        storableText(c.email),
        storableText(c.phone),
        storableText(c.name),
        c.created_at,
        c.updated_at,
        c.last_seen_at,
        storableJson(c.custom_attributes),
      );
      writeContactExtras(conn, c);
      if (options.fetchedAt !== undefined) {
        conn.run("UPDATE contacts SET fetched_at = ? WHERE id = ?", options.fetchedAt, c.id);
      }
    }
    return contacts.length;
  });
}

/** Replaces every stored admin with `admins`, keeping the stored rows of the ids in `keep`. */
export function replaceAdmins(
  conn: Connection,
  admins: readonly Admin[],
  keep: readonly string[] = [],
): void {
  conn.transaction(() => {
    conn.run(
      "DELETE FROM admins WHERE id NOT IN (SELECT value FROM json_each(?))",
      JSON.stringify(keep),
    );
    for (const a of admins) {
      conn.run(
        "INSERT OR REPLACE INTO admins (id, name, email, job_title, away_mode_enabled, team_ids) " +
          "VALUES (?, ?, ?, ?, ?, ?)",
        a.id,
        storableText(a.name),
        storableText(a.email),
        storableText(a.job_title),
        a.away_mode_enabled ? 1 : 0,
        JSON.stringify(a.team_ids),
      );
    }
  });
}

/** Replaces every stored team with `teams`, keeping the stored rows of the ids in `keep`. */
export function replaceTeams(
  conn: Connection,
  teams: readonly Team[],
  keep: readonly string[] = [],
): void {
  conn.transaction(() => {
    conn.run(
      "DELETE FROM teams WHERE id NOT IN (SELECT value FROM json_each(?))",
      JSON.stringify(keep),
    );
    for (const t of teams) {
      conn.run(
        "INSERT OR REPLACE INTO teams (id, name, admin_ids) VALUES (?, ?, ?)",
        t.id,
        storableText(t.name),
        JSON.stringify(t.admin_ids),
      );
    }
  });
}

/** Replaces every stored tag with `tags`, keeping the stored rows of the ids in `keep`. */
export function replaceTags(
  conn: Connection,
  tags: readonly Tag[],
  keep: readonly string[] = [],
): void {
  conn.transaction(() => {
    conn.run(
      "DELETE FROM tags WHERE id NOT IN (SELECT value FROM json_each(?))",
      JSON.stringify(keep),
    );
    for (const t of tags) {
      conn.run("INSERT OR REPLACE INTO tags (id, name) VALUES (?, ?)", t.id, storableText(t.name));
    }
  });
}

/** The ids among `ids` with no stored contact, without duplicates, in their first order. */
export function missingContactIds(conn: Connection, ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const stored = new Set(
    conn.all(
      "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
      JSON.stringify(unique),
    ).map((row) => String(row.id)),
  );
  return unique.filter((id) => !stored.has(id));
}

/** The second each stored contact among `ids` was requested (null: unknown). */
export function contactFetchTimes(
  conn: Connection,
  ids: readonly string[],
): Map<string, number | null> {
  const result = new Map<string, number | null>();
  if (ids.length === 0) return result;
  const rows = conn.all(
    "SELECT id, fetched_at FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
    JSON.stringify(ids),
  );
  for (const row of rows) {
    result.set(String(row.id), row.fetched_at === null ? null : Number(row.fetched_at));
  }
  return result;
}

/** Ids of the stored contacts created after `seconds` (Unix). */
export function contactsCreatedAfter(conn: Connection, seconds: number): string[] {
  return conn.all("SELECT id FROM contacts WHERE created_at > ? ORDER BY created_at, id", seconds)
    .map((row) => String(row.id));
}

function toContact(row: Row): StoredContact {
  return {
    id: String(row.id),
    external_id: textOrNull(row.external_id),
    role: textOrNull(row.role),
    email: textOrNull(row.email),
    phone: textOrNull(row.phone),
    name: textOrNull(row.name),
    created_at: intOrNull(row.created_at),
    updated_at: intOrNull(row.updated_at),
    last_seen_at: intOrNull(row.last_seen_at),
    custom_attributes: jsonObject(row.custom_attributes),
  };
}

/** The contact with `id`, or null. */
export function getContact(conn: Connection, id: string): StoredContact | null {
  const row = conn.get("SELECT * FROM contacts WHERE id = ?", id);
  return row === undefined ? null : toContact(row);
}

/** Filters of {@linkcode searchContacts}. */
export interface ContactSearch {
  /** Substring of the name, email or external id, case-insensitive. */
  text?: string;
  /** Exact email, case-insensitive. */
  email?: string;
  /** Default 20, clamped to 1..100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Contacts matching every given filter, most recently updated first, and their total. */
export function searchContacts(
  conn: Connection,
  search: ContactSearch,
): { total: number; contacts: StoredContact[] } {
  const where: string[] = [];
  const params: string[] = [];
  const text = search.text?.trim();
  if (text) {
    where.push(
      "(name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\')",
    );
    const pattern = likePattern(text);
    params.push(pattern, pattern, pattern);
  }
  const email = search.email?.trim();
  if (email) {
    where.push("email = ?");
    params.push(email);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  const limit = clampInt(search.limit, { fallback: 20, min: 1, max: 100 });
  const offset = clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  const total = Number(conn.get(`SELECT count(*) AS n FROM contacts ${clause}`, ...params)?.n);
  const rows = conn.all(
    `SELECT * FROM contacts ${clause} ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`,
    ...params,
    limit,
    offset,
  );
  return { total, contacts: rows.map(toContact) };
}

/** The stored admin's name, or null. */
export function adminName(conn: Connection, id: string): string | null {
  return textOrNull(conn.get("SELECT name FROM admins WHERE id = ?", id)?.name);
}
