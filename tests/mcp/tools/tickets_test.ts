import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";
import { syncSupport } from "./_support.ts";

Deno.test("search_tickets and get_ticket answer from the synced tickets", async () => {
  await using fx = await syncedFixture({ conversations: 200, seed: 14 });
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  const all = dataOf(await c.call("search_tickets", { limit: 100 }));
  assert.equal(all.total, ws.tickets.length);
  assert.ok(all.tickets_synced_until, "the ticket stream's cursor");

  const open = dataOf(await c.call("search_tickets", { state: "in_progress", limit: 100 }));
  assert.equal(open.total, ws.tickets.filter((t) => t.state === "in_progress").length);
  assert.ok(open.tickets.every((t: { state: string }) => t.state === "in_progress"));

  const page1 = dataOf(await c.call("search_tickets", { limit: 5 }));
  const page2 = dataOf(await c.call("search_tickets", { limit: 5, cursor: page1.next_cursor }));
  assert.equal(page2.offset, 5);
  assert.notDeepEqual(page1.tickets[0].id, page2.tickets[0].id);
  const wrong = await c.call("search_tickets", { state: "resolved", cursor: page1.next_cursor });
  assert.equal(wrong.isError, true, "a cursor of other filters is refused");

  const sim = ws.tickets.find((t) => t.linked.length > 0 && t.contact_ids.length > 0)!;
  const words = String(sim.attributes._default_title_).split(" ").slice(0, 2).join(" ");
  const byText = dataOf(await c.call("search_tickets", { query: words, limit: 100 }));
  assert.ok(byText.tickets.some((t: { id: string }) => t.id === sim.id), words);

  for (const ref of [sim.id, `#${sim.ticket_id}`, `ticket_${sim.id}`]) {
    const got = await c.call("get_ticket", { ticket_id: ref });
    const ticket = dataOf(got).ticket;
    assert.equal(ticket.id, sim.id, ref);
    assert.equal(ticket.parts.length, sim.parts.length);
    assert.deepEqual(
      ticket.links.map((l: { id: string }) => l.id).sort(),
      sim.linked.map((l) => l.id).sort(),
    );
    assert.match(textOf(got), new RegExp(`Ticket #${sim.ticket_id} `));
  }
  const change = ws.tickets.flatMap((t) => t.parts.map((p) => ({ t, p })))
    .find(({ p }) => p.previous_ticket_state && p.previous_ticket_state !== p.ticket_state)!;
  const transcript = textOf(await c.call("get_ticket", { ticket_id: change.t.id }));
  assert.ok(
    transcript.includes(`(${change.p.previous_ticket_state} → ${change.p.ticket_state})`),
    "state changes read from → to",
  );
  const missing = await c.call("get_ticket", { ticket_id: "nope" });
  assert.equal(missing.isError, true);
  assert.match(textOf(missing), /not in the local store.*search_tickets/);
});

Deno.test("search_tickets and search_conversations filter by the customers' company plan", async () => {
  await using fx = await syncedFixture({ conversations: 200, seed: 14 });
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  const enterprise = new Set(
    ws.companies.filter((k) => k.plan?.name === "Enterprise").map((k) => k.id),
  );
  const inPlan = (ids: string[]) =>
    ids.some((id) => (ws.contactsById.get(id)?.company_ids ?? []).some((k) => enterprise.has(k)));
  const tickets = dataOf(
    await c.call("search_tickets", { company_plan: "Enterprise", limit: 100 }),
  );
  assert.equal(tickets.total, ws.tickets.filter((t) => inPlan(t.contact_ids)).length);
  const conversations = dataOf(
    await c.call("search_conversations", { company_plan: "enterprise", limit: 100 }),
  );
  assert.equal(conversations.total, ws.conversations.filter((x) => inPlan(x.contact_ids)).length);
  assert.ok(conversations.total > 0 && conversations.total < ws.conversations.length);
});
