import assert from "node:assert/strict";
import { quarantineCheck } from "../../lib/health/store_checks.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { assertStoreEqualsWorkspace, withSyncFixture } from "./_fixtures.ts";

Deno.test("runSync() completes when an admin, a team or a tag cannot be read: quarantined, stored copies kept, cleared once they read", async () => {
  // Issue 10 defect 4 (QA): a tag with `name: null` used to fail every run before any
  // conversation was stored.
  let nowMs = Date.UTC(2026, 0, 12, 9, 0, 0);
  const clock = () => nowMs;
  await withSyncFixture({ conversations: 20, seed: 3, clock }, async ({ sim, store, client }) => {
    const ws = sim.workspace;
    const [admin, team, tag] = [ws.admins[1]!, ws.teams[0]!, ws.tags[0]!];
    tag.quirks = { malformed: true };
    const first = await runSync({ store, client }, { mode: "all", clock });
    assert.equal(store.lastRuns(1)[0]!.status, "completed");
    assert.equal(store.stats().conversations, ws.conversations.length, "conversations stored");
    assert.deepEqual(first.quarantined.map((q) => [q.kind, q.id, q.endpoint, q.reason]), [
      ["tag", tag.id, "GET /tags", 'field "name": Expected string, received null'],
    ]);
    assert.equal(store.stats().tags, ws.tags.length - 1, "the other tags are stored");

    // Readable again: stored, cleared. Then an admin and a team break: their stored rows stay.
    delete tag.quirks;
    const oldName = admin.name;
    admin.name = "Renamed While Unreadable";
    admin.quirks = { malformed: true };
    team.quirks = { malformed: true };
    nowMs += 60_000;
    const second = await runSync({ store, client }, { mode: "incremental", clock });
    assert.deepEqual(second.quarantined.map((q) => `${q.kind} ${q.id}`).sort(), [
      `admin ${admin.id}`,
      `team ${team.id}`,
    ]);
    assert.equal(store.adminName(admin.id), oldName, "the stored copy of the admin is kept");
    assert.deepEqual(
      [store.stats().admins, store.stats().teams, store.stats().tags],
      [ws.admins.length, ws.teams.length, ws.tags.length],
    );
    const health = quarantineCheck(store.quarantined());
    assert.equal(health.status, "warn");
    assert.match(health.detail, new RegExp(`admin ${admin.id} \\(field "team_ids"`));

    nowMs += 60_000;
    const third = await runSync({ store, client }, { mode: "incremental", clock });
    assert.deepEqual(third.quarantined.map((q) => [q.kind, q.attempts]).sort(), [
      ["admin", 2],
      ["team", 2],
    ]);
    delete admin.quirks;
    delete team.quirks;
    nowMs += 60_000;
    const fourth = await runSync({ store, client }, { mode: "incremental", clock });
    assert.deepEqual(fourth.quarantined, []);
    assert.equal(store.adminName(admin.id), "Renamed While Unreadable");
    assertStoreEqualsWorkspace(store, ws);
  });
});
