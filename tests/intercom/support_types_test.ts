import assert from "node:assert/strict";
import {
  CompanySchema,
  TicketSchema,
  TicketTypeListSchema,
} from "../../lib/intercom/support_types.ts";

Deno.test("TicketTypeListSchema reads {type: list, data} and the schema's ticket_types", () => {
  const type = {
    id: 1,
    name: "Bug",
    ticket_type_attributes: { type: "list", data: [{ id: 2, name: "_default_title_" }] },
  };
  assert.equal(TicketTypeListSchema.parse({ type: "list", data: [type] }).data[0]?.name, "Bug");
  const other = TicketTypeListSchema.parse({
    type: "ticket_type_attributes.list",
    ticket_types: [{
      ...type,
      ticket_type_attributes: { ticket_type_attributes: [{ id: 2, name: "x" }] },
    }],
  });
  assert.equal(other.data[0]?.ticket_type_attributes[0]?.name, "x");
});

Deno.test('TicketSchema reads assignee "0" as nobody and needs only ids and times', () => {
  const ticket = TicketSchema.parse({
    id: 9,
    created_at: 1,
    updated_at: 2,
    admin_assignee_id: "0",
    team_assignee_id: 0,
  });
  assert.equal(ticket.admin_assignee_id, null);
  assert.equal(ticket.team_assignee_id, null);
  assert.deepEqual(ticket.ticket_parts, { ticket_parts: [], total_count: 0 });
  assert.throws(() => TicketSchema.parse({ id: 9, created_at: 1 }));
});

Deno.test("CompanySchema reads plan {} as none and needs only id and updated_at", () => {
  const company = CompanySchema.parse({ id: "a", updated_at: 5, plan: {} });
  assert.equal(company.plan, null);
  assert.equal(company.name, null);
  const planned = CompanySchema.parse({ id: "a", updated_at: 5, plan: { id: 3, name: "Pro" } });
  assert.deepEqual(planned.plan, { id: "3", name: "Pro" });
});
