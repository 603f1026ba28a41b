import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import {
  renderContact,
  renderConversation,
  renderConversationSummary,
} from "../../lib/simulator/render.ts";
import {
  ContactSchema,
  ConversationSchema,
  ConversationSummarySchema,
} from "../../lib/intercom/types.ts";
import { NOW } from "./_fixtures.ts";

const ws = generateWorkspace({ seed: 2, conversations: 120, days: 30, now: NOW });
const giant = ws.conversations.find((c) => c.parts.length > 500)!;

Deno.test("renderConversation() returns the newest 500 parts in order with the real total", () => {
  // deno-lint-ignore no-explicit-any
  const body = renderConversation(ws, giant.id) as any;
  const parts = body.conversation_parts.conversation_parts;
  assert.equal(parts.length, 500);
  assert.equal(body.conversation_parts.total_count, giant.parts.length);
  assert.equal(body.statistics.count_conversation_parts, giant.parts.length + 1);
  assert.deepEqual(
    parts.map((p: { id: string }) => p.id),
    giant.parts.slice(-500).map((p) => p.id),
  );
  const parsed = ConversationSchema.parse(body);
  assert.equal(parsed.conversation_parts.conversation_parts.length, 500);
});

Deno.test("renderConversation() renders plaintext bodies by default and HTML on request", () => {
  const c = ws.conversations.find((x) =>
    x.parts.some((p) => p.body?.includes("&") || p.body?.includes("<br>"))
  )!;
  // deno-lint-ignore no-explicit-any
  const plain = renderConversation(ws, c.id) as any;
  // deno-lint-ignore no-explicit-any
  const html = renderConversation(ws, c.id, { plaintext: false }) as any;
  const bodies = (r: { conversation_parts: { conversation_parts: { body: string | null }[] } }) =>
    r.conversation_parts.conversation_parts.map((p) => p.body).filter((b) => b !== null).join("\n");
  assert.doesNotMatch(bodies(plain), /<p>|<br>|&amp;|&lt;/);
  assert.match(bodies(html), /<p>/);
  assert.doesNotMatch(plain.source.body, /<p>/);
});

Deno.test("renderConversation() honours partsCap and rejects unknown ids", () => {
  // deno-lint-ignore no-explicit-any
  const body = renderConversation(ws, giant.id, { partsCap: 3 }) as any;
  assert.equal(body.conversation_parts.conversation_parts.length, 3);
  assert.equal(body.conversation_parts.conversation_parts[2].id, giant.parts.at(-1)!.id);
  assert.throws(() => renderConversation(ws, "nope"), /no conversation with id "nope"/);
});

Deno.test("renderConversationSummary() has no parts and parses as a summary", () => {
  const c = ws.conversations[0]!;
  const summary = renderConversationSummary(c);
  assert.equal("conversation_parts" in summary, false);
  const parsed = ConversationSummarySchema.parse(summary);
  assert.equal(parsed.id, c.id);
  assert.equal(parsed.open, c.state !== "closed");
  assert.equal(parsed.admin_assignee_id, c.admin_assignee_id);
  assert.deepEqual(parsed.tags.map((t) => t.id), c.tags.map((t) => t.tag.id));
});

Deno.test("renderContact() parses as a contact with the workspace id", () => {
  const contact = ws.contacts[0]!;
  const body = renderContact(ws, contact);
  assert.equal(body.workspace_id, ws.app.id_code);
  assert.equal(ContactSchema.parse(body).id, contact.id);
});
