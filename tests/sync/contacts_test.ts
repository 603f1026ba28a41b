/**
 * Contacts of synced conversations (defect 3 of issue 10): a contact missed once used to be
 * missed forever, since contact search leaves out new and merged contacts and later runs skip
 * the unchanged conversation.
 */
import assert from "node:assert/strict";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { DEFAULT_SIMULATOR_TOKEN, type SimContact } from "../../lib/simulator/mod.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { CONTACT_NOT_FOUND } from "../../lib/sync/contacts.ts";
import { assertStoreEqualsWorkspace, FAST_BACKOFF, withSyncFixture } from "./_fixtures.ts";

const START = Date.UTC(2026, 0, 14, 10, 0, 0);

/** A fixed clock the test moves by hand. */
function manualClock() {
  let now = START;
  return { clock: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

/** A contact with an email that exactly one conversation names. */
function loneContact(
  ws: { conversations: { id: string; contact_ids: string[] }[] },
  contacts: Map<string, SimContact>,
) {
  const uses = new Map<string, string[]>();
  for (const c of ws.conversations) {
    for (const id of c.contact_ids) uses.set(id, [...(uses.get(id) ?? []), c.id]);
  }
  for (const [id, conversations] of uses) {
    const contact = contacts.get(id)!;
    if (conversations.length === 1 && contact.email) {
      return { contact, conversation: conversations[0]! };
    }
  }
  throw new Error("no contact is named by exactly one conversation");
}

Deno.test("runSync() stores a new contact that contact search does not return yet, by id", async () => {
  const time = manualClock();
  await withSyncFixture(
    { conversations: 30, seed: 43, clock: time.clock, behaviour: { contactSearchLagSeconds: 600 } },
    async ({ sim, store, client }) => {
      await runSync({ store, client }, { mode: "all", clock: time.clock });
      time.advance(60);
      const contact = sim.createContact({ email: "new.customer@example.com" });
      const conversation = sim.startConversation({ contactId: contact.id, parts: 1 });
      const result = await runSync({ store, client }, { mode: "incremental", clock: time.clock });
      assert.equal(result.missingContacts, 0);
      assert.equal(store.getContact(contact.id)?.email, "new.customer@example.com");
      const found = store.searchConversations({ customerEmail: "new.customer@example.com" });
      assert.deepEqual(found.hits.map((h) => h.id), [conversation.id]);
      assertStoreEqualsWorkspace(store, sim.workspace);
    },
  );
});

Deno.test("runSync() keeps a contact that answered 404 on a list, and a later run follows its merge", async () => {
  const time = manualClock();
  await withSyncFixture({ conversations: 40, seed: 47, clock: time.clock }, async (ctx) => {
    const { sim, store, client } = ctx;
    const ws = sim.workspace;
    const { contact: from, conversation } = loneContact(ws, ws.contactsById);
    const into = ws.contacts.find((c) =>
      c.id !== from.id && c.role === "user" && c.email && c.merged_into === undefined
    )!;
    // The merge lands between the conversation's fetch and the lookup of its contact.
    sim.onResponse = (info) => {
      if (info.path === `/conversations/${conversation}` && from.merged_into === undefined) {
        sim.mergeContact(from.id, into.id);
      }
    };
    const first = await runSync({ store, client }, { mode: "all", clock: time.clock });
    delete sim.onResponse;
    assert.equal(from.merged_into, into.id);
    assert.equal(first.missingContacts, 1);
    assert.deepEqual(
      store.missingContacts().map((m) => [m.id, m.reason]),
      [[from.id, CONTACT_NOT_FOUND]],
    );
    assert.deepEqual(store.getConversation(conversation)?.contact_ids, [from.id]);
    time.advance(120);
    // Nothing changed the conversation's updated_at: only the retry of the missing contact
    // brings it back.
    const second = await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    assert.equal(second.missingContacts, 0);
    assert.deepEqual(store.getConversation(conversation)?.contact_ids, [into.id]);
    const found = store.searchConversations({ customerEmail: into.email!, limit: 100 });
    assert.ok(found.hits.some((h) => h.id === conversation), "customer-email search finds it");
    assertStoreEqualsWorkspace(store, ws);
  });
});

Deno.test("runSync() refreshes a stored contact older than a conversation naming it", async () => {
  const time = manualClock();
  await withSyncFixture({ conversations: 30, seed: 53, clock: time.clock }, async (ctx) => {
    const { sim, store, client } = ctx;
    await runSync({ store, client }, { mode: "all", clock: time.clock });
    time.advance(60);
    const conversation = sim.workspace.conversations[2]!;
    const contact = sim.workspace.contactsById.get(conversation.contact_ids[0]!)!;
    contact.email = "changed.address@example.com";
    contact.updated_at = Math.floor(time.clock() / 1000);
    sim.addPart(conversation.id);
    await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    assert.equal(store.getContact(contact.id)?.email, "changed.address@example.com");
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() after a merge that touches the conversations names the contact merged into", async () => {
  const time = manualClock();
  await withSyncFixture({ conversations: 40, seed: 59, clock: time.clock }, async (ctx) => {
    const { sim, store, client } = ctx;
    await runSync({ store, client }, { mode: "all", clock: time.clock });
    time.advance(60);
    const ws = sim.workspace;
    const [from, into] = ws.contacts.filter((c) =>
      c.email && ws.conversations.some((x) => x.contact_ids.includes(c.id))
    );
    const moved = sim.mergeContact(from!.id, into!.id, { touchConversations: true });
    assert.ok(moved.length > 0);
    await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    const found = store.searchConversations({ customerEmail: into!.email!, limit: 100 });
    for (const id of moved) assert.ok(found.hits.some((h) => h.id === id), `finds ${id}`);
    assertStoreEqualsWorkspace(store, ws);
  });
});

Deno.test("runSync() quarantines a contact that cannot be read and stores it once it reads", async () => {
  const time = manualClock();
  await withSyncFixture({ conversations: 20, seed: 61, clock: time.clock }, async (ctx) => {
    const { sim, store } = ctx;
    const bad = sim.workspace.contactsById.get(sim.workspace.conversations[4]!.contact_ids[0]!)!;
    let corrupt = true;
    const client = new IntercomClient({
      baseUrl: sim.url,
      token: DEFAULT_SIMULATOR_TOKEN,
      backoff: FAST_BACKOFF,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!corrupt || !String(input).includes("/contacts")) return response;
        const body = await response.json();
        for (const item of [body, ...(Array.isArray(body.data) ? body.data : [])]) {
          if (item.id === bad.id) item.created_at = "yesterday";
        }
        const text = JSON.stringify(body);
        return new Response(text, { status: response.status, headers: response.headers });
      },
    });
    const first = await runSync({ store, client }, { mode: "all", clock: time.clock });
    assert.deepEqual(first.quarantined.map((q) => [q.kind, q.id, q.endpoint]), [
      ["contact", bad.id, "GET /contacts/{id}"],
    ]);
    assert.equal(store.getContact(bad.id), null);
    assert.equal(store.stats().conversations, 20, "every conversation is stored");
    corrupt = false;
    time.advance(60);
    const second = await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    assert.deepEqual(second.quarantined, []);
    assert.equal(store.getContact(bad.id)?.id, bad.id);
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() incremental refreshes a stored contact that changed while its conversations did not", async () => {
  const time = manualClock();
  await withSyncFixture({ conversations: 30, seed: 71, clock: time.clock }, async (ctx) => {
    const { sim, store, client } = ctx;
    await runSync({ store, client }, { mode: "all", clock: time.clock });
    await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    time.advance(600);
    const contact = sim.workspace.contactsById.get(
      sim.workspace.conversations[5]!.contact_ids[0]!,
    )!;
    contact.name = "Renamed While Idle";
    contact.updated_at = Math.floor(time.clock() / 1000);
    let searches = 0;
    sim.onRequest = (info) => {
      if (info.path === "/contacts/search") searches++;
    };
    const result = await runSync({ store, client }, { mode: "incremental", clock: time.clock });
    delete sim.onRequest;
    assert.equal(result.counts.conversationsFetched, 0);
    assert.equal(store.getContact(contact.id)?.name, "Renamed While Idle");
    assert.equal(searches, 1, "one page, newest first, stops at the window's start");
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() refreshes by id a young contact edited while contact search cannot see it yet", async () => {
  const time = manualClock();
  await withSyncFixture(
    { conversations: 20, seed: 79, clock: time.clock, behaviour: { contactSearchLagSeconds: 600 } },
    async ({ sim, store, client }) => {
      await runSync({ store, client }, { mode: "all", clock: time.clock });
      time.advance(60);
      const contact = sim.createContact({ name: "Brand New" });
      sim.startConversation({ contactId: contact.id });
      time.advance(10); // read in a later second: the conversation is not fetched again
      await runSync({ store, client }, { mode: "incremental", clock: time.clock });
      assert.equal(store.getContact(contact.id)?.name, "Brand New");
      time.advance(120);
      contact.name = "Renamed Minutes Later";
      contact.updated_at = Math.floor(time.clock() / 1000);
      await runSync({ store, client }, { mode: "incremental", clock: time.clock });
      assert.equal(store.getContact(contact.id)?.name, "Renamed Minutes Later");
      assertStoreEqualsWorkspace(store, sim.workspace);
    },
  );
});
