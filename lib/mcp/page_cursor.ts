/**
 * Opaque `cursor` strings for paged tool results. A cursor pins the resolved time window
 * (so "last 24 hours" does not slide between pages) and carries a fingerprint of the other
 * filters, so a cursor reused with different filters is refused instead of paging wrongly.
 */
import { InputError } from "../errors.ts";

/** What a cursor remembers. */
export interface PageCursor {
  /** Results to skip. */
  offset: number;
  /** The window of the first page, inclusive Unix seconds. */
  start: number | null;
  end: number | null;
  /** {@link filterKey} of the first page's filters. */
  key: string;
}

/** A short, stable fingerprint of filter values (FNV-1a over their JSON). */
export function filterKey(filters: Record<string, unknown>): string {
  const json = JSON.stringify(Object.keys(filters).sort().map((k) => [k, filters[k] ?? null]));
  let hash = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    hash ^= json.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true })
      .decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Encodes a cursor as a URL-safe string. */
export function encodeCursor(cursor: PageCursor): string {
  return toBase64Url(JSON.stringify([1, cursor.offset, cursor.start, cursor.end, cursor.key]));
}

const isBound = (v: unknown) => v === null || Number.isSafeInteger(v);

/** Decodes a cursor; null when `text` is not one this program wrote. */
export function decodeCursor(text: string): PageCursor | null {
  const json = fromBase64Url(text.trim());
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 5 || value[0] !== 1) return null;
  const [, offset, start, end, key] = value;
  if (!Number.isSafeInteger(offset) || offset < 0 || !isBound(start) || !isBound(end)) return null;
  if (typeof key !== "string") return null;
  return { offset, start, end, key };
}

/** Decodes `text` and checks it belongs to these filters; throws a InputError otherwise. */
export function resumeCursor(text: string, key: string): PageCursor {
  const cursor = decodeCursor(text);
  if (cursor === null) {
    throw new InputError(
      `cursor "${text}" is not valid: pass the next_cursor value of a previous result unchanged`,
    );
  }
  if (cursor.key !== key) {
    throw new InputError(
      "cursor belongs to a search with other filters: repeat the same query, timeframe and " +
        "filters as the first page, or omit cursor to start again",
    );
  }
  return cursor;
}

/** Where a page of results sits, for {@link nextPageCursor}. */
export interface PagePosition {
  /** Results skipped before this page. */
  offset: number;
  /** Results on this page. */
  returned: number;
  /** Results in all. */
  total: number;
  /** {@link filterKey} of the filters. */
  key: string;
  /** The resolved time window. Default: none. */
  window?: { start: number | null; end: number | null };
  /** More results follow even at `total` (a lower bound). Default false. */
  more?: boolean;
}

/** The cursor of the page after `page`, or null when it returned nothing or was the last. */
export function nextPageCursor(page: PagePosition): string | null {
  const offset = page.offset + page.returned;
  if (page.returned === 0 || (offset >= page.total && page.more !== true)) return null;
  const { start = null, end = null } = page.window ?? {};
  return encodeCursor({ offset, start, end, key: page.key });
}
