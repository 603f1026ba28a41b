/**
 * Company keys of conversations and tickets (see migration 8): `c:<company id>` for every
 * company of the record's contacts and `p:<plan>` for their plans (SQLite's ASCII `lower()`),
 * kept in `conversation_company_keys` / `ticket_company_keys` and indexed as `zzk<hex>` facet
 * tokens, so a company or plan filter is answered by the full-text index.
 *
 * A document's tokens must be what its index entry holds, so keys change only together with a
 * re-index: {@link replaceCompanyKeys} inside `upsertConversation`/`upsertTicket` (between
 * their full-text delete and insert), {@link reindexCompanyKeys} everywhere else (a contact's
 * companies or a company's plan changed), which deletes and re-inserts the document itself.
 */
import type { Connection } from "./database.ts";

/** Conversations or tickets. */
export type KeyedKind = "conversation" | "ticket";

const TABLES = {
  conversation: {
    keys: "conversation_company_keys",
    id: "conversation_id",
    links: "conversation_contacts",
    rows: "conversations",
    fts: "conversations_fts",
    columns: "subject, title, body, facets",
    documents: "conversation_documents",
  },
  ticket: {
    keys: "ticket_company_keys",
    id: "ticket_id",
    links: "ticket_contacts",
    rows: "tickets",
    fts: "tickets_fts",
    columns: "title, description, body, facets",
    documents: "ticket_documents",
  },
} as const;

/** Whether migration 8 is in this store (a read-only open of an older one may lack it). */
export function hasCompanyKeys(conn: Connection): boolean {
  return conn.hasTable("conversation_company_keys");
}

/** The keys a record should have now, from its contacts' companies. */
function wantedKeys(conn: Connection, kind: KeyedKind, id: string): string[] {
  const t = TABLES[kind];
  return conn.all(
    `SELECT 'c:' || cc.company_id AS key FROM ${t.links} x
       JOIN contact_companies cc ON cc.contact_id = x.contact_id WHERE x.${t.id} = ?1
     UNION
     SELECT 'p:' || lower(co.plan_name) FROM ${t.links} x
       JOIN contact_companies cc ON cc.contact_id = x.contact_id
       JOIN companies co ON co.id = cc.company_id
     WHERE x.${t.id} = ?1 AND co.plan_name IS NOT NULL
     ORDER BY 1`,
    id,
  ).map((row) => String(row.key));
}

function storedKeys(conn: Connection, kind: KeyedKind, id: string): string[] {
  const t = TABLES[kind];
  return conn.all(`SELECT key FROM ${t.keys} WHERE ${t.id} = ? ORDER BY key`, id)
    .map((row) => String(row.key));
}

function writeKeys(conn: Connection, kind: KeyedKind, id: string, keys: readonly string[]) {
  const t = TABLES[kind];
  conn.run(`DELETE FROM ${t.keys} WHERE ${t.id} = ?`, id);
  for (const key of keys) conn.run(`INSERT INTO ${t.keys} (${t.id}, key) VALUES (?, ?)`, id, key);
}

/**
 * Sets a record's keys to what its contacts' companies say, without touching the full-text
 * index: only between the index's delete and insert of the record's document.
 */
export function replaceCompanyKeys(conn: Connection, kind: KeyedKind, id: string): void {
  if (!hasCompanyKeys(conn)) return;
  const wanted = wantedKeys(conn, kind, id);
  if (wanted.join("\n") !== storedKeys(conn, kind, id).join("\n")) {
    writeKeys(conn, kind, id, wanted);
  }
}

/** Sets the keys of `ids` to what they should be, re-indexing each record whose keys change. */
export function reindexCompanyKeys(conn: Connection, kind: KeyedKind, ids: Iterable<string>) {
  if (!hasCompanyKeys(conn)) return 0;
  const t = TABLES[kind];
  let changed = 0;
  for (const id of ids) {
    const wanted = wantedKeys(conn, kind, id);
    if (wanted.join("\n") === storedKeys(conn, kind, id).join("\n")) continue;
    const row = conn.get(`SELECT doc_id FROM ${t.rows} WHERE id = ?`, id);
    if (row === undefined) continue;
    const docId = Number(row.doc_id);
    conn.run(
      `INSERT INTO ${t.fts} (${t.fts}, rowid, ${t.columns}) ` +
        `SELECT 'delete', doc_id, ${t.columns} FROM ${t.documents} WHERE doc_id = ?`,
      docId,
    );
    writeKeys(conn, kind, id, wanted);
    conn.run(
      `INSERT INTO ${t.fts} (rowid, ${t.columns}) ` +
        `SELECT doc_id, ${t.columns} FROM ${t.documents} WHERE doc_id = ?`,
      docId,
    );
    changed++;
  }
  return changed;
}

/** Re-indexes the conversations and tickets of `contactIds` whose company keys changed. */
export function contactsCompaniesChanged(conn: Connection, contactIds: readonly string[]) {
  if (!hasCompanyKeys(conn) || contactIds.length === 0) return;
  const list = JSON.stringify(contactIds);
  for (const kind of ["conversation", "ticket"] as const) {
    const t = TABLES[kind];
    const ids = conn.all(
      `SELECT DISTINCT ${t.id} AS id FROM ${t.links} ` +
        "WHERE contact_id IN (SELECT value FROM json_each(?))",
      list,
    ).map((row) => String(row.id));
    reindexCompanyKeys(conn, kind, ids);
  }
}

/** Re-indexes the conversations and tickets of the contacts of `companyIds`. */
export function companiesChanged(conn: Connection, companyIds: readonly string[]) {
  if (!hasCompanyKeys(conn) || companyIds.length === 0) return;
  const contacts = conn.all(
    "SELECT DISTINCT contact_id FROM contact_companies " +
      "WHERE company_id IN (SELECT value FROM json_each(?))",
    JSON.stringify(companyIds),
  ).map((row) => String(row.contact_id));
  contactsCompaniesChanged(conn, contacts);
}
