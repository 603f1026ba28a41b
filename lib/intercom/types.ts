/**
 * Intercom API shapes (version 2.11), validated at the edge with zod. Objects accept every
 * shape Intercom's OpenAPI description allows, and the ones its own examples show where they
 * disagree with its schemas: unknown fields are dropped; optional fields may be absent or null;
 * `statistics`, `teammates`, `conversation_rating` and `source` may be null; teammate ids may be
 * null (skipped); authors may be blank ("For Twitter, this will be blank": `{}`, nulls or "") and
 * then read as null; `app` on `/me` may be null; an empty email reads as null. Only what a
 * record cannot be stored without is required: ids, `created_at`/`updated_at`, part types.
 * Shared by the client (parsing), the simulator (producing) and the store (persisting).
 *
 * All times are integer Unix seconds, UTC, as Intercom sends them.
 */
import { z } from "zod";
import {
  AttachmentsSchema,
  ContactExtrasSchemas,
  ExtrasSchemas,
  ReferenceSchema,
} from "./extras.ts";
import { blankable, blankableId, id, jsonObject, nullableId, text, time } from "./fields.ts";

/** A part or source author; null when blank (every field empty), as Twitter authors are. */
export const AuthorSchema = z.object({
  type: blankable,
  id: blankableId,
  name: blankable,
  email: blankable,
}).nullish().transform((a) =>
  a && (a.type ?? a.id ?? a.name ?? a.email) !== null
    ? { type: a.type, id: a.id, name: a.name, email: a.email }
    : null
);
export type Author = NonNullable<z.output<typeof AuthorSchema>>;

export const AppSchema = z.object({
  type: z.string().optional(),
  id_code: z.string(),
  name: z.string(),
  created_at: time,
  timezone: text,
  region: text,
});

export const MeSchema = z.object({
  type: z.string(),
  id: id,
  email: text,
  name: text,
  /** The workspace; the description's `admin_with_app.app` is nullable. */
  app: AppSchema.nullish().transform((v) => v ?? null),
});
export type Me = z.output<typeof MeSchema>;

/** `workspace "NAME" (ID)`, or a phrase saying Intercom did not name it (`app: null`). */
export function workspaceLabel(me: Me): string {
  return me.app === null
    ? "a workspace Intercom did not name (app: null)"
    : `workspace "${me.app.name}" (${me.app.id_code})`;
}

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
  author: AuthorSchema,
  url: text,
  attachments: AttachmentsSchema,
});

export const ConversationPartSchema = z.object({
  type: z.string().optional(),
  id: id,
  part_type: z.string(),
  body: text,
  created_at: z.number().int(),
  updated_at: time,
  notified_at: time,
  author: AuthorSchema,
  redacted: z.boolean().nullish().transform((v) => v ?? false),
  /** Whom an assignment part assigned the conversation to. */
  assigned_to: ReferenceSchema,
  attachments: AttachmentsSchema,
});
export type ConversationPart = z.output<typeof ConversationPartSchema>;

/** `teammates`: null, or a list whose references may lack an id (those are skipped). */
const teammates = z.object({
  teammates: z.array(z.object({ id: nullableId }).nullable()).nullish(),
}).nullish().transform((v) =>
  (v?.teammates ?? []).flatMap((t) => (t?.id == null ? [] : [{ id: t.id }]))
);

const conversationBase = {
  type: z.string().optional(),
  id: id,
  title: text,
  created_at: z.number().int(),
  updated_at: z.number().int(),
  waiting_since: time,
  snoozed_until: time,
  open: z.boolean().nullish(),
  state: z.string().nullish(),
  read: z.boolean().nullish().transform((v) => v ?? false),
  priority: text,
  admin_assignee_id: nullableId,
  team_assignee_id: nullableId,
  tags: z.object({ tags: z.array(TagRefSchema).nullish() }).nullish().transform((v) =>
    v?.tags ?? []
  ),
  source: ConversationSourceSchema.nullish().transform((v) => v ?? null),
  contacts: z.object({
    contacts: z.array(z.object({ id: id, external_id: text })).nullish(),
  }).nullish().transform((v) => v?.contacts ?? []),
  teammates,
  statistics: jsonObject,
  custom_attributes: jsonObject,
  conversation_rating: z.record(z.unknown()).nullish().transform((v) => v ?? null),
  ...ExtrasSchemas,
};

/** `state` and `open` are optional in the description; each stands in for the other. */
function withState<
  T extends { open?: boolean | null | undefined; state?: string | null | undefined },
>(
  c: T,
): Omit<T, "open" | "state"> & { open: boolean; state: string } {
  const state = c.state ?? (c.open === true ? "open" : c.open === false ? "closed" : "unknown");
  return { ...c, state, open: c.open ?? state !== "closed" };
}

/** A conversation as listed by search: no parts. */
export const ConversationSummarySchema = z.object(conversationBase).transform(withState);
export type ConversationSummary = z.output<typeof ConversationSummarySchema>;

/**
 * The parts returned and how many the conversation has. Intercom returns at most the newest
 * 500; `total_count` is the list's own count (its meaning is not described), so
 * {@link partsTruncated} prefers `statistics.count_conversation_parts`.
 */
export const ConversationPartsSchema = z.object({
  conversation_parts: z.array(ConversationPartSchema).nullish().transform((v) => v ?? []),
  total_count: z.number().int().nullish(),
}).nullish().transform((v) => {
  const parts = v?.conversation_parts ?? [];
  return { conversation_parts: parts, total_count: v?.total_count ?? parts.length };
});

/** A conversation fetched by id: with up to 500 (the newest) parts and their total count. */
export const ConversationSchema = z.object({
  ...conversationBase,
  conversation_parts: ConversationPartsSchema,
}).transform(withState);
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

export const ContactSchema = z.object({
  type: z.string().optional(),
  id: id,
  external_id: text,
  role: text,
  email: blankable,
  phone: text,
  name: text,
  created_at: time,
  updated_at: time,
  last_seen_at: time,
  custom_attributes: jsonObject,
  ...ContactExtrasSchemas,
});
export type Contact = z.output<typeof ContactSchema>;

export const ContactListSchema = z.object({
  type: z.string(),
  data: z.array(ContactSchema),
  total_count: z.number().int().nullish(),
  pages: PagesSchema,
});

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
  name: text,
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

/** A search filter: `{field, operator, value}` or a compound `{operator: AND|OR, value: [...]}`. */
export type SearchQuery =
  | { field: string; operator: string; value: unknown }
  | { operator: "AND" | "OR"; value: SearchQuery[] };
