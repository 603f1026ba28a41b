import assert from "node:assert/strict";
import { ContactSchema, ConversationSchema } from "../../lib/intercom/types.ts";

const base = { id: "1", created_at: 1, updated_at: 2 };

Deno.test("conversation extras read both topic shapes, SLA, links, Fin and attachments", () => {
  const empty = ConversationSchema.parse({ ...base, topics: {} });
  assert.deepEqual(empty.topics, []);
  assert.deepEqual(empty.linked_objects, []);
  assert.equal(empty.sla_applied, null);
  assert.equal(empty.ai_agent, null);
  const full = ConversationSchema.parse({
    ...base,
    topics: { type: "topic.list", topics: [{ type: "topic", id: 839, name: "Billing" }] },
    sla_applied: { type: "conversation_sla_summary", sla_name: "VIP", sla_status: "missed" },
    linked_objects: { type: "list", data: [{ type: "ticket", id: 7, category: "Customer" }] },
    ai_agent: {
      source_type: "workflow",
      resolution_state: "routed_to_team",
      content_sources: { content_sources: [{ content_type: "article", title: "T", url: "u" }] },
    },
    ai_agent_participated: true,
    source: {
      attachments: [{ type: "upload", name: "a.png", url: "https://x", filesize: 10 }],
    },
    conversation_parts: {
      conversation_parts: [{
        id: "p",
        part_type: "assignment",
        created_at: 3,
        assigned_to: { type: "team", id: 42 },
      }],
    },
  });
  assert.deepEqual(full.topics, [{ id: "839", name: "Billing" }]);
  assert.deepEqual(full.sla_applied, { name: "VIP", status: "missed" });
  assert.deepEqual(full.linked_objects, [{ type: "ticket", id: "7", category: "Customer" }]);
  assert.equal(full.ai_agent?.resolution_state, "routed_to_team");
  assert.equal(full.ai_agent?.content_sources[0]?.title, "T");
  assert.equal(full.source?.attachments[0]?.name, "a.png");
  assert.deepEqual(full.conversation_parts.conversation_parts[0]?.assigned_to, {
    type: "team",
    id: "42",
  });
});

Deno.test("an extra of an unexpected shape reads as none and never costs the conversation", () => {
  const odd = ConversationSchema.parse({
    ...base,
    topics: "billing",
    sla_applied: [1],
    linked_objects: { data: "x" },
    ai_agent: 5,
    source: { attachments: {} },
  });
  assert.deepEqual([odd.topics, odd.sla_applied, odd.linked_objects, odd.ai_agent], [
    [],
    null,
    [],
    null,
  ]);
  assert.deepEqual(odd.source?.attachments, []);
});

Deno.test("contact extras: tags, companies, location and owner; odd shapes read as none", () => {
  const contact = ContactSchema.parse({
    id: "c",
    tags: { type: "list", data: [{ type: "tag", id: 5 }] },
    companies: { type: "list", data: [{ type: "company", id: "abc", url: "/companies/abc" }] },
    location: { type: "location", country: "Japan", region: null, city: "Tokyo" },
    owner_id: 991,
  });
  assert.deepEqual(contact.tags, ["5"]);
  assert.deepEqual(contact.companies, ["abc"]);
  assert.deepEqual(contact.location, { country: "Japan", region: null, city: "Tokyo" });
  assert.equal(contact.owner_id, "991");
  const odd = ContactSchema.parse({ id: "c", tags: 3, companies: null, location: "x" });
  assert.deepEqual([odd.tags, odd.companies, odd.location.city, odd.owner_id], [
    [],
    [],
    null,
    null,
  ]);
});
