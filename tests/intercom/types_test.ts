/**
 * The client's shapes accept what Intercom's OpenAPI description (2.11) allows, including what
 * its own examples show where they disagree with its schemas (see
 * `tests/_fixtures/openapi.ts`), and reject only what a record cannot be stored without.
 */
import assert from "node:assert/strict";
import {
  ContactSchema,
  ConversationListSchema,
  ConversationSchema,
  MeSchema,
  TeamListSchema,
  workspaceLabel,
} from "../../lib/intercom/types.ts";
import { DESCRIPTION } from "../_fixtures/openapi.ts";

function conversation(extra: Record<string, unknown> = {}) {
  return {
    type: "conversation",
    id: "77",
    created_at: 1_700_000_000,
    updated_at: 1_700_000_100,
    waiting_since: null,
    snoozed_until: null,
    admin_assignee_id: null,
    team_assignee_id: null,
    custom_attributes: {},
    state: "open",
    open: true,
    ...extra,
  };
}

function part(extra: Record<string, unknown> = {}) {
  return {
    type: "conversation_part",
    id: "5",
    part_type: "comment",
    body: "hi",
    created_at: 1_700_000_050,
    notified_at: 1_700_000_050,
    redacted: false,
    author: { type: "user", id: "c1", name: "C", email: "c@example.com" },
    ...extra,
  };
}

Deno.test("ConversationSchema reads the description's own examples (null statistics, teammates, rating)", () => {
  const operation = DESCRIPTION.paths["/conversations/{conversation_id}"].get;
  const example = operation.responses["200"].content["application/json"].examples;
  const value = example["conversation found"].value;
  assert.equal(value.statistics, null);
  assert.equal(value.teammates, null);
  const parsed = ConversationSchema.parse(value);
  assert.equal(parsed.id, value.id);
  assert.deepEqual(parsed.statistics, {});
  assert.deepEqual(parsed.teammates, []);
  assert.equal(parsed.conversation_rating, null);
  const search = DESCRIPTION.paths["/conversations/search"].post.responses["200"];
  const list = ConversationListSchema.parse(
    search.content["application/json"].examples.successful.value,
  );
  assert.equal(list.conversations.length, 1);
});

Deno.test("ConversationSchema skips teammate references whose id is null", () => {
  const parsed = ConversationSchema.parse(conversation({
    teammates: {
      type: "admin.list",
      teammates: [{ type: "admin", id: null }, { type: "admin", id: 12 }, { type: "admin" }],
    },
  }));
  assert.deepEqual(parsed.teammates, [{ id: "12" }]);
});

Deno.test("ConversationSchema reads blank Twitter authors ({}, nulls, empty strings) as null", () => {
  for (
    const blank of [{}, { type: null, id: null, name: null, email: null }, {
      type: "",
      id: "",
      name: "",
      email: "",
    }, null]
  ) {
    const parsed = ConversationSchema.parse(conversation({
      source: {
        type: "twitter",
        id: "9",
        delivered_as: "customer_initiated",
        subject: "",
        body: "hello",
        author: blank,
        redacted: false,
      },
      conversation_parts: {
        type: "conversation_part.list",
        conversation_parts: [part({ author: blank })],
        total_count: 1,
      },
    }));
    assert.equal(parsed.source?.author, null, JSON.stringify(blank));
    assert.equal(parsed.conversation_parts.conversation_parts[0]!.author, null);
    assert.equal(parsed.source?.body, "hello");
  }
});

Deno.test("ConversationSchema keeps partly blank authors and reads an empty email as null", () => {
  const parsed = ConversationSchema.parse(conversation({
    conversation_parts: {
      type: "conversation_part.list",
      conversation_parts: [part({ author: { type: "lead", id: "c9", name: null, email: "" } })],
      total_count: 1,
    },
  }));
  assert.deepEqual(parsed.conversation_parts.conversation_parts[0]!.author, {
    type: "lead",
    id: "c9",
    name: null,
    email: null,
  });
});

Deno.test("ConversationSchema takes state from open when absent, and open from state", () => {
  const { state: _state, ...noState } = conversation({ open: false });
  assert.equal(ConversationSchema.parse(noState).state, "closed");
  const { open: _open, ...noOpen } = conversation({ state: "snoozed" });
  const parsed = ConversationSchema.parse(noOpen);
  assert.equal(parsed.open, true);
  assert.equal(parsed.state, "snoozed");
});

Deno.test("ConversationSchema tolerates parts without total_count and lists without tags", () => {
  const parsed = ConversationSchema.parse(conversation({
    tags: { type: "tag.list" },
    contacts: { type: "contact.list" },
    conversation_parts: { type: "conversation_part.list", conversation_parts: [part()] },
  }));
  assert.equal(parsed.conversation_parts.total_count, 1);
  assert.deepEqual(parsed.tags, []);
  assert.deepEqual(parsed.contacts, []);
});

Deno.test("ConversationSchema still rejects what cannot be stored: no id, text times, part without id", () => {
  assert.equal(ConversationSchema.safeParse({ ...conversation(), id: undefined }).success, false);
  assert.equal(
    ConversationSchema.safeParse(conversation({ created_at: "malformed" })).success,
    false,
  );
  const noPartId = conversation({
    conversation_parts: { conversation_parts: [part({ id: null })], total_count: 1 },
  });
  assert.equal(ConversationSchema.safeParse(noPartId).success, false);
});

Deno.test("MeSchema accepts app: null and workspaceLabel() says so", () => {
  const me = MeSchema.parse({ type: "admin", id: "1", email: "a@x", name: "A", app: null });
  assert.equal(me.app, null);
  assert.equal(workspaceLabel(me), "a workspace Intercom did not name (app: null)");
  const named = MeSchema.parse({
    type: "admin",
    id: "1",
    email: "a@x",
    name: "A",
    app: { type: "app", id_code: "ab12", name: "Acme" },
  });
  assert.equal(workspaceLabel(named), 'workspace "Acme" (ab12)');
});

Deno.test("ContactSchema reads an empty email as null", () => {
  const contact = ContactSchema.parse({ type: "contact", id: "c1", email: "", role: "lead" });
  assert.equal(contact.email, null);
});

Deno.test("TeamListSchema accepts a team without a name", () => {
  const list = TeamListSchema.parse({
    type: "team.list",
    teams: [{ type: "team", id: "3", name: null, admin_ids: [1] }],
  });
  assert.equal(list.teams[0]!.name, null);
});
