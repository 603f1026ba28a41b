/**
 * Telling a record that cannot be read from a body that cannot: a zod issue inside one record
 * (the endpoint's single record, or an item of its list) becomes that record's kind, id and
 * reason, for a `MalformedRecordError`; an issue in the envelope stays an `ApiError`.
 */
import type { z } from "zod";
import type { RecordKind } from "./errors.ts";

/** Which records a body holds, so that a bad one is reported as a `MalformedRecordError`. */
export interface Records {
  kind: RecordKind;
  /** The endpoint as a template, e.g. "GET /conversations/{id}". */
  endpoint: string;
  /** The one record's id, for single-record endpoints. */
  id?: string;
  /** The key of the list of records, for list endpoints ("conversations", "data"). */
  list?: string;
}

/**
 * The record an issue lies in, when it lies in one: the single record of the endpoint, or the
 * item of its list that the issue's path points into. Undefined for the envelope itself.
 */
export function malformedRecord(
  records: Records,
  json: unknown,
  issue: z.ZodIssue | undefined,
): { kind: RecordKind; id: string | null; reason: string; endpoint: string } | undefined {
  const path = issue?.path ?? [];
  const describe = (at: readonly (string | number)[]) =>
    `field "${at.join(".") || "(record)"}": ${issue?.message ?? "invalid"}`;
  const base = { kind: records.kind, endpoint: records.endpoint };
  if (records.id !== undefined) return { ...base, id: records.id, reason: describe(path) };
  const [key, index] = path;
  if (records.list === undefined || key !== records.list || typeof index !== "number") {
    return undefined;
  }
  const list = (json as Record<string, unknown>)[records.list];
  const item = Array.isArray(list) ? list[index] : undefined;
  const rawId = (item as Record<string, unknown> | null | undefined)?.id;
  const id = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : null;
  return { ...base, id, reason: describe(path.slice(2)) };
}
