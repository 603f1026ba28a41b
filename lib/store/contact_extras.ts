/**
 * A contact's tags, location, owner and companies, written with the contact (the companies as
 * `contact_companies` rows, so conversations and tickets can be filtered by company) and read
 * for contact and company answers.
 */
import type { Contact } from "../intercom/types.ts";
import { contactsCompaniesChanged } from "./company_keys.ts";
import type { Connection } from "./database.ts";
import { hasSupportTables } from "./company_filter.ts";
import { storableText, stringArray, textOrNull } from "./_values.ts";

/** Writes the extras of `contact` (its row is stored); nothing on a store without the tickets migration. */
export function writeContactExtras(conn: Connection, contact: Contact): void {
  if (!hasSupportTables(conn)) return;
  conn.run(
    "UPDATE contacts SET tag_ids = ?, location_country = ?, location_region = ?, " +
      "location_city = ?, owner_id = ? WHERE id = ?",
    JSON.stringify(contact.tags),
    storableText(contact.location.country),
    storableText(contact.location.region),
    storableText(contact.location.city),
    storableText(contact.owner_id),
    contact.id,
  );
  const before = conn.all(
    "SELECT company_id FROM contact_companies WHERE contact_id = ? ORDER BY company_id",
    contact.id,
  ).map((row) => String(row.company_id));
  const after = [...new Set(contact.companies)].sort();
  if (before.join("\n") === after.join("\n")) return;
  conn.run("DELETE FROM contact_companies WHERE contact_id = ?", contact.id);
  for (const companyId of after) {
    conn.run(
      "INSERT INTO contact_companies (contact_id, company_id) VALUES (?, ?)",
      contact.id,
      companyId,
    );
  }
  // The contact's conversations and tickets now belong to other companies: re-index them.
  contactsCompaniesChanged(conn, [contact.id]);
}

/** The extras stored with a contact. */
export interface StoredContactExtras {
  tag_ids: string[];
  tag_names: string[];
  location: { country: string | null; region: string | null; city: string | null };
  owner_id: string | null;
  owner_name: string | null;
  companies: { id: string; name: string | null; plan: string | null }[];
}

/** The extras of a stored contact; null when it is not stored. */
export function readContactExtras(conn: Connection, id: string): StoredContactExtras | null {
  if (!hasSupportTables(conn)) return null;
  const row = conn.get(
    "SELECT c.tag_ids, c.location_country, c.location_region, c.location_city, c.owner_id, " +
      "a.name AS owner_name FROM contacts c LEFT JOIN admins a ON a.id = c.owner_id " +
      "WHERE c.id = ?",
    id,
  );
  if (row === undefined) return null;
  const tagIds = stringArray(row.tag_ids);
  const tagNames = tagIds.map((tagId) =>
    textOrNull(conn.get("SELECT name FROM tags WHERE id = ?", tagId)?.name) ?? tagId
  );
  const companies = conn.all(
    "SELECT l.company_id AS id, c.name, c.plan_name FROM contact_companies l " +
      "LEFT JOIN companies c ON c.id = l.company_id WHERE l.contact_id = ? ORDER BY c.name, l.company_id",
    id,
  ).map((c) => ({ id: String(c.id), name: textOrNull(c.name), plan: textOrNull(c.plan_name) }));
  return {
    tag_ids: tagIds,
    tag_names: tagNames,
    location: {
      country: textOrNull(row.location_country),
      region: textOrNull(row.location_region),
      city: textOrNull(row.location_city),
    },
    owner_id: textOrNull(row.owner_id),
    owner_name: textOrNull(row.owner_name),
    companies,
  };
}
