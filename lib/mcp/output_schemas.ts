/**
 * The shapes of the tools' `structuredContent`, as zod schemas: each tool declares its
 * `outputSchema` from these, clients see them in `tools/list`, and the SDK checks every
 * successful result against them (a mismatch is an error, so tests catch drift). Pieces
 * several tools share live here; each tool's own top level is declared beside it.
 */
import { z } from "zod";
import { RUN_COUNT_NAMES } from "../sync/run_record.ts";

const iso = z.string().describe("UTC time, ISO 8601");
const isoOrNull = iso.nullable();

/** How current the answer is (`freshness()` in context.ts). */
export const freshnessSchema = z.object({
  synced_until: isoOrNull.describe("every conversation updated before this time is stored"),
  data_age_seconds: z.number().nullable(),
  stale: z.boolean(),
  sync_running: z.boolean(),
  sync_process_id: z.string().nullable(),
  note: z.string(),
});

/** A conversation's or ticket's assignee (`assigneeEntry()` in present.ts). */
export const assigneeSchema = z.object({
  admin_id: z.string().nullable(),
  admin_name: z.string().nullable(),
  team_id: z.string().nullable(),
  team_name: z.string().nullable(),
});

/** A conversation in a list (`conversationSummary()` in present.ts). */
export const conversationSummarySchema = z.object({
  id: z.string(),
  url: z.string().nullable().describe("the Intercom inbox link, when the workspace is known"),
  title: z.string().nullable(),
  subject: z.string().nullable(),
  state: z.string(),
  created_at: iso,
  updated_at: iso,
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
  assignee: assigneeSchema,
  tags: z.array(z.string()),
  customer_messages: z.number(),
  teammate_messages: z.number(),
  parts_total: z.number(),
  snippet: z.string().nullable().describe(
    "with a query: where the words matched, in [brackets]; without: the subject or the " +
      "opening customer message",
  ),
});

/** Custom attribute values with their labels (`labelledAttributes()` in present.ts). */
export const customAttributesSchema = z.array(z.object({
  name: z.string().describe("the attribute's name in Intercom"),
  label: z.string().describe("its label in the workspace (the name when it has no definition)"),
  value: z.unknown(),
}));

/** A contact (`contactEntry()` in present.ts). */
export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string().nullable(),
  external_id: z.string().nullable(),
  phone: z.string().nullable(),
  created_at: isoOrNull,
  updated_at: isoOrNull,
  last_seen_at: isoOrNull,
  custom_attributes: customAttributesSchema,
});

/** A contact with its tags, companies, location and owner (`contactDetail()` in present.ts). */
export const contactDetailSchema = contactSchema.extend({
  tags: z.array(z.string()),
  companies: z.array(
    z.object({ id: z.string(), name: z.string().nullable(), plan: z.string().nullable() }),
  ),
  location: z.object({
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
  }),
  owner: z.object({ id: z.string(), name: z.string().nullable() }).nullable().describe(
    "the teammate who owns the contact",
  ),
});

/** A period, inclusive ISO bounds. */
export const spanSchema = z.object({ start: isoOrNull, end: isoOrNull });

type CountName = (typeof RUN_COUNT_NAMES)[keyof typeof RUN_COUNT_NAMES];

/** A sync run's counters (`countsJson()`), as schema fields. */
export const runCountFields = Object.fromEntries(
  Object.values(RUN_COUNT_NAMES).map((name) => [name, z.number()]),
) as Record<CountName, z.ZodNumber>;

const countFields = Object.fromEntries(
  Object.values(RUN_COUNT_NAMES).map((name) => [name, z.number().optional()]),
) as Record<CountName, z.ZodOptional<z.ZodNumber>>;

/** A sync the server started (`jobEntry()` in tools/sync_conversations.ts). */
export const syncJobSchema = z.object({
  process_id: z.string().nullable(),
  mode: z.string(),
  days: z.number().nullable(),
  force: z.boolean(),
  trigger: z.string(),
  started_at: iso,
  clients_waiting: z.number(),
  status: z.enum(["running", "completed", "failed", "interrupted", "locked"]),
  finished_at: iso.optional(),
  error: z.string().optional(),
  run_id: z.number().optional(),
  window_start: iso.optional(),
  window_end: iso.optional(),
  ...countFields,
  duration_seconds: z.number().optional(),
});
