/**
 * Which companies a search means (by name, `Acme*` prefix, Intercom id, `company_id`, or plan),
 * as groups of company keys (see `company_keys.ts`): a record matches when it has a key of
 * every group. And whether the store has companies at all (the tickets migration).
 */
import type { Connection } from "./database.ts";
import type { CompanyFilter } from "./support_types.ts";

/** Whether the tickets migration (tickets, companies, extras) is in this store. */
export function hasSupportTables(conn: Connection): boolean {
  return conn.hasTable("tickets");
}

/** SQLite's `lower()`: ASCII letters only, so keys written in SQL and asked for here agree. */
export function sqliteLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The company keys `filter` asks for, one group per given filter (company, plan), each a list
 * of keys of which a record needs one; null without a filter. A company matches by exact name
 * (case-insensitive), `Name*` prefix, Intercom id or `company_id`; a group can come out empty
 * (no such company), and then nothing matches.
 */
export function companyKeyGroups(conn: Connection, filter: CompanyFilter): string[][] | null {
  const groups: string[][] = [];
  const company = filter.company?.trim();
  if (company) {
    const prefix = company.endsWith("*") && company.length > 1;
    const ids = prefix
      ? conn.all(
        "SELECT id FROM companies WHERE name LIKE ? ESCAPE '\\'",
        company.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + "%",
      )
      : conn.all(
        "SELECT id FROM companies WHERE name = ?1 OR id = ?1 OR company_id = ?1",
        company,
      );
    const keys = ids.map((row) => `c:${String(row.id)}`);
    // An Intercom id the contacts name, though the company itself is not stored (yet).
    if (!prefix && keys.length === 0) keys.push(`c:${company}`);
    groups.push([...new Set(keys)]);
  }
  const plan = filter.plan?.trim();
  if (plan) groups.push([`p:${sqliteLower(plan)}`]);
  return groups.length === 0 ? null : groups;
}
