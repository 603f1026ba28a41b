import assert from "node:assert/strict";
import { loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";
import { join } from "node:path";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { replaceAdmins, replaceTeams } from "../../lib/store/entities.ts";
import {
  facetClauses,
  hasFacets,
  normalizeSearch,
  sqlFilters,
} from "../../lib/store/search_filters.ts";
import { withStore, withTempDir } from "./_fixtures.ts";

Deno.test("normalizeSearch() resolves assignees, folds tags, clamps paging and drops blanks", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      replaceAdmins(conn, [{
        id: "a1",
        name: "Ada Admin",
        email: "ada@team.test",
        job_title: null,
        away_mode_enabled: false,
        team_ids: [],
      }]);
      replaceTeams(conn, [{ id: "t9", name: "ada admin", admin_ids: [] }]);
      const normalized = normalizeSearch(conn, {
        text: ' refund "double charge" ',
        tag: " VIP ",
        assignee: "ADA ADMIN",
        customerEmail: "  ",
        limit: 500,
        offset: -1,
      });
      assert.ok(normalized !== null);
      assert.equal(normalized.match, '"refund" AND "double charge"');
      assert.equal(normalized.tagKey, "vip");
      assert.deepEqual(normalized.assignee, {
        admins: ["ADA ADMIN", "a1"],
        teams: ["ADA ADMIN", "t9"],
      });
      assert.equal(normalized.email, undefined);
      assert.equal(normalized.limit, 100);
      assert.equal(normalized.offset, 0);
      assert.equal(hasFacets(normalized), true);
      assert.equal(normalizeSearch(conn, { text: "🙂 !!" }).unmatchable, true);
      const blank = normalizeSearch(conn, { text: "  " });
      assert.equal(blank?.match, null);
      assert.equal(blank !== null && hasFacets(blank), false);
    } finally {
      conn.close();
    }
  });
});

Deno.test("sqlFilters() and facetClauses() express the same filters two ways", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      const normalized = normalizeSearch(conn, {
        state: "open",
        tag: "Billing",
        createdSince: 5,
        updatedUntil: 9,
        customerEmail: "a@b.test",
      });
      assert.ok(normalized !== null);
      assert.deepEqual(facetClauses(normalized), [
        'facets : "zzs6f70656e"',
        'facets : "zzg62696c6c696e67"',
      ]);
      const all = sqlFilters(normalized);
      assert.equal(all.where.length, 5);
      assert.deepEqual(all.params, [9, 5, "a@b.test", "a@b.test", "open", "billing"]);
      const residual = sqlFilters(normalized, { all: false });
      assert.deepEqual(residual.params, [5, "a@b.test", "a@b.test"]);
    } finally {
      conn.close();
    }
  });
});

Deno.test("searchConversations() filters by the contacts' companies: plan, name, prefix; with text too", async () => {
  const ws = simulatedWorkspace(8, 400);
  await withStore((store) => {
    loadWorkspace(store, ws);
    const plan = (c: (typeof ws.conversations)[number], name: string) =>
      c.contact_ids.some((id) =>
        (ws.contactsById.get(id)?.company_ids ?? []).some((k) =>
          ws.companiesById.get(k)?.plan?.name === name
        )
      );
    const enterprise = ws.conversations.filter((c) => plan(c, "Enterprise"));
    assert.ok(enterprise.length > 10 && enterprise.length < ws.conversations.length);
    const byPlan = store.searchConversations({ companyPlan: "enterprise", limit: 100 });
    assert.equal(byPlan.total, enterprise.length);
    const ids = new Set(enterprise.map((c) => c.id));
    assert.ok(byPlan.hits.every((h) => ids.has(h.id)));
    const company = ws.companies.find((k) =>
      ws.contacts.some((c) => c.company_ids?.includes(k.id))
    )!;
    const members = new Set(
      ws.contacts.filter((c) => c.company_ids?.includes(company.id)).map((c) => c.id),
    );
    const theirs = ws.conversations.filter((c) => c.contact_ids.some((id) => members.has(id)));
    assert.equal(store.searchConversations({ company: company.id }).total, theirs.length);
    assert.ok(
      store.searchConversations({ company: `${company.name.slice(0, 4)}*` }).total >= theirs.length,
    );
    const withText = store.searchConversations({ text: "invoice", companyPlan: "Enterprise" });
    const invoice = store.searchConversations({ text: "invoice", limit: 100 });
    assert.ok(withText.total > 0 && withText.total < invoice.total);
    assert.ok(withText.hits.every((h) => ids.has(h.id) && h.snippet !== null));
    assert.equal(store.searchConversations({ companyPlan: "No such plan" }).total, 0);
  });
});
