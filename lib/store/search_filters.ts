/** A search, normalised: resolved assignees, tag keys, the FTS text expression, and SQL filters. */
import type { SQLInputValue } from "node:sqlite";
import type { Connection } from "./database.ts";
import { ftsExpression, MAX_FTS_TERMS, parseQuery, type SearchTerm } from "./fts_query.ts";
import { facetClause, facetToken, tagKey } from "./search_keys.ts";
import { companyKeyGroups, hasSupportTables } from "./company_filter.ts";
import { hasCompanyKeys } from "./company_keys.ts";
import type { ConversationSearch } from "./types.ts";
import { clampInt } from "./_values.ts";

/** A search ready to plan. */
export interface NormalizedSearch {
  /** The word clauses of the user text as an FTS5 expression; null without any. */
  match: string | null;
  /** Clauses with a term in a script written without spaces, found as substrings; empty if none. */
  unspaced: SearchTerm[][];
  /** Text was given but holds nothing searchable: nothing can match. */
  unmatchable: boolean;
  /** What about the text was not searched as typed (see `ConversationSearchResult.notes`). */
  notes: string[];
  /** The user text's terms (for snippets); empty without text. */
  terms: SearchTerm[];
  updatedSince?: number;
  updatedUntil?: number;
  createdSince?: number;
  createdUntil?: number;
  email?: string;
  state?: string;
  tagKey?: string;
  assignee?: { admins: string[]; teams: string[] };
  /** Company keys asked for, one group per filter: a match has a key of each (`company_keys.ts`). */
  companyKeys?: string[][];
  limit: number;
  offset: number;
  exactTotal: boolean;
}

/** SQL predicates on `conversations c`, and their parameters. */
export interface SqlFilters {
  where: string[];
  params: SQLInputValue[];
}

function resolveAssignee(
  conn: Connection,
  assignee: string,
): { admins: string[]; teams: string[] } {
  const admins = conn.all("SELECT id FROM admins WHERE name = ?1 OR email = ?1", assignee)
    .map((row) => String(row.id));
  const teams = conn.all("SELECT id FROM teams WHERE name = ?", assignee)
    .map((row) => String(row.id));
  return { admins: [...new Set([assignee, ...admins])], teams: [...new Set([assignee, ...teams])] };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Whether the store has the unspaced-script index (a store before migration 6 has not). */
export function hasUnspacedIndex(conn: Connection): boolean {
  return conn.hasTable("conversation_unspaced");
}

/** What about `text` is not searched as typed: no searchable word, terms past the limit. */
export function queryNotes(text: string, parsed: ReturnType<typeof parseQuery>): string[] {
  const notes: string[] = [];
  if (text !== "" && parsed.clauses.length === 0) {
    notes.push(
      `The query "${text.slice(0, 100)}" has no searchable words (only punctuation, symbols ` +
        "or operators), so it matches nothing: search with words.",
    );
  }
  if (parsed.dropped > 0) {
    notes.push(
      `Only the first ${MAX_FTS_TERMS} terms were searched; ${parsed.dropped} more were ` +
        "ignored: use fewer, more specific words.",
    );
  }
  return notes;
}

/** `search` normalised: its text parsed into FTS5 and substring clauses, filters resolved. */
export function normalizeSearch(conn: Connection, search: ConversationSearch): NormalizedSearch {
  const text = search.text?.trim() ?? "";
  const parsed = parseQuery(text);
  const indexed = hasUnspacedIndex(conn);
  const unspaced = indexed ? parsed.clauses.filter((c) => c.some((t) => t.unspaced)) : [];
  const words = parsed.clauses.filter((c) => !unspaced.includes(c));
  const out: NormalizedSearch = {
    match: ftsExpression(words),
    unspaced,
    unmatchable: text !== "" && parsed.clauses.length === 0,
    notes: queryNotes(text, parsed),
    terms: parsed.clauses.flat(),
    limit: clampInt(search.limit, { fallback: 20, min: 1, max: 100 }),
    offset: clampInt(search.offset, { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER }),
    exactTotal: search.exactTotal === true,
  };
  if (search.updatedSince !== undefined) out.updatedSince = search.updatedSince;
  if (search.updatedUntil !== undefined) out.updatedUntil = search.updatedUntil;
  if (search.createdSince !== undefined) out.createdSince = search.createdSince;
  if (search.createdUntil !== undefined) out.createdUntil = search.createdUntil;
  const email = nonEmpty(search.customerEmail);
  if (email !== undefined) out.email = email;
  if (search.state !== undefined) out.state = search.state;
  const tag = nonEmpty(search.tag);
  if (tag !== undefined) out.tagKey = tagKey(tag);
  const assignee = nonEmpty(search.assignee);
  if (assignee !== undefined) out.assignee = resolveAssignee(conn, assignee);
  const filter = {
    ...(search.company !== undefined ? { company: search.company } : {}),
    ...(search.companyPlan !== undefined ? { plan: search.companyPlan } : {}),
  };
  if (filter.company?.trim() || filter.plan?.trim()) {
    if (hasSupportTables(conn) && hasCompanyKeys(conn)) {
      out.companyKeys = companyKeyGroups(conn, filter) ?? [];
      if (out.companyKeys.some((group) => group.length === 0)) out.unmatchable = true;
    } else {
      out.unmatchable = true;
      out.notes.push(
        "This store has no companies yet (it predates them): run a sync to filter by company.",
      );
    }
  }
  return out;
}

/** Whether the search filters on state, tag or assignee (answerable inside FTS5). */
export function hasFacets(search: NormalizedSearch): boolean {
  return search.state !== undefined || search.tagKey !== undefined ||
    search.assignee !== undefined || search.companyKeys !== undefined;
}

/** The FTS5 clauses for state, tag and assignee. */
export function facetClauses(search: NormalizedSearch): string[] {
  const clauses: string[] = [];
  if (search.state !== undefined) clauses.push(facetClause([facetToken("state", search.state)]));
  if (search.tagKey !== undefined) clauses.push(facetClause([facetToken("tag", search.tagKey)]));
  if (search.assignee !== undefined) {
    clauses.push(facetClause([
      ...search.assignee.admins.map((id) => facetToken("admin", id)),
      ...search.assignee.teams.map((id) => facetToken("team", id)),
    ]));
  }
  for (const group of search.companyKeys ?? []) {
    clauses.push(facetClause(group.map((key) => facetToken("company", key))));
  }
  return clauses;
}

/** Which filters {@linkcode sqlFilters} turns into SQL. */
export interface SqlFilterOptions {
  /**
   * Also state, tag, assignee, company and updated-at bounds (else only created-at and email).
   * Default true.
   */
  all?: boolean;
}

/** The filters of `search` as SQL predicates on `conversations c`. */
export function sqlFilters(search: NormalizedSearch, options: SqlFilterOptions = {}): SqlFilters {
  const { all = true } = options;
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (sql: string, ...values: SQLInputValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (all && search.updatedSince !== undefined) add("c.updated_at >= ?", search.updatedSince);
  if (all && search.updatedUntil !== undefined) add("c.updated_at <= ?", search.updatedUntil);
  // With an updated_at bound too, `+` keeps the planner on the updated_at index (the window
  // is recent activity); a created_at range alone would walk most of the table.
  const created = all && search.updatedSince !== undefined ? "+c.created_at" : "c.created_at";
  if (search.createdSince !== undefined) add(`${created} >= ?`, search.createdSince);
  if (search.createdUntil !== undefined) add(`${created} <= ?`, search.createdUntil);
  if (search.email !== undefined) {
    add(
      "(c.source_author_email = ? OR c.id IN (SELECT cc.conversation_id " +
        "FROM contacts ct JOIN conversation_contacts cc ON cc.contact_id = ct.id " +
        "WHERE ct.email = ?))",
      search.email,
      search.email,
    );
  }
  if (!all) return { where, params };
  for (const group of search.companyKeys ?? []) {
    add(
      "c.id IN (SELECT conversation_id FROM conversation_company_keys " +
        "WHERE key IN (SELECT value FROM json_each(?)))",
      JSON.stringify(group),
    );
  }
  if (search.state !== undefined) add("c.state = ?", search.state);
  if (search.tagKey !== undefined) {
    add(
      "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag_key = ?)",
      search.tagKey,
    );
  }
  if (search.assignee !== undefined) {
    add(
      "(c.admin_assignee_id IN (SELECT value FROM json_each(?)) " +
        "OR c.team_assignee_id IN (SELECT value FROM json_each(?)))",
      JSON.stringify(search.assignee.admins),
      JSON.stringify(search.assignee.teams),
    );
  }
  return { where, params };
}
