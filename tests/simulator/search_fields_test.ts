import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { compileQuery } from "../../lib/simulator/query_dsl.ts";
import {
  contactSearchSchema,
  conversationSearchSchema,
} from "../../lib/simulator/search_fields.ts";
import { NOW } from "./_fixtures.ts";

const ws = generateWorkspace({ seed: 3, conversations: 300, days: 30, now: NOW });

function count<T>(records: T[], query: unknown, schema = conversationSearchSchema as never) {
  return records.filter(compileQuery(query, schema)).length;
}

Deno.test("conversationSearchSchema resolves every documented field", () => {
  const fields = [
    "id",
    "created_at",
    "updated_at",
    "waiting_since",
    "snoozed_until",
    "source.type",
    "source.id",
    "source.delivered_as",
    "source.subject",
    "source.body",
    "source.author.id",
    "source.author.type",
    "source.author.name",
    "source.author.email",
    "contact_ids",
    "teammate_ids",
    "admin_assignee_id",
    "team_assignee_id",
    "open",
    "read",
    "state",
    "tag_ids",
    "priority",
    "statistics.time_to_admin_reply",
    "statistics.count_conversation_parts",
    "statistics.last_close_at",
    "conversation_rating.score",
    "custom_attributes.Language",
  ];
  for (const field of fields) assert.ok(conversationSearchSchema.resolve(field), field);
  assert.equal(conversationSearchSchema.resolve("custom_attributes."), undefined);
  assert.equal(conversationSearchSchema.resolve("toString"), undefined);
});

Deno.test("conversation fields read the generated data consistently", () => {
  const c = ws.conversations;
  assert.equal(
    count(c, { field: "open", operator: "=", value: false }),
    c.filter((x) => x.state === "closed").length,
  );
  assert.equal(
    count(c, { field: "state", operator: "=", value: "snoozed" }),
    c.filter((x) => x.state === "snoozed").length,
  );
  const tag = ws.tags[0]!;
  assert.equal(
    count(c, { field: "tag_ids", operator: "=", value: tag.id }),
    c.filter((x) => x.tags.some((t) => t.tag.id === tag.id)).length,
  );
  assert.equal(
    count(c, { field: "statistics.count_conversation_parts", operator: ">", value: 500 }),
    c.filter((x) => x.parts.length + 1 > 500).length,
  );
  assert.equal(
    count(c, { field: "custom_attributes.Language", operator: "=", value: "ja" }),
    c.filter((x) => x.custom_attributes.Language === "ja").length,
  );
});

Deno.test("contactSearchSchema matches created_at by UTC calendar day", () => {
  const contact = ws.contacts[5]!;
  const dayStart = Math.floor(contact.created_at / 86_400) * 86_400;
  const sameDay = ws.contacts.filter((c) =>
    Math.floor(c.created_at / 86_400) * 86_400 === dayStart
  );
  const query = { field: "created_at", operator: "=", value: dayStart + 86_399 };
  assert.equal(count(ws.contacts, query, contactSearchSchema as never), sameDay.length);
  assert.ok(sameDay.length >= 1);
});
