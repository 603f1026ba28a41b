/** Checking and rebuilding the full-text indexes of tickets and companies (`debug diagnose`). */
import type { Connection } from "./database.ts";
import { hasSupportTables } from "./company_filter.ts";
import { hasTicketUnspaced } from "./tickets.ts";

const INDEXES = [
  { table: "tickets_fts", rows: "tickets" },
  { table: "companies_fts", rows: "companies" },
] as const;

/** FTS5's full check of each index against its rows (a write statement); empty when sound. */
export function supportFtsIntegrityCheck(conn: Connection): string[] {
  if (!hasSupportTables(conn)) return [];
  const problems: string[] = [];
  for (const { table, rows } of INDEXES) {
    try {
      conn.transaction(() => {
        conn.run(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`);
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(`full-text index does not match the stored ${rows} (${message})`);
    }
  }
  return problems;
}

/** Rebuilds the ticket and company indexes from their rows. */
export function rebuildSupportFullText(conn: Connection): void {
  if (!hasSupportTables(conn)) return;
  for (const { table } of INDEXES) conn.run(`INSERT INTO ${table} (${table}) VALUES ('rebuild')`);
  if (hasTicketUnspaced(conn)) {
    conn.run("INSERT INTO tickets_unspaced_fts (tickets_unspaced_fts) VALUES ('rebuild')");
  }
}
