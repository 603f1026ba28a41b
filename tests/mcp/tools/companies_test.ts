import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";
import { syncSupport } from "./_support.ts";

Deno.test("search_companies and get_company answer from the synced companies", async () => {
  await using fx = await syncedFixture({ conversations: 200, seed: 15 });
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  const all = dataOf(await c.call("search_companies", { limit: 100 }));
  assert.equal(all.total, ws.companies.length);
  const pro = dataOf(await c.call("search_companies", { plan: "pro", limit: 100 }));
  assert.equal(pro.total, ws.companies.filter((k) => k.plan?.name === "Pro").length);
  // Only contacts of synced conversations are stored.
  const members = (id: string) =>
    ws.contacts.filter((x) => x.company_ids?.includes(id) && fx.store.getContact(x.id) !== null);
  const unique = ws.companies.filter((k) =>
    ws.companies.filter((o) => o.name === k.name).length === 1
  );
  const company = unique.reduce((a, b) => members(b.id).length > members(a.id).length ? b : a);
  const found = dataOf(await c.call("search_companies", { query: company.name }));
  assert.ok(found.companies.some((k: { id: string }) => k.id === company.id));
  for (const ref of [company.id, company.company_id, company.name, `company_${company.id}`]) {
    const got = await c.call("get_company", { company: ref });
    const entry = dataOf(got).company;
    assert.equal(entry.id, company.id, ref);
    assert.equal(entry.contacts_total, members(company.id).length);
    assert.ok(
      entry.custom_attributes.some((a: { label: string }) => a.label === "Account manager"),
      "custom attributes carry their labels",
    );
    assert.match(textOf(got), new RegExp(company.name.replace(/[.*+?()]/g, "\\$&")));
  }
  const recent = dataOf(await c.call("get_company", { company: company.id })).recent_conversations;
  const ids = new Set(members(company.id).map((x) => x.id));
  for (const conv of recent) {
    assert.ok(ws.conversationsById.get(conv.id)!.contact_ids.some((id) => ids.has(id)));
  }
  const twin = ws.companies.find((k) => ws.companies.filter((o) => o.name === k.name).length > 1);
  if (twin) {
    const byName = await c.call("get_company", { company: twin.name });
    assert.equal(
      dataOf(byName).company.same_name.length,
      ws.companies.filter((o) => o.name === twin.name).length - 1,
    );
    assert.match(textOf(byName), /Other companies with this name/);
  }
  const missing = await c.call("get_company", { company: "No Such Company" });
  assert.equal(missing.isError, true);
});

Deno.test("search_companies with a query of only symbols says they match nothing and what to send instead", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 15 });
  await using c = await memoryClient(fx);
  const r = await c.call("search_companies", { query: "*" });
  assert.equal(r.isError, undefined);
  assert.equal(dataOf(r).total, 0);
  const note = 'The query "*" has no searchable words (only punctuation, symbols or operators), ' +
    "so it matches nothing: send words of a name, website, industry, plan or tag, or leave " +
    "query out to list companies by name.";
  assert.deepEqual(dataOf(r).notes, [note]);
  assert.equal(textOf(r), `No companies found. ${note}`);
});
