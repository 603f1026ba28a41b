/**
 * A small builder for Intercom's search DSL: filters `{field, operator, value}` combined with
 * `AND`/`OR` groups. It enforces Intercom's own limits (at most 15 filters per group, at most
 * two levels of nesting) so a bad query fails here, with a clear message, not as a 400.
 *
 * @example
 * q.and(q.gt("created_at", start), updatedBetween(start, end))
 */
import type { SearchQuery } from "./types.ts";

/** Intercom accepts at most this many filters in one AND/OR group. */
export const MAX_GROUP_FILTERS = 15;
/** Intercom accepts at most this many levels of nested AND/OR groups. */
export const MAX_NESTING = 2;

function filter(field: string, operator: string, value: unknown): SearchQuery {
  if (field.trim() === "") throw new RangeError("A search filter needs a field name");
  return { field, operator, value };
}

function group(operator: "AND", filters: SearchQuery[]): SearchQuery {
  if (filters.length === 0) {
    throw new RangeError(`An ${operator} search group needs at least one filter`);
  }
  if (filters.length > MAX_GROUP_FILTERS) {
    throw new RangeError(
      `An ${operator} search group has ${filters.length} filters; Intercom accepts at most ` +
        `${MAX_GROUP_FILTERS}: split the search into several queries`,
    );
  }
  const query: SearchQuery = { operator, value: filters };
  const depth = nestingDepth(query);
  if (depth > MAX_NESTING) {
    throw new RangeError(
      `A search query nests AND/OR groups ${depth} levels deep; Intercom accepts ` +
        `at most ${MAX_NESTING}: flatten the query`,
    );
  }
  return query;
}

/** Levels of AND/OR groups in `query`: 0 for a single filter. */
function nestingDepth(query: SearchQuery): number {
  if (!("field" in query)) return 1 + Math.max(0, ...query.value.map(nestingDepth));
  return 0;
}

/**
 * Builders of search filters and groups; each returns a {@link SearchQuery}. Only the operators
 * in use: `updatedBetween` (the sync's conversation and ticket windows, scripts) and the
 * client benchmark.
 */
export const q = {
  /** All of `filters` match. */
  and: (...filters: SearchQuery[]): SearchQuery => group("AND", filters),
  /** `field > value` (strict on dates, to the second). */
  gt: (field: string, value: number): SearchQuery => filter(field, ">", value),
  /** `field < value` (strict on dates, to the second). */
  lt: (field: string, value: number): SearchQuery => filter(field, "<", value),
};

/**
 * Conversations updated in `[start, end]` (Unix seconds, both inclusive; `end` open when
 * omitted). Written with the strict operators only, as `updated_at > start-1` and
 * `updated_at < end+1`, which every API version accepts; should a server treat `>`/`<` as
 * inclusive, the window grows by one second at each edge, which idempotent upserts absorb.
 */
export function updatedBetween(start: number, end?: number): SearchQuery {
  _checkSeconds("start", start);
  const from = q.gt("updated_at", start - 1);
  if (end === undefined) return from;
  _checkSeconds("end", end);
  if (end < start) {
    throw new RangeError(`updatedBetween(): end ${end} is before start ${start}`);
  }
  return q.and(from, q.lt("updated_at", end + 1));
}

function _checkSeconds(name: string, value: number): void {
  // 10^10 s is the year 2286: anything larger is almost surely milliseconds.
  if (!Number.isSafeInteger(value) || value < 0 || value >= 10_000_000_000) {
    throw new RangeError(
      `updatedBetween(): ${name} must be whole Unix seconds ≥ 0, got ${value} ` +
        "(milliseconds? divide by 1000)",
    );
  }
}
