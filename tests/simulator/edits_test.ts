import assert from "node:assert/strict";
import {
  addPart,
  createContact,
  mergeContact,
  startConversation,
} from "../../lib/simulator/edits.ts";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { Prng } from "../../lib/simulator/prng.ts";
import { NOW } from "./_fixtures.ts";

const fresh = () => generateWorkspace({ seed: 8, conversations: 40, days: 10, now: NOW });

Deno.test("addPart() in the second of updated_at keeps updated_at and adds the reply", () => {
  const ws = fresh();
  const c = ws.conversations.find((x) => x.state === "open" && x.parts.length > 0)!;
  const second = c.updated_at;
  const before = c.parts.length;
  const part = addPart(ws, new Prng(1), c.id, { at: second });
  assert.equal(c.updated_at, second, "same second: updated_at cannot show the new reply");
  assert.equal(c.parts.length, before + 1);
  assert.equal(c.parts.at(-1), part);
  assert.equal(part.part_type, "comment");
  assert.equal(part.author.id, c.contact_ids[0]);
  assert.ok(part.body && part.body.length > 0);
  assert.equal(c.statistics.last_contact_reply_at, second);
});

Deno.test("addPart() moves updated_at forward, changes state for close, and refuses the past", () => {
  const ws = fresh();
  const c = ws.conversations.find((x) => x.state === "open")!;
  addPart(ws, new Prng(2), c.id, { at: NOW + 10, type: "close", author: "admin", body: null });
  assert.equal(c.updated_at, NOW + 10);
  assert.equal(c.state, "closed");
  assert.equal(c.statistics.last_close_at, NOW + 10);
  assert.throws(
    () => addPart(ws, new Prng(2), c.id, { at: NOW }),
    /at 1750000000 is before the last part of conversation/,
  );
  assert.throws(() => addPart(ws, new Prng(2), "nope", { at: NOW }), /no conversation/);
});

Deno.test("createContact() adds a new contact with a fresh 24-hex id, created at the given second", () => {
  const ws = fresh();
  const count = ws.contacts.length;
  const contact = createContact(ws, { at: NOW + 5, role: "lead", email: null });
  assert.equal(ws.contacts.length, count + 1);
  assert.equal(ws.contactsById.get(contact.id), contact);
  assert.match(contact.id, /^[0-9a-f]{24}$/);
  assert.equal(contact.created_at, NOW + 5);
  assert.equal(contact.email, null);
  assert.equal(contact.role, "lead");
  assert.notEqual(createContact(ws, { at: NOW + 5 }).id, contact.id);
});

Deno.test("mergeContact() moves the conversations to the target and marks the source merged", () => {
  const ws = fresh();
  const from = ws.contacts.find((c) => ws.conversations.some((x) => x.contact_ids.includes(c.id)))!;
  const into = ws.contacts.find((c) => c.id !== from.id)!;
  const referencing = ws.conversations.filter((x) => x.contact_ids.includes(from.id));
  const updated = referencing.map((x) => x.updated_at);
  const moved = mergeContact(ws, from.id, into.id, { at: NOW + 60 });
  assert.deepEqual(moved, referencing.map((x) => x.id));
  assert.equal(from.merged_into, into.id);
  assert.equal(into.updated_at, NOW + 60);
  for (const x of referencing) {
    assert.ok(x.contact_ids.includes(into.id) && !x.contact_ids.includes(from.id));
  }
  assert.deepEqual(referencing.map((x) => x.updated_at), updated, "not touched by default");
  assert.throws(() => mergeContact(ws, into.id, from.id, { at: NOW }), /cannot merge/);
});

Deno.test("mergeContact() with touchConversations stamps the moved conversations", () => {
  const ws = fresh();
  const from = ws.contacts.find((c) => ws.conversations.some((x) => x.contact_ids.includes(c.id)))!;
  const into = ws.contacts.find((c) => c.id !== from.id)!;
  const moved = mergeContact(ws, from.id, into.id, { at: NOW + 99, touchConversations: true });
  assert.ok(moved.length > 0);
  for (const id of moved) assert.equal(ws.conversationsById.get(id)!.updated_at, NOW + 99);
});

Deno.test("startConversation() creates a conversation by the given contact at the given second", () => {
  const ws = fresh();
  const late = createContact(ws, { at: NOW + 30 });
  const before = ws.conversations.length;
  const c = startConversation(ws, new Prng(4), { contactId: late.id, at: NOW + 31, parts: 2 });
  assert.equal(ws.conversations.length, before + 1);
  assert.equal(ws.conversationsById.get(c.id), c);
  assert.equal(c.contact_ids[0], late.id);
  assert.equal(c.created_at, NOW + 31);
  assert.equal(c.updated_at, NOW + 31);
  assert.equal(c.parts.length, 2);
  assert.ok(Number(c.id) > Math.max(...ws.conversations.slice(0, before).map((x) => Number(x.id))));
  assert.throws(
    () => startConversation(ws, new Prng(4), { contactId: "x", at: NOW }),
    /no contact/,
  );
});
