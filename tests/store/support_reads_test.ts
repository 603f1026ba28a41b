import assert from "node:assert/strict";
import { withStore } from "./_fixtures.ts";
import { loadWorkspace, SIM_NOW, simulatedWorkspace } from "./_support_fixtures.ts";

const ws = simulatedWorkspace(12, 300);

Deno.test("getCompany() answers a company with its contacts, conversations and tickets", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const members = (id: string) => ws.contacts.filter((c) => c.company_ids?.includes(id));
    const company = ws.companies.reduce((best, c) =>
      members(c.id).length > members(best.id).length ? c : best
    );
    const contacts = new Set(members(company.id).map((c) => c.id));
    const stored = store.support.getCompany(company.id)!;
    assert.equal(stored.name, company.name);
    assert.equal(stored.plan, company.plan?.name ?? null);
    assert.equal(stored.contacts_total, contacts.size);
    assert.ok(stored.contacts.every((c) => contacts.has(c.id)));
    assert.equal(
      stored.conversations_total,
      ws.conversations.filter((c) => c.contact_ids.some((id) => contacts.has(id))).length,
    );
    const tickets = ws.tickets.filter((t) => t.contact_ids.some((id) => contacts.has(id)));
    assert.equal(stored.tickets_total, tickets.length);
    assert.equal(stored.open_tickets, tickets.filter((t) => t.state !== "resolved").length);
    assert.equal(stored.attribute_labels.account_manager, "Account manager");
    assert.equal(store.support.getCompany(company.company_id)?.id, company.id);
    assert.equal(store.support.getCompany(company.name)?.id, company.id);
    assert.equal(store.support.getCompany("nope"), null);
  });
});

Deno.test("counts() and streams(): objects per kind and each stream's cursor and checkpoint", async () => {
  await withStore((store) => {
    assert.deepEqual(store.support.counts(), {
      tickets: 0,
      ticketParts: 0,
      companies: 0,
      ticketTypes: 0,
    });
    loadWorkspace(store, ws);
    const counts = store.support.counts();
    assert.equal(counts.tickets, ws.tickets.length);
    assert.equal(counts.ticketParts, ws.tickets.reduce((n, t) => n + t.parts.length, 0));
    assert.equal(counts.companies, ws.companies.length);
    assert.equal(counts.ticketTypes, ws.ticketTypes.length);
    assert.deepEqual(store.support.stream("tickets"), {
      stream: "tickets",
      cursor: null,
      checkpoint: null,
      updatedAt: null,
    });
    store.support.setStreamCheckpoint("tickets", { resumeFrom: SIM_NOW - 50 });
    assert.deepEqual(store.support.stream("tickets").checkpoint, { resumeFrom: SIM_NOW - 50 });
    store.support.completeStream("tickets", SIM_NOW);
    store.support.completeStream("companies", SIM_NOW - 5);
    assert.deepEqual(
      store.support.streams().map((s) => [s.stream, s.cursor, s.checkpoint]),
      [["companies", SIM_NOW - 5, null], ["tickets", SIM_NOW, null]],
    );
    store.clearSyncData();
    assert.deepEqual(store.support.streams(), []);
    assert.equal(store.support.counts().tickets, 0);
    assert.equal(store.support.searchTickets({ text: "invoice" }).total, 0);
  });
});
