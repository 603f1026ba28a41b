import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { NOW } from "./_fixtures.ts";

const ws = generateWorkspace({ seed: 4, conversations: 600, days: 30, now: NOW });

Deno.test("addSupportRecords() adds companies with contacts, locations and owners", () => {
  assert.ok(ws.companies.length >= 40, `${ws.companies.length} companies`);
  const ids = new Set(ws.companies.map((c) => c.id));
  const members = ws.contacts.filter((c) => (c.company_ids ?? []).length > 0);
  assert.ok(members.length > ws.contacts.length / 3);
  assert.ok(members.every((c) => c.company_ids!.every((id) => ids.has(id))));
  assert.ok(ws.contacts.some((c) => c.location?.city));
  assert.ok(ws.contacts.some((c) => c.owner_id && ws.admins.some((a) => a.id === c.owner_id)));
  assert.ok(ws.companies.some((c) => c.plan?.name === "Enterprise"));
  assert.ok(
    ws.companies.some((c) => /[\u3040-\u30ff\u4e00-\u9fff\u0400-\u04ff\u0600-\u06ff]/.test(c.name)),
    "some non-Latin names",
  );
  assert.ok(
    ws.companies.every((c) =>
      Object.values(c.custom_attributes).every((v) => typeof v === "string")
    ),
  );
});

Deno.test("addSupportRecords() adds tickets of every category whose links go both ways", () => {
  assert.equal(ws.tickets.length, Math.round(600 * 0.15));
  for (const ticket of ws.tickets) {
    assert.ok(ticket.created_at <= ticket.updated_at && ticket.updated_at <= NOW);
    let last = ticket.created_at;
    for (const part of ticket.parts) {
      assert.ok(part.created_at >= last, "parts in order");
      last = part.created_at;
    }
    assert.equal(ticket.parts.at(-1)?.ticket_state ?? "submitted", ticket.state);
    for (const link of ticket.linked) {
      const other = link.type === "ticket"
        ? ws.ticketsById.get(link.id)?.linked
        : ws.conversationsById.get(link.id)?.linked;
      assert.ok(other?.some((l) => l.id === ticket.id), `${link.type} ${link.id} links back`);
    }
    if (ticket.type.category === "Tracker") assert.deepEqual(ticket.contact_ids, []);
  }
  assert.ok(ws.tickets.some((t) => t.linked.some((l) => l.type === "conversation")));
  assert.ok(ws.tickets.some((t) => t.type.category === "Tracker" && t.linked.length > 0));
  const ticketNumbers = new Set(ws.tickets.map((t) => t.ticket_id));
  assert.equal(ticketNumbers.size, ws.tickets.length);
});

Deno.test("addSupportRecords() gives conversations attachments, SLAs, topics and Fin's part", () => {
  const c = ws.conversations;
  assert.ok(c.some((x) => x.parts.some((p) => (p.attachments ?? []).length > 0)));
  assert.ok(c.some((x) => (x.source.attachments ?? []).length > 0));
  assert.ok(c.filter((x) => x.sla).length > c.length / 5);
  assert.ok(c.filter((x) => (x.topics ?? []).length > 0).length > c.length / 3);
  for (const conversation of c) {
    const botAnswered = conversation.parts.some((p) =>
      p.part_type === "comment" && p.author.type === "bot"
    );
    assert.equal((conversation.ai_agent ?? null) !== null, botAnswered, conversation.id);
  }
  assert.ok(c.some((x) => x.ai_agent?.resolution_state === "routed_to_team"));
  assert.ok(ws.dataAttributes.some((a) => a.model === "conversation" && a.name === "Order number"));
});

Deno.test("generateWorkspace() support records are deterministic for a seed", () => {
  const again = generateWorkspace({ seed: 4, conversations: 600, days: 30, now: NOW });
  assert.deepEqual(again.companies, ws.companies);
  assert.deepEqual(
    again.tickets.map((t) => [t.id, t.updated_at, t.parts.length]),
    ws.tickets.map((t) => [t.id, t.updated_at, t.parts.length]),
  );
});
