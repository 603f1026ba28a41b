/**
 * The zod building blocks of the Intercom shapes: ids that may come as numbers, nullable times
 * and texts, strings where "" means nothing, and free-form objects. Shared by `types.ts`,
 * `extras.ts` and `support_types.ts`.
 */
import { z } from "zod";

/** An id, string or number, read as a string. */
export const id = z.union([z.string(), z.number()]).transform((v) => String(v));
/** An id that may be absent or null (read as null). */
export const nullableId = z.union([z.string(), z.number()]).nullish().transform((v) =>
  v === null || v === undefined ? null : String(v)
);
/** Unix seconds, absent or null read as null. */
export const time = z.number().int().nullish().transform((v) => v ?? null);
/** A text, absent or null read as null. */
export const text = z.string().nullish().transform((v) => v ?? null);
/** A string where "" means nothing (emails, author fields): null then. */
export const blankable = z.string().nullish().transform((
  v,
) => (v === "" || v === undefined ? null : v));
/** An id where "" means nothing. */
export const blankableId = z.union([z.string(), z.number()]).nullish().transform((v) =>
  v === null || v === undefined || v === "" ? null : String(v)
);
/** A free-form object, absent or null read as {}. */
export const jsonObject = z.record(z.unknown()).nullish().transform((v) => v ?? {});
