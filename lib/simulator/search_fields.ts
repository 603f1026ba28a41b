/** The searchable fields of conversations and contacts, as the search DSL sees them. */
import type { FieldSpec, FieldType, SearchSchema } from "./query_dsl.ts";
import type { SimContact, SimConversation, SimStatistics } from "./workspace.ts";

type Conv = SimConversation;

const spec = <T>(type: FieldType, get: (r: T) => unknown): FieldSpec<T> => ({ type, get });

const STAT_DATES = [
  "first_contact_reply_at",
  "first_assignment_at",
  "first_admin_reply_at",
  "first_close_at",
  "last_assignment_at",
  "last_assignment_admin_reply_at",
  "last_contact_reply_at",
  "last_admin_reply_at",
  "last_close_at",
] as const satisfies readonly (keyof SimStatistics)[];

const STAT_INTS = [
  "time_to_assignment",
  "time_to_admin_reply",
  "time_to_first_close",
  "time_to_last_close",
  "median_time_to_reply",
  "count_reopens",
  "count_assignments",
] as const satisfies readonly (keyof SimStatistics)[];

const CONVERSATION_FIELDS: Record<string, FieldSpec<Conv>> = {
  id: spec("id", (c) => c.id),
  created_at: spec("date", (c) => c.created_at),
  updated_at: spec("date", (c) => c.updated_at),
  waiting_since: spec("date", (c) => c.waiting_since),
  snoozed_until: spec("date", (c) => c.snoozed_until),
  title: spec("string", (c) => c.title),
  "source.type": spec("string", (c) => c.source.type),
  "source.id": spec("id", (c) => c.source.id),
  "source.delivered_as": spec("string", (c) => c.source.delivered_as),
  "source.subject": spec("string", (c) => c.source.subject),
  "source.body": spec("string", (c) => c.source.body),
  "source.url": spec("string", (c) => c.source.url),
  "source.author.id": spec("id", (c) => c.source.author.id),
  "source.author.type": spec("string", (c) => c.source.author.type),
  "source.author.name": spec("string", (c) => c.source.author.name),
  "source.author.email": spec("string", (c) => c.source.author.email),
  contact_ids: spec("ids", (c) => c.contact_ids),
  teammate_ids: spec("ids", (c) => c.teammate_ids),
  tag_ids: spec("ids", (c) => c.tags.map((t) => t.tag.id)),
  admin_assignee_id: spec("id", (c) => c.admin_assignee_id),
  team_assignee_id: spec("id", (c) => c.team_assignee_id),
  open: spec("bool", (c) => c.state !== "closed"),
  read: spec("bool", (c) => c.read),
  state: spec("string", (c) => c.state),
  priority: spec("string", (c) => c.priority),
  "statistics.count_conversation_parts": spec("int", (c) => c.parts.length + 1),
  "statistics.last_closed_by_id": spec("id", (c) => c.statistics.last_closed_by_id),
  "conversation_rating.score": spec("int", (c) => c.rating?.rating ?? null),
  "conversation_rating.rating": spec("int", (c) => c.rating?.rating ?? null),
  "conversation_rating.remark": spec("string", (c) => c.rating?.remark ?? null),
  "conversation_rating.replied_at": spec("date", (c) => c.rating?.created_at ?? null),
  "conversation_rating.contact_id": spec("id", (c) => c.rating?.contact_id ?? null),
  "conversation_rating.admin_id": spec("id", (c) => c.rating?.teammate_id ?? null),
};
for (const name of STAT_DATES) {
  CONVERSATION_FIELDS[`statistics.${name}`] = spec("date", (c) => c.statistics[name]);
}
for (const name of STAT_INTS) {
  CONVERSATION_FIELDS[`statistics.${name}`] = spec("int", (c) => c.statistics[name]);
}

/** The description of contact search: dates take only `=`, `>` and `<`; `tag_id` `=`, `!=`. */
const CONTACT_DATE_OPERATORS = ["=", ">", "<"] as const;
const contactDate = (get: (c: SimContact) => number | null): FieldSpec<SimContact> => ({
  type: "date",
  get,
  operators: CONTACT_DATE_OPERATORS,
});

const CONTACT_FIELDS: Record<string, FieldSpec<SimContact>> = {
  id: spec("id", (c) => c.id),
  external_id: spec("string", (c) => c.external_id),
  role: spec("string", (c) => c.role),
  name: spec("string", (c) => c.name),
  email: spec("string", (c) => c.email),
  phone: spec("string", (c) => c.phone),
  created_at: contactDate((c) => c.created_at),
  updated_at: contactDate((c) => c.updated_at),
  signed_up_at: contactDate((c) => c.signed_up_at),
  last_seen_at: contactDate((c) => c.last_seen_at),
  tag_id: { type: "ids", get: (c) => c.tag_ids, operators: ["=", "!="] },
};

function withCustomAttributes<T extends { custom_attributes: Record<string, unknown> }>(
  fields: Record<string, FieldSpec<T>>,
): (field: string) => FieldSpec<T> | undefined {
  return (field) => {
    const known = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (known) return known;
    if (!field.startsWith("custom_attributes.") || field.length <= 18) return undefined;
    const name = field.slice("custom_attributes.".length);
    return spec("any", (r) => r.custom_attributes[name] ?? null);
  };
}

/** Searchable conversation fields; dates match to the second. */
export const conversationSearchSchema: SearchSchema<Conv> = {
  resolve: withCustomAttributes(CONVERSATION_FIELDS),
  dayGranularDates: false,
};

/**
 * Searchable contact fields; dates match by calendar day in the workspace's timezone (see
 * {@link workspaceDay}), as the description of contact search says.
 */
export const contactSearchSchema: SearchSchema<SimContact> = {
  resolve: withCustomAttributes(CONTACT_FIELDS),
  dayGranularDates: true,
};

/** Fields a conversation search may sort on, with the value (Unix seconds) they sort by. */
export const conversationSortFields: Record<string, (c: Conv) => number | null> = {
  updated_at: (c) => c.updated_at,
  created_at: (c) => c.created_at,
  waiting_since: (c) => c.waiting_since,
  snoozed_until: (c) => c.snoozed_until,
  id: (c) => Number(c.id),
};

/** Fields a contact search may sort on. */
export const contactSortFields: Record<string, (c: SimContact) => number | null> = {
  created_at: (c) => c.created_at,
  updated_at: (c) => c.updated_at,
  last_seen_at: (c) => c.last_seen_at,
  signed_up_at: (c) => c.signed_up_at,
};

/**
 * The calendar day (days since 1970-01-01) of a Unix time in `timeZone`: contact search
 * truncates date values to the day "using your workspace's timezone".
 */
export function workspaceDay(timeZone: string): (seconds: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
  });
  return (seconds) => {
    const parts = format.formatToParts(seconds * 1000);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000;
  };
}
