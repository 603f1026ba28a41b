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
