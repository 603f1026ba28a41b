/**
 * Intercom's cursor pagination as the client sends and reads it: search bodies (1…150 per page)
 * and the page shape every search returns.
 */
import type { z } from "zod";
import type { PagesSchema, SearchQuery } from "./types.ts";

/** An item of a search page that cannot be read (see `SearchOptions.skipUnreadable`). */
export interface UnreadableItem {
  /** Its id, when the item has a readable one. */
  id: string | null;
  /** What is wrong, e.g. `field "created_at": Expected number, received string`. */
  reason: string;
}

/** A list read item by item: the readable items, and what is wrong with the rest. */
export interface ItemsRead<T> {
  items: T[];
  unreadable: UnreadableItem[];
}

/** One page of a search, with the cursor of the next. */
export interface SearchPage<T> {
  items: T[];
  /** Items left out because they cannot be read; empty unless `skipUnreadable` was asked. */
  unreadable: UnreadableItem[];
  totalCount: number;
  /** `starting_after` of the next page; `null` on the last page. */
  nextCursor: string | null;
  page: number | null;
  totalPages: number | null;
}

/** Options of a search page request. */
export interface SearchOptions {
  /** Page size, 1…150. Default 150. */
  perPage?: number;
  /** Cursor from the previous page's `nextCursor`. Default none (first page). */
  startingAfter?: string | null;
  /** Sort order. Default `updated_at` ascending. */
  sort?: { field: string; order: "ascending" | "descending" };
  /**
   * Leave items that cannot be read out of `items` and list them in `unreadable`, instead of
   * failing the whole page with a `MalformedRecordError`. Default false.
   */
  skipUnreadable?: boolean;
  signal?: AbortSignal;
}

/** The body of a search request; throws RangeError outside 1…150 per page. */
export function searchBody(query: SearchQuery, options: SearchOptions): Record<string, unknown> {
  const perPage = options.perPage ?? 150;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 150) {
    throw new RangeError(`Search page size ${perPage} is out of range: use 1 to 150`);
  }
  return {
    query,
    pagination: {
      per_page: perPage,
      ...(options.startingAfter ? { starting_after: options.startingAfter } : {}),
    },
    sort: options.sort ?? { field: "updated_at", order: "ascending" },
  };
}

/** A search response as a {@link SearchPage}. */
export function toPage<T>(
  items: T[],
  totalCount: number,
  pages: z.output<typeof PagesSchema>,
): SearchPage<T> {
  return {
    items,
    unreadable: [],
    totalCount,
    nextCursor: pages?.next?.starting_after ?? null,
    page: pages?.page ?? null,
    totalPages: pages?.total_pages ?? null,
  };
}
