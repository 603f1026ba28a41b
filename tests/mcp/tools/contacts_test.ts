import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("search_contacts and get_contact read the synced contacts", async (t) => {
  await using fx = await syncedFixture({ conversations: 60, seed: 17 });
  await using c = await memoryClient(fx);
  const all = fx.store.searchContacts({ limit: 100 });
  const withEmail = all.contacts.find((x) => x.email && x.name)!;

  await t.step("search by part of a name and by exact email, as the store does", async () => {
    const part = withEmail.name!.slice(0, 3);
    const r = dataOf(await c.call("search_contacts", { query: part, limit: 100 }));
    const expected = fx.store.searchContacts({ text: part, limit: 100 });
    assert.equal(r.total, expected.total);
    assert.deepEqual(
      r.contacts.map((x: { id: string }) => x.id),
      expected.contacts.map((x) => x.id),
    );
    const exact = dataOf(
      await c.call("search_contacts", { email: withEmail.email!.toUpperCase() }),
    );
    assert.deepEqual(exact.contacts.map((x: { id: string }) => x.id), [withEmail.id]);
  });

  await t.step("pages with cursor", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = dataOf(
        await c.call("search_contacts", { limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...r.contacts.map((x: { id: string }) => x.id));
      cursor = r.next_cursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, all.contacts.map((x) => x.id));
  });

  await t.step("get_contact gives details and the contact's recent conversations", async () => {
    const r = dataOf(await c.call("get_contact", { contact_id: withEmail.id }));
    assert.equal(r.contact.email, withEmail.email);
    assert.equal(r.contact.name, withEmail.name);
    const expected = fx.store.searchConversations({ customerEmail: withEmail.email!, limit: 10 });
    assert.equal(r.conversations_total, expected.total);
    assert.deepEqual(
      r.recent_conversations.map((x: { id: string }) => x.id),
      expected.hits.map((h) => h.id),
    );
  });

  await t.step("unknown contacts and bad arguments are tool errors", async () => {
    const missing = await c.call("get_contact", { contact_id: "nobody" });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /contact "nobody" is not in the local store/);
    const bad = await c.call("search_contacts", { limit: "ten" });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /limit/);
  });
});
