import assert from "node:assert/strict";
import { withStore } from "./_fixtures.ts";
import { apiCompanies, loadWorkspace, SIM_NOW, simulatedWorkspace } from "./_support_fixtures.ts";

const ws = simulatedWorkspace(8, 400);

Deno.test("searchCompanies() by text, plan and industry; by name without text", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const all = store.support.searchCompanies({ limit: 100 });
    assert.equal(all.total, ws.companies.length);
    const names = all.hits.map((h) => h.name ?? "");
    assert.deepEqual(
      names,
      [...names].sort((a, b) =>
        a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0
      ),
    );
    const acme = ws.companies.filter((c) => c.name.startsWith("Acme"));
    assert.equal(store.support.searchCompanies({ text: "acme", limit: 100 }).total, acme.length);
    const pro = ws.companies.filter((c) => c.plan?.name === "Pro");
    assert.equal(store.support.searchCompanies({ plan: "PRO" }).total, pro.length);
    const region = ws.companies.filter((c) => c.custom_attributes.region === "APAC");
    assert.equal(store.support.searchCompanies({ text: "APAC", limit: 100 }).total, region.length);
    const industry = ws.companies.find((c) => c.industry)!.industry!;
    assert.equal(
      store.support.searchCompanies({ industry }).total,
      ws.companies.filter((c) => c.industry === industry).length,
    );
  });
});

Deno.test("upsertCompanies() keeps every character around a NUL in the name and custom attributes; searchCompanies() finds words after it", async () => {
  // Issue 10 defect 2 for companies (node:sqlite reads TEXT up to the first NUL).
  await withStore((store) => {
    const [company] = apiCompanies(ws);
    store.support.upsertCompanies([{
      ...company!,
      name: "Acme\0Zorblaxcorp",
      industry: "Soft\0ware",
      custom_attributes: { "note\0key": "before\0quuxvalue" },
    }], SIM_NOW);
    const stored = store.support.getCompany(company!.id)!;
    assert.equal(stored.name, "Acme\uFFFDZorblaxcorp");
    assert.equal(stored.industry, "Soft\uFFFDware");
    assert.deepEqual(stored.custom_attributes, { "note\uFFFDkey": "before\uFFFDquuxvalue" });
    for (const word of ["Zorblaxcorp", "quuxvalue"]) {
      assert.deepEqual(
        store.support.searchCompanies({ text: word }).hits.map((h) => h.id),
        [company!.id],
        word,
      );
    }
  });
});
