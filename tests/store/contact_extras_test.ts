import assert from "node:assert/strict";
import { withStore } from "./_fixtures.ts";
import { loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";
import { ContactSchema } from "../../lib/intercom/types.ts";
import { renderContact } from "../../lib/simulator/render.ts";

const ws = simulatedWorkspace(8, 200);

Deno.test("upsertContacts() stores tags, location, owner and companies, replaced when they change", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const sim = ws.contacts.find((c) =>
      c.tag_ids.length > 0 && c.company_ids?.length && c.owner_id && c.location?.city
    )!;
    const extras = store.support.contactExtras(sim.id)!;
    assert.deepEqual(extras.tag_ids, sim.tag_ids);
    assert.deepEqual(
      extras.tag_names,
      sim.tag_ids.map((id) => ws.tags.find((t) => t.id === id)!.name),
    );
    assert.equal(extras.location.city, sim.location!.city);
    assert.equal(extras.owner_name, ws.admins.find((a) => a.id === sim.owner_id)!.name);
    assert.deepEqual(extras.companies.map((c) => c.id).sort(), [...sim.company_ids!].sort());
    assert.equal(extras.companies[0]?.name, ws.companiesById.get(extras.companies[0]!.id)!.name);
    const other = ws.companies.find((c) => !sim.company_ids!.includes(c.id))!;
    sim.company_ids = [other.id];
    sim.tag_ids = [];
    store.upsertContacts([ContactSchema.parse(renderContact(ws, sim))]);
    const after = store.support.contactExtras(sim.id)!;
    assert.deepEqual(after.companies.map((c) => c.id), [other.id]);
    assert.deepEqual(after.tag_ids, []);
  });
});
