/**
 * What conversations, tickets and contacts carry besides their messages: attachments (metadata,
 * never the bytes), linked objects, the applied SLA, topics, what Intercom's AI agent (Fin) did,
 * assignment targets, and a contact's tags, companies, location and owner.
 *
 * Each of these reads leniently and never costs its record: a value of an unexpected shape
 * reads as "none" (`.catch`), so a conversation whose `topics` Intercom reshapes is still
 * stored with every message. (`topics` is required by the 2.11 description without a schema;
 * its examples show `{}`, Intercom's conversation model `{type: "topic.list", topics: […]}`.)
 */
import { z } from "zod";
import { id, nullableId, text, time } from "./fields.ts";

const attachment = z.object({
  name: text,
  url: text,
  content_type: text,
  filesize: time,
  width: time,
  height: time,
}).transform((a) => ({
  name: a.name,
  url: a.url,
  content_type: a.content_type,
  filesize: a.filesize,
}));

/** Attachments of a part or source: name, URL, content type and size. */
export const AttachmentsSchema = z.array(attachment).nullish().transform((v) => v ?? []).catch(
  [],
);
export type Attachment = z.output<typeof attachment>;

/** `{type, id}` of whom a part assigned to (admin, team, …), or null. */
export const ReferenceSchema = z.object({ type: text, id: nullableId }).nullish().transform((v) =>
  v && v.id !== null ? { type: v.type, id: v.id } : null
).catch(null);

const linkedObject = z.object({ type: z.string(), id: id, category: text });

/** `linked_objects.data`: the tickets and conversations linked to a record. */
export const LinkedObjectsSchema = z.object({ data: z.array(linkedObject).nullish() }).nullish()
  .transform((v) => v?.data ?? []).catch([]);
export type LinkedObject = z.output<typeof linkedObject>;

/** `sla_applied` as `{name, status}`, or null. */
export const SlaSchema = z.object({ sla_name: text, sla_status: text }).nullish().transform((v) =>
  v && v.sla_name !== null ? { name: v.sla_name, status: v.sla_status } : null
).catch(null);

/** `topics` as a list of `{id, name}` (`{}` reads as none). */
export const TopicsSchema = z.object({
  topics: z.array(z.object({ id: nullableId, name: z.string() })).nullish(),
}).nullish().transform((v) => v?.topics ?? []).catch([]);

const contentSource = z.object({ content_type: text, title: text, url: text });

/** What Fin did in a conversation, or null when it took no part. */
export const AiAgentSchema = z.object({
  source_type: text,
  source_title: text,
  last_answer_type: text,
  resolution_state: text,
  rating: z.number().nullish().transform((v) => v ?? null),
  rating_remark: text,
  content_sources: z.object({ content_sources: z.array(contentSource).nullish() }).nullish()
    .transform((v) => v?.content_sources ?? []),
}).nullish().transform((v) => v ?? null).catch(null);
export type AiAgent = NonNullable<z.output<typeof AiAgentSchema>>;

/** The extras of a conversation, spread into its schema. */
export const ExtrasSchemas = {
  linked_objects: LinkedObjectsSchema,
  sla_applied: SlaSchema,
  topics: TopicsSchema,
  ai_agent: AiAgentSchema,
  ai_agent_participated: z.boolean().nullish().transform((v) => v ?? null).catch(null),
};

const idList = z.object({ data: z.array(z.object({ id: id })).nullish() }).nullish()
  .transform((v) => (v?.data ?? []).map((x) => x.id)).catch([]);

/** A contact's tags, companies, location and owner, spread into its schema. */
export const ContactExtrasSchemas = {
  tags: idList,
  companies: idList,
  location: z.object({ country: text, region: text, city: text }).nullish().transform((v) => ({
    country: v?.country ?? null,
    region: v?.region ?? null,
    city: v?.city ?? null,
  })).catch({ country: null, region: null, city: null }),
  owner_id: nullableId.catch(null),
};
