/** The times of the stored copies of records, read to skip records already current. */
import type { StoredCopyTimes } from "../sync/freshness.ts";
import type { Connection } from "./database.ts";

/** Per table, the column holding the second a copy was requested. */
const FETCHED_COLUMN = {
  conversations: "fetched_at",
  tickets: "fetched_at",
  companies: "synced_at",
} as const;

/** The stored copy of each of `ids` that `table` holds (`fetchedAt` null when unknown). */
export function storedCopyTimes(
  conn: Connection,
  table: keyof typeof FETCHED_COLUMN,
  ids: readonly string[],
): Map<string, StoredCopyTimes> {
  const result = new Map<string, StoredCopyTimes>();
  if (ids.length === 0) return result;
  const rows = conn.all(
    `SELECT id, updated_at, ${FETCHED_COLUMN[table]} AS fetched_at FROM ${table} ` +
      "WHERE id IN (SELECT value FROM json_each(?))",
    JSON.stringify(ids),
  );
  for (const row of rows) {
    result.set(String(row.id), {
      updatedAt: Number(row.updated_at),
      fetchedAt: row.fetched_at === null ? null : Number(row.fetched_at),
    });
  }
  return result;
}
