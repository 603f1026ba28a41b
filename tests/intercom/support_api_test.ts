/**
 * The ticket, company and data attribute endpoints against the simulator (whose answers are
 * checked against Intercom's 2.11 schemas in tests/simulator/routes_support_test.ts).
 */
import assert from "node:assert/strict";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { MalformedRecordError } from "../../lib/intercom/errors.ts";
import { q } from "../../lib/intercom/query.ts";
import {
  getCompany,
  getTicket,
  listDataAttributes,
  listTicketTypes,
  scrollCompanies,
  searchTickets,
  searchTicketsPage,
} from "../../lib/intercom/support_api.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
} from "../../lib/simulator/mod.ts";

const NOW = 1_750_000_000;

async function withClient(fn: (api: IntercomClient, sim: Simulator) => Promise<void>) {
  const sim = await startSimulator({ conversations: 200, seed: 11, now: NOW });
  try {
    await fn(new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN }), sim);
  } finally {
    await sim.close();
  }
}

Deno.test("searchTickets() and getTicket() read every ticket with parts, states and links", async () => {
  await withClient(async (api, sim) => {
    const ids: string[] = [];
    for await (const page of searchTickets(api, q.gt("updated_at", 0), { perPage: 7 })) {
      assert.ok(page.totalPages !== null && page.totalPages >= 3);
      ids.push(...page.items.map((t) => t.id));
    }
    assert.deepEqual(ids.sort(), sim.workspace.tickets.map((t) => t.id).sort());
    for (const sim_ticket of sim.workspace.tickets) {
      const ticket = await getTicket(api, sim_ticket.id);
      assert.ok(ticket);
      assert.equal(ticket.ticket_state, sim_ticket.state);
      assert.equal(ticket.ticket_parts.ticket_parts.length, sim_ticket.parts.length);
      assert.equal(ticket.admin_assignee_id, sim_ticket.admin_assignee_id, "0 reads as nobody");
      assert.deepEqual(ticket.linked_objects.map((l) => l.id), sim_ticket.linked.map((l) => l.id));
      assert.equal(ticket.ticket_type?.id, sim_ticket.type.id);
      assert.equal(ticket.ticket_attributes._default_title_, sim_ticket.attributes._default_title_);
    }
    const changes = sim.workspace.tickets.flatMap((t) => t.parts)
      .filter((p) => p.previous_ticket_state !== null);
    assert.ok(changes.length > 0);
    assert.equal(await getTicket(api, "404404"), null);
  });
});

Deno.test("getTicket() raises MalformedRecordError naming the ticket", async () => {
  await withClient(async (api, sim) => {
    const bad = sim.workspace.tickets[2]!;
    bad.quirks = { malformed: true };
    const error = await getTicket(api, bad.id).catch((e) => e);
    assert.ok(error instanceof MalformedRecordError);
    assert.equal(error.recordKind, "ticket");
    assert.equal(error.recordId, bad.id);
  });
});

Deno.test("listTicketTypes(), scrollCompanies(), getCompany() and listDataAttributes() read the workspace", async () => {
  await withClient(async (api, sim) => {
    const { items: types, unreadable } = await listTicketTypes(api);
    assert.deepEqual(unreadable, []);
    assert.deepEqual(types.map((t) => t.name), sim.workspace.ticketTypes.map((t) => t.name));
    assert.ok(types[0]!.ticket_type_attributes.some((a) => a.name === "_default_title_"));
    const seen: string[] = [];
    let param: string | null = null;
    for (;;) {
      const page = await scrollCompanies(api, param);
      param = page.scrollParam;
      assert.deepEqual(page.unreadable, []);
      if (page.companies.length === 0) break;
      seen.push(...page.companies.map((c) => c.id));
    }
    assert.equal(seen.length, sim.workspace.companies.length);
    const one = sim.workspace.companies.find((c) => c.plan !== null && c.website !== null)!;
    const company = await getCompany(api, one.id);
    assert.equal(company?.plan?.name, one.plan!.name);
    assert.equal(company?.website, one.website);
    assert.equal(await getCompany(api, "nope"), null);
    const { items: attributes } = await listDataAttributes(api, "conversation");
    assert.ok(attributes.some((a) => a.name === "Order number" && a.custom));
    const { items: contacts } = await listDataAttributes(api, "contact");
    assert.ok(contacts.some((a) => a.archived), "archived definitions are listed too");
  });
});

Deno.test("searchTicketsPage() (skipUnreadable), scrollCompanies(), listTicketTypes() and listDataAttributes() list an unreadable item apart", async () => {
  await withClient(async (api, sim) => {
    const ws = sim.workspace;
    const [ticket, company, type] = [ws.tickets[2]!, ws.companies[1]!, ws.ticketTypes[0]!];
    ticket.quirks = { malformedInSearch: true };
    company.quirks = { malformedInScroll: true };
    type.quirks = { malformed: true };
    const attribute = ws.dataAttributes.find((a) => a.model === "company" && a.id !== null)!;
    attribute.quirks = { malformed: true };
    const query = { field: "id", operator: "IN", value: [ticket.id, ws.tickets[3]!.id] };
    const strict = await searchTicketsPage(api, query).catch((e) => e);
    assert.ok(strict instanceof MalformedRecordError, "without the option the page fails");
    const page = await searchTicketsPage(api, query, { skipUnreadable: true });
    assert.deepEqual(page.unreadable, [
      { id: ticket.id, reason: 'field "updated_at": Expected number, received string' },
    ]);
    assert.deepEqual(page.items.map((t) => t.id), [ws.tickets[3]!.id]);
    assert.equal(page.totalCount, 2);
    assert.equal((await getTicket(api, ticket.id))?.id, ticket.id, "its full copy reads");
    const scroll = await scrollCompanies(api, null);
    assert.deepEqual(scroll.unreadable.map((u) => u.id), [company.id]);
    assert.ok(!scroll.companies.some((c) => c.id === company.id));
    assert.equal((await getCompany(api, company.id))?.id, company.id, "readable by id");
    const types = await listTicketTypes(api);
    assert.deepEqual(types.unreadable.map((u) => u.id), [type.id]);
    assert.equal(types.items.length, ws.ticketTypes.length - 1);
    const attributes = await listDataAttributes(api, "company");
    assert.deepEqual(attributes.unreadable, [
      { id: String(attribute.id), reason: 'field "name": Expected string, received null' },
    ]);
  });
});

Deno.test("getContact() reads a contact's tags, companies, location and owner", async () => {
  await withClient(async (api, sim) => {
    const sample = sim.workspace.contacts.find((c) =>
      (c.company_ids ?? []).length > 0 && c.tag_ids.length > 0 && c.location?.city && c.owner_id
    )!;
    const contact = await api.getContact(sample.id);
    assert.deepEqual(contact?.companies, sample.company_ids);
    assert.deepEqual(contact?.tags, sample.tag_ids);
    assert.equal(contact?.location.city, sample.location!.city);
    assert.equal(contact?.owner_id, sample.owner_id);
  });
});
