/**
 * Keys that let FTS5 answer filters by itself: the recency-ordered `doc_id` of a
 * conversation, and the facet tokens the `conversation_documents` view writes into the
 * `facets` column (`zz` + kind + lower-case hex of the UTF-8 value; SQLite's `hex()` there,
 * this module here, so both sides must stay in step).
 */
import type { Connection } from "./database.ts";

/** Conversations sharing one `updated_at` second get consecutive ids below the next second. */
export const DOC_ID_SECOND_SPAN = 2 ** 20;
const MAX_SECOND = 2 ** 32 - 1;

function clampSecond(seconds: number): number {
  return Math.min(MAX_SECOND, Math.max(0, Math.floor(seconds)));
}

/** The smallest `doc_id` of a conversation updated at `updatedAt`. */
export function docIdBase(updatedAt: number): number {
  return clampSecond(updatedAt) * DOC_ID_SECOND_SPAN;
}

/** A free `doc_id` of `table` (conversations, tickets) in the range of `updatedAt`'s second. */
export function allocateDocId(
  conn: Connection,
  table: "conversations" | "tickets",
  updatedAt: number,
): number {
  const base = docIdBase(updatedAt);
  const row = conn.get(
    `SELECT max(doc_id) AS last FROM ${table} WHERE doc_id >= ? AND doc_id < ?`,
    base,
    base + DOC_ID_SECOND_SPAN,
  );
  // Past 2^20 records in one second the ids spill into the next second's range, which only
  // blurs recency order by a second.
  return row?.last === null || row?.last === undefined ? base : Number(row.last) + 1;
}

/** The `updated_at` second a `doc_id` belongs to. */
export function docIdSecond(docId: number): number {
  return Math.floor(docId / DOC_ID_SECOND_SPAN);
}

/** The inclusive `doc_id` range of conversations updated within [since, until]. */
export function docIdRange(since?: number, until?: number): { low: number; high: number } {
  return {
    low: since === undefined ? 0 : docIdBase(Math.ceil(since)),
    high: until === undefined
      ? docIdBase(MAX_SECOND) + DOC_ID_SECOND_SPAN - 1
      : docIdBase(Math.floor(until)) + DOC_ID_SECOND_SPAN - 1,
  };
}

const encoder = new TextEncoder();

function hex(value: string): string {
  let out = "";
  for (const byte of encoder.encode(value)) out += byte.toString(16).padStart(2, "0");
  return out;
}

/**
 * A facet kind: state, tag (by lower-cased name), admin assignee, team assignee, company key
 * (`c:<id>` or `p:<plan>`, see `company_keys.ts`).
 */
export type FacetKind = "state" | "tag" | "admin" | "team" | "company";

const PREFIX: Record<FacetKind, string> = {
  state: "zzs",
  tag: "zzg",
  admin: "zza",
  team: "zzt",
  company: "zzk",
};

/** The facet token for `value` (already normalised: tags lower-cased with {@linkcode tagKey}). */
export function facetToken(kind: FacetKind, value: string): string {
  return `${PREFIX[kind]}${hex(value)}`;
}

/** The case-insensitive key of a tag name (full Unicode lower-casing). */
export function tagKey(name: string): string {
  return name.trim().toLowerCase();
}

/** An FTS5 clause requiring one of `tokens` in the facets column. */
export function facetClause(tokens: readonly string[]): string {
  const quoted = tokens.map((t) => `"${t}"`);
  return quoted.length === 1 ? `facets : ${quoted[0]}` : `facets : (${quoted.join(" OR ")})`;
}
