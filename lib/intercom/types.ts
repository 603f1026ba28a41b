/**
 * Intercom API shapes (version 2.11), validated at the edge with zod. Objects are tolerant:
 * unknown fields are dropped, optional fields may be absent or null. Shared by the client
 * (parsing), the simulator (producing) and the store (persisting).
 *
 * All times are integer Unix seconds, UTC, as Intercom sends them.
 */
import { z } from "zod";

const id = z.union([z.string(), z.number()]).transform((v) => String(v));
const nullableId = z.union([z.string(), z.number()]).nullish().transform((v) =>
  v === null || v === undefined ? null : String(v)
);
const time = z.number().int().nullish().transform((v) => v ?? null);
const text = z.string().nullish().transform((v) => v ?? null);
const jsonObject = z.record(z.unknown()).nullish().transform((v) => v ?? {});

export const AuthorSchema = z.object({
  type: z.string(),
  id: nullableId,
  name: text,
  email: text,
});
export type Author = z.output<typeof AuthorSchema>;

export const MeSchema = z.object({
  type: z.string(),
  id: id,
  email: text,
  name: text,
  app: z.object({
    type: z.string().optional(),
    id_code: z.string(),
    name: z.string(),
    created_at: time,
    timezone: text,
    region: text,
  }),
});
export type Me = z.output<typeof MeSchema>;

export const TagRefSchema = z.object({
  type: z.string().optional(),
  id: id,
  name: z.string(),
  applied_at: time,
});

export const ConversationSourceSchema = z.object({
  type: text,
  id: nullableId,
  delivered_as: text,
  subject: text,
  body: text,
  author: AuthorSchema.nullish().transform((v) => v ?? null),
  url: text,
});

export const ConversationPartSchema = z.object({
  type: z.string().optional(),
  id: id,
  part_type: z.string(),
  body: text,
  created_at: z.number().int(),
  updated_at: time,
  notified_at: time,
  author: AuthorSchema.nullish().transform((v) => v ?? null),
  redacted: z.boolean().nullish().transform((v) => v ?? false),
});
export type ConversationPart = z.output<typeof ConversationPartSchema>;

const conversationBase = {
  type: z.string().optional(),
  id: id,
  title: text,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  waiting_since: time,
  snoozed_until: time,
  open: z.boolean().nullish().transform((v) => v ?? false),
  state: z.string(),
  read: z.boolean().nullish().transform((v) => v ?? false),
  priority: text,
  admin_assignee_id: nullableId,
  team_assignee_id: nullableId,
  tags: z.object({ tags: z.array(TagRefSchema) }).nullish().transform((v) => v?.tags ?? []),
  source: ConversationSourceSchema.nullish().transform((v) => v ?? null),
  contacts: z.object({
    contacts: z.array(z.object({ id: id, external_id: text })),
  }).nullish().transform((v) => v?.contacts ?? []),
  teammates: z.object({
    teammates: z.array(z.object({ id: id })).nullish(),
  }).nullish().transform((v) => v?.teammates ?? []),
  statistics: jsonObject,
  custom_attributes: jsonObject,
  conversation_rating: z.record(z.unknown()).nullish().transform((v) => v ?? null),
};

/** A conversation as listed by search: no parts. */
export const ConversationSummarySchema = z.object(conversationBase);
export type ConversationSummary = z.output<typeof ConversationSummarySchema>;

/** A conversation fetched by id: with up to 500 (the newest) parts and their total count. */
export const ConversationSchema = z.object({
  ...conversationBase,
  conversation_parts: z.object({
    conversation_parts: z.array(ConversationPartSchema),
    total_count: z.number().int(),
  }).nullish().transform((v) => v ?? { conversation_parts: [], total_count: 0 }),
});
export type Conversation = z.output<typeof ConversationSchema>;

export const PagesSchema = z.object({
  page: z.number().int().nullish(),
  per_page: z.number().int().nullish(),
  total_pages: z.number().int().nullish(),
  next: z.object({
    page: z.number().int().nullish(),
    starting_after: z.string().nullish(),
  }).nullish(),
}).nullish();

export const ConversationListSchema = z.object({
  type: z.string(),
  conversations: z.array(ConversationSummarySchema),
  total_count: z.number().int(),
  pages: PagesSchema,
});
export type ConversationList = z.output<typeof ConversationListSchema>;

export const ContactSchema = z.object({
  type: z.string().optional(),
  id: id,
  external_id: text,
  role: text,
  email: text,
  phone: text,
  name: text,
  created_at: time,
  updated_at: time,
  last_seen_at: time,
  custom_attributes: jsonObject,
});
export type Contact = z.output<typeof ContactSchema>;

export const ContactListSchema = z.object({
  type: z.string(),
  data: z.array(ContactSchema),
  total_count: z.number().int().nullish(),
  pages: PagesSchema,
});
export type ContactList = z.output<typeof ContactListSchema>;

export const AdminSchema = z.object({
  type: z.string().optional(),
  id: id,
  name: text,
  email: text,
  job_title: text,
  away_mode_enabled: z.boolean().nullish().transform((v) => v ?? false),
  team_ids: z.array(id).nullish().transform((v) => v ?? []),
});
export type Admin = z.output<typeof AdminSchema>;
export const AdminListSchema = z.object({ type: z.string(), admins: z.array(AdminSchema) });

export const TeamSchema = z.object({
  type: z.string().optional(),
  id: id,
  name: z.string(),
  admin_ids: z.array(id).nullish().transform((v) => v ?? []),
});
export type Team = z.output<typeof TeamSchema>;
export const TeamListSchema = z.object({ type: z.string(), teams: z.array(TeamSchema) });

export const TagSchema = z.object({ type: z.string().optional(), id: id, name: z.string() });
export type Tag = z.output<typeof TagSchema>;
export const TagListSchema = z.object({ type: z.string(), data: z.array(TagSchema) });

export const ErrorListSchema = z.object({
  type: z.literal("error.list"),
  request_id: z.string().nullish(),
  errors: z.array(z.object({ code: z.string(), message: text, field: text })),
});
export type ErrorList = z.output<typeof ErrorListSchema>;

/** A search filter: `{field, operator, value}` or a compound `{operator: AND|OR, value: [...]}`. */
export type SearchQuery =
  | { field: string; operator: string; value: unknown }
  | { operator: "AND" | "OR"; value: SearchQuery[] };
