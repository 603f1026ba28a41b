import assert from "node:assert/strict";
import { join } from "node:path";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { replaceAdmins, replaceTeams } from "../../lib/store/entities.ts";
import {
  facetClauses,
  hasFacets,
  normalizeSearch,
  sqlFilters,
} from "../../lib/store/search_filters.ts";
import { withTempDir } from "./_fixtures.ts";

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
