/**
 * Tickets, ticket types, companies and data attributes as the simulator serves them, validated
 * against Intercom's 2.11 schemas (vendored; see `tests/_fixtures/openapi.ts`), and the company
 * scroll's rules (one per workspace, expiry, empty last page).
 */
import assert from "node:assert/strict";
import { formatErrors, ResponseValidator } from "../_fixtures/openapi.ts";
import { getJson, NOW, postJson, withSimulator } from "./_fixtures.ts";
import type { Simulator } from "../../lib/simulator/mod.ts";

const validator = new ResponseValidator();
const ERROR_REF = "#/components/schemas/error";

function assertResponse(method: string, path: string, status: number, body: unknown): void {
  const ref = ResponseValidator.schemaRef(method, path, String(status));
  const errors = validator.errors(ref, body);
  assert.ok(
    errors.length === 0,
    `${method} ${path} does not match ${ref}:\n${formatErrors(errors)}`,
  );
}

async function searchAllTickets(sim: Simulator, query: unknown, perPage = 50) {
  // deno-lint-ignore no-explicit-any
  const pages: any[] = [];
  let cursor: string | undefined;
  do {
    const pagination: Record<string, unknown> = { per_page: perPage };
    if (cursor) pagination.starting_after = cursor;
    const reply = await postJson(sim, "/tickets/search", { query, pagination });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    pages.push(reply.body);
    cursor = reply.body.pages?.next?.starting_after;
  } while (cursor);
  return pages;
}

Deno.test("simulator ticket responses match Intercom's 2.11 schemas", async () => {
  await withSimulator({ conversations: 300, seed: 3 }, async (sim) => {
    const ws = sim.workspace;
    assert.ok(ws.tickets.length >= 30, `${ws.tickets.length} tickets`);
    const since = { field: "updated_at", operator: ">", value: NOW - 60 * 86_400 };
    const pages = await searchAllTickets(sim, since);
    const seen = pages.flatMap((p) => p.tickets.map((t: { id: string }) => t.id));
    assert.deepEqual(new Set(seen), new Set(ws.tickets.map((t) => t.id)));
    for (const page of pages) {
      assertResponse("post", "/tickets/search", 200, page);
      for (const t of page.tickets) assert.equal(t.ticket_parts, undefined, "search has no parts");
    }
    const categories = new Set<string>();
    for (const ticket of ws.tickets) {
      const reply = await getJson(sim, `/tickets/${ticket.id}`);
      assertResponse("get", "/tickets/{ticket_id}", reply.status, reply.body);
      assert.equal(reply.body.ticket_parts.ticket_parts.length, ticket.parts.length);
      categories.add(reply.body.category);
    }
    assert.deepEqual([...categories].sort(), ["Back-office", "Customer", "Tracker"]);
    const types = await getJson(sim, "/ticket_types");
    assertResponse("get", "/ticket_types", types.status, types.body);
    assert.equal(types.body.data.length, ws.ticketTypes.length);
    const missing = await getJson(sim, "/tickets/nope");
    assert.equal(missing.status, 404);
    assert.deepEqual(validator.errors(ERROR_REF, missing.body), []);
  });
});

Deno.test("POST /tickets/search filters by state, contact, type and ticket attribute", async () => {
  await withSimulator({ conversations: 300, seed: 5 }, async (sim) => {
    const ws = sim.workspace;
    const resolved = ws.tickets.filter((t) => t.state === "resolved").length;
    const byState = await postJson(sim, "/tickets/search", {
      query: { field: "state", operator: "=", value: "resolved" },
    });
    assert.equal(byState.body.total_count, resolved);
    const withContact = ws.tickets.find((t) => t.contact_ids.length > 0)!;
    const byContact = await postJson(sim, "/tickets/search", {
      query: { field: "contact_ids", operator: "=", value: withContact.contact_ids[0] },
    });
    assert.ok(byContact.body.tickets.some((t: { id: string }) => t.id === withContact.id));
    const bug = ws.ticketTypes.find((t) => t.name === "Bug report")!;
    const severity = bug.attributes.find((a) => a.name === "Severity")!;
    const critical = ws.tickets.filter((t) =>
      t.type === bug && t.attributes.Severity === "Critical"
    );
    const bySeverity = await postJson(sim, "/tickets/search", {
      query: {
        operator: "AND",
        value: [
          { field: "ticket_type_id", operator: "=", value: bug.id },
          { field: `ticket_attribute.${severity.id}`, operator: "=", value: "Critical" },
        ],
      },
    });
    assert.equal(bySeverity.body.total_count, critical.length);
    const bad = await postJson(sim, "/tickets/search", {
      query: { field: "nope", operator: "=", value: 1 },
    });
    assert.equal(bad.status, 400);
  });
});

Deno.test("a ticket marked malformed breaks the schema; search still lists it", async () => {
  await withSimulator({ conversations: 100 }, async (sim) => {
    const ticket = sim.workspace.tickets[0]!;
    ticket.quirks = { malformed: true };
    const reply = await getJson(sim, `/tickets/${ticket.id}`);
    const ref = ResponseValidator.schemaRef("get", "/tickets/{ticket_id}", "200");
    assert.ok(validator.errors(ref, reply.body).some((e) => e.instancePath === "/updated_at"));
  });
});

Deno.test("a ticket search item, a company in a scroll page, a ticket type and a data attribute marked malformed break the schema", async () => {
  await withSimulator({ conversations: 200, seed: 9 }, async (sim) => {
    const ws = sim.workspace;
    const errorsAt = (method: string, path: string, body: unknown) => [
      ...new Set(
        validator.errors(ResponseValidator.schemaRef(method, path, "200"), body)
          .map((e) => e.instancePath),
      ),
    ];
    const ticket = ws.tickets[0]!;
    ticket.quirks = { malformedInSearch: true };
    const search = await postJson(sim, "/tickets/search", {
      query: { field: "id", operator: "=", value: ticket.id },
    });
    assert.deepEqual(errorsAt("post", "/tickets/search", search.body), ["/tickets/0/updated_at"]);
    const byId = await getJson(sim, `/tickets/${ticket.id}`);
    assertResponse("get", "/tickets/{ticket_id}", byId.status, byId.body);

    const company = ws.companies[0]!;
    company.quirks = { malformedInScroll: true };
    const scroll = await getJson(sim, "/companies/scroll");
    const at = scroll.body.data.findIndex((c: { id: string }) => c.id === company.id);
    assert.deepEqual(errorsAt("get", "/companies/scroll", scroll.body), [`/data/${at}/updated_at`]);
    const one = await getJson(sim, `/companies/${company.id}`);
    assertResponse("get", "/companies/{company_id}", one.status, one.body);
    company.quirks = { malformed: true };
    const broken = await getJson(sim, `/companies/${company.id}`);
    assert.deepEqual(errorsAt("get", "/companies/{company_id}", broken.body), ["/updated_at"]);

    ws.ticketTypes[1]!.quirks = { malformed: true };
    const types = await getJson(sim, "/ticket_types");
    assert.deepEqual(errorsAt("get", "/ticket_types", types.body), ["/data/1/name"]);
    const attribute = ws.dataAttributes.find((a) => a.model === "contact")!;
    attribute.quirks = { malformed: true };
    const attributes = await getJson(sim, "/data_attributes?model=contact&include_archived=true");
    const index = attributes.body.data.findIndex((a: { name: string | null }) => a.name === null);
    assert.ok(index >= 0);
    assert.deepEqual(errorsAt("get", "/data_attributes", attributes.body), [`/data/${index}/name`]);
  });
});

Deno.test("simulator company and data attribute responses match Intercom's 2.11 schemas", async () => {
  await withSimulator({ conversations: 400, seed: 9 }, async (sim) => {
    const ws = sim.workspace;
    assert.ok(ws.companies.length >= 20);
    const ids: string[] = [];
    let param: string | undefined;
    for (;;) {
      const reply = await getJson(
        sim,
        `/companies/scroll${param ? `?scroll_param=${param}` : ""}`,
      );
      assertResponse("get", "/companies/scroll", reply.status, reply.body);
      if (param) assert.equal(reply.body.scroll_param, param, "the same scroll_param throughout");
      param = reply.body.scroll_param;
      if (reply.body.data.length === 0) break;
      ids.push(...reply.body.data.map((c: { id: string }) => c.id));
    }
    assert.deepEqual(ids.sort(), ws.companies.map((c) => c.id).sort());
    for (const company of ws.companies.slice(0, 30)) {
      const reply = await getJson(sim, `/companies/${company.id}`);
      assertResponse("get", "/companies/{company_id}", reply.status, reply.body);
    }
    const list = await postJson(sim, "/companies/list?per_page=20&page=2", {});
    assertResponse("post", "/companies/list", list.status, list.body);
    assert.equal(list.body.pages.page, 2);
    for (const model of ["contact", "company", "conversation"]) {
      for (const archived of ["false", "true"]) {
        const reply = await getJson(
          sim,
          `/data_attributes?model=${model}&include_archived=${archived}`,
        );
        assertResponse("get", "/data_attributes", reply.status, reply.body);
        assert.ok(reply.body.data.length > 0, model);
        assert.ok(reply.body.data.every((a: { model: string }) => a.model === model));
      }
    }
    const noCompany = await getJson(sim, "/companies/nope");
    assert.equal(noCompany.status, 404);
    assert.deepEqual(validator.errors(ERROR_REF, noCompany.body), []);
    const contacts = await getJson(sim, "/contacts?per_page=150");
    const withCompany = contacts.body.data.find((c: { companies: { data: unknown[] } }) =>
      c.companies.data.length > 0
    );
    assert.ok(withCompany, "some contacts belong to a company");
    assertResponse("get", "/contacts", contacts.status, contacts.body);
  });
});

Deno.test("GET /companies/scroll allows one open scroll, which expires when left idle", async () => {
  let now = NOW * 1000;
  await withSimulator({ conversations: 200, clock: () => now }, async (sim) => {
    const first = await getJson(sim, "/companies/scroll");
    assert.equal(first.status, 200);
    const second = await getJson(sim, "/companies/scroll");
    assert.equal(second.status, 400);
    assert.match(second.body.errors[0].message, /scroll already exists/);
    now += 59_000;
    const next = await getJson(sim, `/companies/scroll?scroll_param=${first.body.scroll_param}`);
    assert.equal(next.status, 200, "using the scroll keeps it open");
    now += 60_000;
    const expired = await getJson(sim, `/companies/scroll?scroll_param=${first.body.scroll_param}`);
    assert.equal(expired.status, 400);
    assert.equal(expired.body.errors[0].field, "scroll_param");
    const again = await getJson(sim, "/companies/scroll");
    assert.equal(again.status, 200, "a new scroll once the old one expired");
    sim.behaviour.companyScrollIdleSeconds = 0;
    const immediate = await getJson(sim, "/companies/scroll");
    assert.equal(immediate.status, 200, "idle 0: every new scroll replaces the last");
  });
});
