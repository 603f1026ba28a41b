/**
 * Opaque, stateless page cursors as Intercom issues them: base64 of the JSON array
 * `[sort_value_ms, id, page]`. The next page is re-evaluated against current data, so
 * records updated between two page requests can be skipped or seen twice.
 */

/** The position a cursor encodes: the last record of the previous page and the next page number. */
export interface CursorPosition {
  /** Sort value of the last record returned, in milliseconds; null when that record had none. */
  sortValueMs: number | null;
  /** Id of the last record returned (tie-break within equal sort values). */
  id: string;
  /** Page number the cursor leads to (2 for the cursor on page 1). */
  page: number;
}

/** Encodes a position as the opaque `starting_after` string. */
export function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([position.sortValueMs, position.id, position.page]);
  const bytes = new TextEncoder().encode(json);
  return btoa(String.fromCharCode(...bytes));
}

/** Decodes `starting_after`; returns undefined for anything that is not a cursor we issued. */
export function decodeCursor(text: string): CursorPosition | undefined {
  let parsed: unknown;
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [sortValueMs, id, page] = parsed as unknown[];
  const sortOk = sortValueMs === null ||
    (typeof sortValueMs === "number" && Number.isFinite(sortValueMs));
  if (!sortOk || typeof id !== "string" || !Number.isInteger(page) || (page as number) < 2) {
    return undefined;
  }
  return { sortValueMs: sortValueMs as number | null, id, page: page as number };
}
