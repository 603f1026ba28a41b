/**
 * Which companies a search means (by name, `Acme*` prefix, id or plan) and their contacts, as
 * SQL subqueries for conversation and ticket searches; and whether the store has companies at
 * all (the tickets migration).
 */
import type { SQLInputValue } from "node:sqlite";
import type { Connection } from "./database.ts";
import type { CompanyFilter } from "./support_types.ts";

/** A WHERE fragment and its parameters. */
export interface SqlFilter {
  sql: string;
  params: SQLInputValue[];
}

const withSupportTables = new WeakSet<Connection>();

/**
 * Whether the tickets migration (tickets, companies, extras) is in this store: a read-only open
 * may lack it, and so may a store a test builds at an older schema. Remembered once true
 * (tables are never dropped).
 */
export function hasSupportTables(conn: Connection): boolean {
  if (withSupportTables.has(conn)) return true;
  const found = conn.get(
    "SELECT 1 AS found FROM sqlite_schema WHERE type = 'table' AND name = 'tickets'",
  ) !== undefined;
  if (found) withSupportTables.add(conn);
  return found;
}

/**
 * The ids of the companies `filter` names, as a subquery; null when it names none (no filter).
 * A name ending in `*` is a prefix; names and plans compare case-insensitively.
 */
export function companyIdsFilter(filter: CompanyFilter): SqlFilter | null {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const company = filter.company?.trim();
  if (company) {
    if (company.endsWith("*") && company.length > 1) {
      where.push("name LIKE ? ESCAPE '\\'");
      params.push(company.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + "%");
    } else {
      where.push("(name = ? OR id = ? OR company_id = ?)");
      params.push(company, company, company);
    }
  }
  const plan = filter.plan?.trim();
  if (plan) {
    where.push("plan_name = ?");
    params.push(plan);
  }
  if (where.length === 0) return null;
  return { sql: `SELECT id FROM companies WHERE ${where.join(" AND ")}`, params };
}

/** The contacts of the companies `filter` names, as a subquery; null without a filter. */
export function companyContactsFilter(filter: CompanyFilter): SqlFilter | null {
  const companies = companyIdsFilter(filter);
  if (companies === null) return null;
  return {
    sql: `SELECT contact_id FROM contact_companies WHERE company_id IN (${companies.sql})`,
    params: companies.params,
  };
}
