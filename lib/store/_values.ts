/** Conversions between SQLite column values and typed fields. */

/** A TEXT column as string or null. */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** An INTEGER column as number or null. */
export function intOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A JSON TEXT column, or `fallback` when it is null or unparseable. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== "string") return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** A JSON array column of strings. */
export function stringArray(value: unknown): string[] {
  const parsed = parseJson<unknown>(value, []);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** A JSON object column. */
export function jsonObject(value: unknown): Record<string, unknown> {
  const parsed = parseJson<unknown>(value, {});
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? parsed as Record<string, unknown>
    : {};
}

/** Bounds of {@linkcode clampInt}. */
export interface IntBounds {
  fallback: number;
  min: number;
  max: number;
}

/** `value` as an integer within [min, max], or `fallback` when absent or not a number. */
export function clampInt(value: number | undefined, bounds: IntBounds): number {
  if (value === undefined || !Number.isFinite(value)) return bounds.fallback;
  return Math.min(bounds.max, Math.max(bounds.min, Math.floor(value)));
}

/**
 * What U+0000 (NUL) becomes in stored text: U+FFFD, the replacement character. node:sqlite
 * reads a TEXT value only up to its first NUL, so a NUL kept as it is would cut off the rest of
 * a body in `get_conversation`, snippets and every other read. U+FFFD rather than nothing or a
 * space: it shows the reader honestly that a character stood there that could not be kept, and
 * FTS5's unicode61 tokenizer (like our snippet tokenizer) treats it as a separator — it is a
 * symbol, not a letter or digit — so the words on either side stay separate, searchable words;
 * dropping the NUL would glue them into one token.
 */
export const NUL_REPLACEMENT = "\uFFFD";

/** `text` as the store keeps it: every U+0000 replaced by {@link NUL_REPLACEMENT}. */
export function storableText<T extends string | null | undefined>(text: T): T {
  return (typeof text === "string" && text.includes("\0")
    ? text.replaceAll("\0", NUL_REPLACEMENT)
    : text) as T;
}

function storableDeep(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableDeep);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableText(k), storableDeep(v)]),
  );
}

/** `value` as JSON TEXT for the store, with U+0000 in its strings and keys replaced. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes U+0000 as the escape \u0000; only then is a second pass needed.
  return json.includes("\\u0000") ? JSON.stringify(storableDeep(value)) : json;
}

/** A LIKE pattern (with `ESCAPE '\\'`) finding `text` anywhere, its wildcards literal. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
