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

Deno.test("get_contact shows custom attributes by their labels, and the contact's tags, companies, location and owner", async () => {
  await using fx = await syncedFixture({ conversations: 80, seed: 19 });
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  // a stored contact that has everything the sync keeps beside it
  const sim = ws.contacts.find((x) =>
    fx.store.getContact(x.id) !== null && (x.company_ids?.length ?? 0) > 0 &&
    x.tag_ids.length > 0 && x.owner_id && x.location?.city
  )!;
  assert.ok(sim, "the workspace has a stored contact with companies, tags, owner and location");
  const got = await c.call("get_contact", { contact_id: sim.id });
  const entry = dataOf(got).contact;
  const spend = entry.custom_attributes.find((a: { name: string }) => a.name === "monthly_spend");
  assert.deepEqual(spend, {
    name: "monthly_spend",
    label: "Monthly spend",
    value: sim.custom_attributes.monthly_spend,
  });
  assert.deepEqual(
    entry.tags,
    sim.tag_ids.map((id) => ws.tags.find((t) => t.id === id)!.name),
  );
  assert.deepEqual(
    entry.companies.map((k: { id: string }) => k.id).sort(),
    [...sim.company_ids!].sort(),
  );
  const company = ws.companiesById.get(sim.company_ids![0]!)!;
  const shown = entry.companies.find((k: { id: string }) => k.id === company.id);
  assert.deepEqual(shown, { id: company.id, name: company.name, plan: company.plan?.name ?? null });
  assert.deepEqual(entry.location, sim.location);
  const owner = ws.admins.find((a) => a.id === sim.owner_id)!;
  assert.deepEqual(entry.owner, { id: owner.id, name: owner.name });
  const text = textOf(got);
  assert.match(text, new RegExp(`Monthly spend: ${sim.custom_attributes.monthly_spend}\\b`));
  assert.ok(text.includes(`Location: ${sim.location!.city}`), text);
  assert.ok(text.includes(`Owner: ${owner.name}`), text);
  assert.ok(text.includes(company.name), text);
  // search_contacts carries the same labels
  const listed = dataOf(await c.call("search_contacts", { email: sim.email! })).contacts[0];
  assert.deepEqual(listed.custom_attributes, entry.custom_attributes);
  // fetch (the deep-research tool) shows the same details
  const fetched = await c.call("fetch", { id: `contact_${sim.id}` });
  assert.ok(textOf(fetched).includes(`Owner: ${owner.name}`), textOf(fetched));
});
