/**
 * Intercom 2.11 shapes of tickets, ticket types, companies and data attributes, read as leniently
 * as conversations (see `types.ts`): only what a record cannot be stored without is required
 * (ids, `created_at`/`updated_at`, part types); the rest may be absent or null.
 */
import { z } from "zod";
import { AttachmentsSchema, LinkedObjectsSchema, ReferenceSchema } from "./extras.ts";
import { id, jsonObject, nullableId, text, time } from "./fields.ts";
import { AuthorSchema, PagesSchema } from "./types.ts";

/** An assignee id where Intercom's "0" means nobody (as in the description's ticket examples). */
const assignee = nullableId.transform((v) => (v === "0" ? null : v));

const ticketTypeAttribute = z.object({
  id: id,
  name: z.string(),
  description: text,
  data_type: text,
  input_options: z.record(z.unknown()).nullish().transform((v) => v ?? null),
  order: z.number().int().nullish(),
  default: z.boolean().nullish().transform((v) => v ?? false),
  archived: z.boolean().nullish().transform((v) => v ?? false),
});

/** A ticket type's attributes: `{type: "list", data}` (what Intercom sends) or the schema's. */
const ticketTypeAttributes = z.object({
  data: z.array(ticketTypeAttribute).nullish(),
  ticket_type_attributes: z.array(ticketTypeAttribute).nullish(),
}).nullish().transform((v) => v?.data ?? v?.ticket_type_attributes ?? []);

export const TicketTypeSchema = z.object({
  type: z.string().optional(),
  id: id,
  name: z.string(),
  description: text,
  icon: text,
  category: text,
  archived: z.boolean().nullish().transform((v) => v ?? false),
  created_at: time,
  updated_at: time,
  ticket_type_attributes: ticketTypeAttributes,
});
export type TicketType = z.output<typeof TicketTypeSchema>;

/** `GET /ticket_types`: `{type: "list", data}` as Intercom answers, or the schema's shape. */
export const TicketTypeListSchema = z.object({
  type: z.string(),
  data: z.array(TicketTypeSchema).nullish(),
  ticket_types: z.array(TicketTypeSchema).nullish(),
}).transform((v) => ({ type: v.type, data: v.data ?? v.ticket_types ?? [] }));

export const TicketPartSchema = z.object({
  type: z.string().optional(),
  id: id,
  part_type: z.string(),
  body: text,
  ticket_state: text,
  previous_ticket_state: text,
  created_at: z.number().int(),
  updated_at: time,
  assigned_to: ReferenceSchema,
  author: AuthorSchema,
  attachments: AttachmentsSchema,
  redacted: z.boolean().nullish().transform((v) => v ?? false),
});
export type TicketPart = z.output<typeof TicketPartSchema>;

const ticketBase = {
  type: z.string().optional(),
  id: id,
  ticket_id: nullableId,
  category: text,
  ticket_attributes: jsonObject,
  ticket_state: text,
  ticket_type: TicketTypeSchema.nullish().transform((v) => v ?? null),
  contacts: z.object({
    contacts: z.array(z.object({ id: id, external_id: text })).nullish(),
  }).nullish().transform((v) => v?.contacts ?? []),
  admin_assignee_id: assignee,
  team_assignee_id: assignee,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  open: z.boolean().nullish(),
  snoozed_until: time,
  linked_objects: LinkedObjectsSchema,
  is_shared: z.boolean().nullish().transform((v) => v ?? false),
  ticket_state_internal_label: text,
  ticket_state_external_label: text,
};

/** A ticket as search lists it (its parts, when present, are ignored). */
export const TicketSummarySchema = z.object(ticketBase);
export type TicketSummary = z.output<typeof TicketSummarySchema>;

/** A ticket fetched by id, with its (newest ≤ 500) parts and their total count. */
export const TicketSchema = z.object({
  ...ticketBase,
  ticket_parts: z.object({
    ticket_parts: z.array(TicketPartSchema).nullish().transform((v) => v ?? []),
    total_count: z.number().int().nullish(),
  }).nullish().transform((v) => {
    const parts = v?.ticket_parts ?? [];
    return { ticket_parts: parts, total_count: Math.max(v?.total_count ?? 0, parts.length) };
  }),
});
export type Ticket = z.output<typeof TicketSchema>;

export const TicketListSchema = z.object({
  type: z.string(),
  tickets: z.array(TicketSummarySchema),
  total_count: z.number().int(),
  pages: PagesSchema,
});

export const CompanySchema = z.object({
  type: z.string().optional(),
  id: id,
  company_id: text,
  name: text,
  plan: z.object({ id: nullableId, name: text }).nullish().transform((v) =>
    v && (v.id !== null || v.name !== null) ? { id: v.id, name: v.name } : null
  ).catch(null),
  size: z.number().nullish().transform((v) => v ?? null),
  website: text,
  industry: text,
  monthly_spend: z.number().nullish().transform((v) => v ?? null),
  session_count: z.number().nullish().transform((v) => v ?? null),
  user_count: z.number().nullish().transform((v) => v ?? null),
  remote_created_at: time,
  created_at: time,
  updated_at: z.number().int(),
  last_request_at: time,
  custom_attributes: jsonObject,
  tags: z.object({ tags: z.array(z.object({ id: id, name: text })).nullish() }).nullish()
    .transform((v) => v?.tags ?? []).catch([]),
});
export type Company = z.output<typeof CompanySchema>;

export const DataAttributeSchema = z.object({
  type: z.string().optional(),
  id: nullableId,
  model: text,
  name: z.string(),
  full_name: text,
  label: text,
  description: text,
  data_type: text,
  options: z.array(z.string()).nullish().transform((v) => v ?? null),
  custom: z.boolean().nullish().transform((v) => v ?? false),
  archived: z.boolean().nullish().transform((v) => v ?? false),
});
export type DataAttribute = z.output<typeof DataAttributeSchema>;
