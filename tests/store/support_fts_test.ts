import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { withStore } from "./_fixtures.ts";
import { loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";

Deno.test("ftsIntegrityCheck() finds ticket and company text changed behind the index; rebuildFullText() repairs it", async () => {
  await withStore((store, path) => {
    loadWorkspace(store, simulatedWorkspace(3, 100));
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    // Text rewritten without re-indexing: what a bug or a manual edit would leave behind.
    const raw = new DatabaseSync(path);
    raw.exec("UPDATE ticket_parts SET body = 'rewritten behind the index' WHERE body IS NOT NULL");
    raw.exec("UPDATE companies SET name = 'renamed behind the index'");
    raw.close();
    const problems = store.ftsIntegrityCheck();
    assert.ok(problems.some((p) => p.includes("stored tickets")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes("stored companies")), problems.join("\n"));
    store.rebuildFullText();
    assert.deepEqual(store.ftsIntegrityCheck(), []);
    assert.ok(store.support.searchTickets({ text: "rewritten" }).total > 0);
    assert.ok(store.support.searchCompanies({ text: "renamed" }).total > 0);
  });
});
