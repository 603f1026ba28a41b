import assert from "node:assert/strict";
import { companyContactsFilter, companyIdsFilter } from "../../lib/store/company_filter.ts";

Deno.test("companyIdsFilter() matches a name, an id, a prefix and a plan; nothing given, no filter", () => {
  assert.equal(companyIdsFilter({}), null);
  assert.equal(companyIdsFilter({ company: "  ", plan: "" }), null);
  const prefix = companyIdsFilter({ company: "50%_off*" })!;
  assert.deepEqual(prefix.params, ["50\\%\\_off%"], "LIKE wildcards in the name are literal");
  assert.match(prefix.sql, /LIKE \? ESCAPE/);
  assert.deepEqual(companyIdsFilter({ company: "Acme" })!.params, ["Acme", "Acme", "Acme"]);
  assert.deepEqual(companyIdsFilter({ plan: " Pro " })!.params, ["Pro"]);
  const both = companyContactsFilter({ company: "Acme*", plan: "Pro" })!;
  assert.deepEqual(both.params, ["Acme%", "Pro"]);
  assert.match(both.sql, /^SELECT contact_id FROM contact_companies WHERE company_id IN/);
});
