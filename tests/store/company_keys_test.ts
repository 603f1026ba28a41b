import assert from "node:assert/strict";
import { ContactSchema } from "../../lib/intercom/types.ts";
import { renderContact } from "../../lib/simulator/render.ts";
import { withStore } from "./_fixtures.ts";
import { apiCompanies, loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";

Deno.test("company keys follow contacts' companies and companies' plans; the index stays exact", async () => {
  const ws = simulatedWorkspace(8, 300);
  await withStore((store) => {
    loadWorkspace(store, ws);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    const contact = ws.contacts.find((c) =>
      c.company_ids?.length === 1 && ws.conversations.some((x) => x.contact_ids.includes(c.id))
    )!;
    const conversations = ws.conversations.filter((x) => x.contact_ids.includes(contact.id));
    const before = ws.companiesById.get(contact.company_ids![0]!)!;
    const ids = (r: { hits: { id: string }[] }) => new Set(r.hits.map((h) => h.id));
    assert.ok(
      conversations.every((x) =>
        ids(store.searchConversations({ company: before.id, limit: 100 })).has(x.id)
      ),
    );
    // The contact moves to another company: its conversations follow, found by the new one.
    const after = ws.companies.find((c) =>
      c.id !== before.id && c.plan?.name !== before.plan?.name
    )!;
    contact.company_ids = [after.id];
    store.upsertContacts([ContactSchema.parse(renderContact(ws, contact))]);
    const found = ids(store.searchConversations({ company: after.id, limit: 100 }));
    assert.ok(conversations.every((x) => found.has(x.id)));
    const left = ids(store.searchConversations({ company: before.id, limit: 100 }));
    assert.ok(
      conversations.every((x) =>
        !left.has(x.id) ||
        x.contact_ids.some((id) =>
          id !== contact.id && ws.contactsById.get(id)?.company_ids?.includes(before.id)
        )
      ),
    );
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    // The new company changes plan: the plan filter follows.
    const plan = after.plan?.name === "Enterprise" ? "Free" : "Enterprise";
    after.plan = { id: "x", name: plan };
    after.updated_at += 10;
    store.support.upsertCompanies(apiCompanies(ws).filter((c) => c.id === after.id), 2);
    const byPlan = ids(store.searchConversations({ companyPlan: plan, limit: 100 }));
    assert.ok(conversations.every((x) => byPlan.has(x.id)));
    const tickets = ws.tickets.filter((t) => t.contact_ids.includes(contact.id));
    const ticketHits = ids(store.support.searchTickets({ plan, limit: 100 }));
    assert.ok(tickets.every((t) => ticketHits.has(t.id)));
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});

Deno.test("companies stored after their conversations give them their plan keys", async () => {
  const ws = simulatedWorkspace(9, 200);
  await withStore((store) => {
    // loadWorkspace stores companies before conversations; here they come after, as in a sync.
    const companies = apiCompanies(ws);
    const empty = { ...ws, companies: [], companiesById: new Map() };
    loadWorkspace(store, empty as typeof ws);
    assert.equal(store.searchConversations({ companyPlan: "Enterprise" }).total, 0);
    store.support.upsertCompanies(companies, 3);
    const enterprise = new Set(
      ws.companies.filter((c) => c.plan?.name === "Enterprise").map((c) => c.id),
    );
    const want = ws.conversations.filter((x) =>
      x.contact_ids.some((id) =>
        (ws.contactsById.get(id)?.company_ids ?? []).some((k) => enterprise.has(k))
      )
    );
    assert.equal(store.searchConversations({ companyPlan: "Enterprise" }).total, want.length);
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});
