import assert from "node:assert/strict";
import { MIGRATIONS, SCHEMA_VERSION } from "../../lib/store/migrations.ts";

Deno.test("MIGRATIONS are numbered 1, 2, … and SCHEMA_VERSION is the last", () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  assert.equal(SCHEMA_VERSION, MIGRATIONS.at(-1)?.version);
});

Deno.test("MIGRATIONS never drop or rename a table", () => {
  for (const migration of MIGRATIONS) {
    assert.doesNotMatch(migration.sql, /DROP\s+TABLE|RENAME\s+TO/i, migration.name);
  }
});
