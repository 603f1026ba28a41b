import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("search and fetch answer in the shape ChatGPT connectors read", async () => {
  await using fx = await syncedFixture({ conversations: 40, seed: 9 });
  await using c = await memoryClient(fx);
  const hit = fx.store.searchConversations({ limit: 1 }).hits[0]!;
  const text = fx.store.getConversation(hit.id)!.parts.map((p) => p.body ?? "").join(" ");
  const word = text.split(/[^A-Za-z]+/).find((w) => w.length > 5)!;
  assert.ok(word, text);
  const expected = fx.store.searchConversations({ text: word, limit: 20 }).hits;

  const found = await c.call("search", { query: word });
  const results = dataOf(found).results as { id: string; title: string; url: string }[];
  assert.deepEqual(JSON.parse(textOf(found)), dataOf(found), "the text item is the JSON");
  assert.deepEqual(
    results.filter((r) => r.id.startsWith("conversation_")).map((r) => r.id),
    expected.map((h) => `conversation_${h.id}`),
  );
  // titles as from hits that all have snippets (the tool asks for those of untitled hits only)
  assert.deepEqual(
    results.filter((r) => r.id.startsWith("conversation_")).map((r) => r.title),
    expected.map((h) =>
      `#${h.id} ${h.source_subject ?? h.title ?? h.snippet ?? ""}`.trim().slice(0, 200)
    ),
  );
  const ws = fx.sim.workspace.app?.id_code;
  for (const r of results) {
    assert.ok(r.title.length > 0);
    if (r.id.startsWith("conversation_")) {
      assert.equal(
        r.url,
        `https://app.intercom.com/a/inbox/${ws}/inbox/conversation/${r.id.slice(13)}`,
      );
    }
  }

  const stored = fx.store.getConversation(expected[0]!.id)!;
  for (const id of [`conversation_${stored.id}`, `#${stored.id}`, stored.id]) {
    const doc = dataOf(await c.call("fetch", { id }));
    assert.equal(doc.id, `conversation_${stored.id}`);
    assert.equal(doc.metadata.state, stored.state);
    for (const part of stored.parts.filter((p) => p.body)) {
      assert.ok(doc.text.includes(part.body!.slice(0, 30)), `message ${part.id} in the text`);
    }
  }

  const contact = fx.store.searchContacts({ limit: 1 }).contacts[0]!;
  const byContact = dataOf(await c.call("search", { query: contact.email! }));
  assert.ok(byContact.results.some((r: { id: string }) => r.id === `contact_${contact.id}`));
  const person = dataOf(await c.call("fetch", { id: `contact_${contact.id}` }));
  assert.equal(person.metadata.email, contact.email);
  assert.match(person.text, new RegExp(contact.email!.replace(/[.+]/g, "\\$&")));

  const missing = await c.call("fetch", { id: "conversation_1" });
  assert.equal(missing.isError, true);
  assert.match(textOf(missing), /not in the local store/);
  const bad = await c.call("fetch", { id: "hello" });
  assert.match(textOf(bad), /cannot read an id from "hello"/);
  assert.deepEqual(dataOf(await c.call("search", { query: "  " })).results, []);
});
