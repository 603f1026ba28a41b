import assert from "node:assert/strict";
import { TicketSchema } from "../../lib/intercom/support_types.ts";
import { renderTicket } from "../../lib/simulator/render_support.ts";
import { apiTicket, SIM_NOW, simulatedWorkspace } from "./_support_fixtures.ts";
import { withStore } from "./_fixtures.ts";

const ws = simulatedWorkspace(8, 200);

Deno.test("upsertTicket() stores the ticket, its parts, contacts and links", async () => {
  await withStore((store) => {
    const sim = ws.tickets.find((t) => t.linked.length > 0 && t.contact_ids.length > 0)!;
    const result = store.support.upsertTicket(apiTicket(ws, sim.id), SIM_NOW, {
      fetchedAt: SIM_NOW + 3,
    });
    assert.equal(result.partsUpserted, sim.parts.length);
    const stored = store.support.getTicket(sim.id)!;
    assert.equal(stored.ticket_number, sim.ticket_id);
    assert.equal(stored.title, sim.attributes._default_title_);
    assert.equal(stored.state, sim.state);
    assert.equal(stored.category, sim.type.category);
    assert.equal(stored.ticket_type_name, sim.type.name);
    assert.deepEqual(stored.contact_ids, sim.contact_ids);
    assert.deepEqual(stored.parts.map((p) => p.id), sim.parts.map((p) => p.id));
    assert.deepEqual(stored.links.map((l) => l.id).sort(), sim.linked.map((l) => l.id).sort());
    assert.equal(store.support.getTicket(sim.ticket_id)?.id, sim.id, "found by its number");
    const copies = store.support.storedTicketCopies([sim.id, "nope"]);
    assert.deepEqual(copies.get(sim.id), { updatedAt: sim.updated_at, fetchedAt: SIM_NOW + 3 });
    assert.equal(copies.has("nope"), false);
  });
});

Deno.test("upsertTicket() keeps parts no longer returned and re-indexes a changed ticket", async () => {
  await withStore((store) => {
    const sim = ws.tickets.find((t) => t.parts.length >= 3)!;
    store.support.upsertTicket(apiTicket(ws, sim.id), SIM_NOW);
    const raw = renderTicket(ws, sim);
    const changed = TicketSchema.parse({
      ...raw,
      updated_at: sim.updated_at + 100,
      ticket_attributes: { _default_title_: "Quarterly invoice wrong zebra" },
      ticket_parts: { type: "ticket_part.list", ticket_parts: [], total_count: sim.parts.length },
    });
    store.support.upsertTicket(changed, SIM_NOW + 200);
    const stored = store.support.getTicket(sim.id)!;
    assert.equal(stored.parts.length, sim.parts.length, "earlier parts stay");
    assert.equal(stored.title, "Quarterly invoice wrong zebra");
    assert.equal(store.support.searchTickets({ text: "zebra" }).total, 1);
    assert.equal(store.support.searchTickets({}).total, 1, "one row, one document");
    const recent = store.support.searchTickets({ since: sim.updated_at + 50 }).hits;
    assert.deepEqual(recent.map((h) => h.id), [sim.id], "doc_id moved to the new updated_at");
    assert.deepEqual(store.support.searchTickets({ until: sim.updated_at + 50 }).hits, []);
  });
});

Deno.test("upsertTicket() keeps every character around a NUL in the title, attributes and parts; search finds words after it", async () => {
  // Issue 10 defect 2 for tickets (node:sqlite reads TEXT up to the first NUL).
  await withStore((store) => {
    const sim = ws.tickets.find((t) => t.parts.some((p) => p.body))!;
    const raw = renderTicket(ws, sim) as {
      ticket_attributes: Record<string, unknown>;
      ticket_parts: { ticket_parts: { id: string; body: string | null }[] };
    };
    raw.ticket_attributes._default_title_ = "Title\0zorblaxword";
    raw.ticket_attributes._default_description_ = "Desc\0fribbleword";
    const part = raw.ticket_parts.ticket_parts.find((p) => p.body)!;
    part.body = "<p>head\0quuxwordtail</p>";
    store.support.upsertTicket(TicketSchema.parse(raw), SIM_NOW);
    const stored = store.support.getTicket(sim.id)!;
    assert.equal(stored.title, "Title\uFFFDzorblaxword");
    assert.equal(stored.description, "Desc\uFFFDfribbleword");
    assert.equal(stored.attributes._default_title_, "Title\uFFFDzorblaxword");
    assert.equal(stored.parts.find((p) => p.id === part.id)?.body, "head\uFFFDquuxwordtail");
    for (const word of ["zorblaxword", "fribbleword", "quuxwordtail"]) {
      assert.deepEqual(
        store.support.searchTickets({ text: word }).hits.map((h) => h.id),
        [sim.id],
        word,
      );
    }
  });
});
