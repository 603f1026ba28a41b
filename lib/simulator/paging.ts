/**
 * Cursor paging over live data. Each request re-filters and re-sorts the current records and
 * returns those strictly after the cursor's (sort value, id), so a record updated between two
 * page requests can be skipped or returned twice, exactly as with Intercom.
 */
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { invalidParameter } from "./responses.ts";

/** Sort direction, as Intercom spells it. */
export type SortOrder = "ascending" | "descending";

/** One page request. */
export interface PageRequest<T> {
  records: readonly T[];
  /** Which records match (already validated). */
  predicate: (record: T) => boolean;
  /** The sort value in Unix seconds; null sorts before every number. */
  sortValue: (record: T) => number | null;
  id: (record: T) => string;
  order: SortOrder;
  perPage: number;
  /** The `starting_after` cursor of the previous page, if any. */
  startingAfter?: string | null | undefined;
}

/** One page and its `pages` metadata. */
export interface Page<T> {
  items: T[];
  totalCount: number;
  /** The `pages` object of the response (`next` absent on the last page). */
  pages: {
    type: "pages";
    page: number;
    per_page: number;
    total_pages: number;
    next?: { page: number; starting_after: string };
  };
}

/** Orders ids numerically when they are numeric strings, else lexicographically. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

type Key = readonly [number | null, string];

function compareKeys(a: Key, b: Key): number {
  const av = a[0] ?? -Infinity;
  const bv = b[0] ?? -Infinity;
  return av !== bv ? (av < bv ? -1 : 1) : compareIds(a[1], b[1]);
}

/** Computes one page; a cursor we did not issue is a 400 `parameter_invalid`. */
export function paginate<T>(request: PageRequest<T>): Page<T> {
  const { perPage, order } = request;
  let cursor: { key: Key; page: number } | undefined;
  if (request.startingAfter !== undefined && request.startingAfter !== null) {
    const position = decodeCursor(request.startingAfter);
    if (!position) {
      throw invalidParameter(
        `starting_after ${JSON.stringify(request.startingAfter)} is not a valid cursor`,
        "starting_after",
      );
    }
    const seconds = position.sortValueMs === null ? null : position.sortValueMs / 1000;
    cursor = { key: [seconds, position.id], page: position.page };
  }
  const sign = order === "ascending" ? 1 : -1;
  const keyOf = (r: T): Key => [request.sortValue(r), request.id(r)];
  // Keep only the best `perPage` records after the cursor (sorted), not every match: a
  // 20,000-record search then allocates one page, not a sorted copy of the workspace.
  const best: { record: T; key: Key }[] = [];
  let totalCount = 0;
  let remaining = 0;
  for (const record of request.records) {
    if (!request.predicate(record)) continue;
    totalCount++;
    const key = keyOf(record);
    if (cursor && sign * compareKeys(key, cursor.key) <= 0) continue;
    remaining++;
    const worst = best[best.length - 1];
    if (best.length === perPage && worst && sign * compareKeys(key, worst.key) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sign * compareKeys(best[mid]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, { record, key });
    if (best.length > perPage) best.pop();
  }
  const page = cursor?.page ?? 1;
  const pages: Page<T>["pages"] = {
    type: "pages",
    page,
    per_page: perPage,
    total_pages: Math.ceil(totalCount / perPage),
  };
  const last = best[best.length - 1];
  if (remaining > perPage && last) {
    const [value, id] = last.key;
    pages.next = {
      page: page + 1,
      starting_after: encodeCursor({
        sortValueMs: value === null ? null : value * 1000,
        id,
        page: page + 1,
      }),
    };
  }
  return { items: best.map((c) => c.record), totalCount, pages };
}
