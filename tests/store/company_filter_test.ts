import assert from "node:assert/strict";
import { join } from "node:path";
import { upsertCompanies } from "../../lib/store/companies.ts";
import { companyKeyGroups, sqliteLower } from "../../lib/store/company_filter.ts";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { withTempDir } from "./_fixtures.ts";
import { apiCompanies, simulatedWorkspace } from "./_support_fixtures.ts";

Deno.test("companyKeyGroups() names companies by name, prefix, id or company_id, and plans", async () => {
  const ws = simulatedWorkspace(8, 200);
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      upsertCompanies(conn, apiCompanies(ws), 1);
      const one = ws.companies.find((c) =>
        ws.companies.filter((o) => o.name === c.name).length === 1
      )!;
      assert.equal(companyKeyGroups(conn, {}), null);
      assert.equal(companyKeyGroups(conn, { company: " ", plan: "" }), null);
      for (const ref of [one.name, one.name.toUpperCase(), one.id, one.company_id]) {
        assert.deepEqual(companyKeyGroups(conn, { company: ref }), [[`c:${one.id}`]], ref);
      }
      const acme = ws.companies.filter((c) => c.name.startsWith("Acme")).map((c) => `c:${c.id}`);
      assert.deepEqual(companyKeyGroups(conn, { company: "acme*" })![0]!.sort(), acme.sort());
      assert.deepEqual(companyKeyGroups(conn, { company: "50%_off*" }), [[]], "wildcards literal");
      assert.deepEqual(companyKeyGroups(conn, { company: "beef" }), [["c:beef"]], "an unknown id");
      assert.deepEqual(companyKeyGroups(conn, { company: one.id, plan: " Enterprise " }), [
        [`c:${one.id}`],
        ["p:enterprise"],
      ]);
    } finally {
      conn.close();
    }
  });
  assert.equal(
    sqliteLower("Ülkü ENTERPRISE"),
    "Ülkü enterprise",
    "ASCII only, as SQLite's lower()",
  );
});
