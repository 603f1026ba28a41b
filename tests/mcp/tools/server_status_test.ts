import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("get_server_status reports counts, coverage, last sync and freshness from the store", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 19 });
  const nowMs = Date.now() + 10 * 60_000; // ten minutes after the sync
  await using c = await memoryClient(fx, {
    clock: () => nowMs,
    maxSyncAgeMinutes: 5,
    runner: null,
  });
  const r = await c.call("get_server_status");
  const s = dataOf(r);
  const stats = fx.store.stats();
  assert.equal(s.store.conversations, stats.conversations);
  assert.equal(s.store.parts, stats.parts);
  assert.equal(s.store.contacts, stats.contacts);
  assert.equal(s.store.path, fx.settings.paths.storeFile);
  assert.equal(s.last_sync.status, "completed");
  assert.equal(s.last_sync.mode, "all");
  assert.equal(s.coverage.synced_spans.length, 1);
  assert.equal(s.coverage.synced_spans[0].start, "1970-01-01T00:00:00Z");
  assert.ok(s.freshness.data_age_seconds >= 600);
  assert.equal(s.freshness.stale, true, "older than max_sync_age_minutes");
  assert.equal(s.background_sync.enabled, false);
  assert.deepEqual(s.running_processes, []);
  assert.equal(s.server.workspace_id, fx.sim.workspace.app.id_code);
  assert.match(textOf(r), /30 conversations/);
  assert.match(textOf(r), /Background sync: off/);
  const extra = await c.call("get_server_status", { verbose: true });
  assert.equal(extra.isError, true);
});

Deno.test("get_server_status shows the store path and pid to local clients only", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 19 });
  await using remote = await memoryClient(fx, { transport: "http", revealLocalDetails: false });
  const hidden = await remote.call("get_server_status");
  const s = dataOf(hidden);
  assert.equal(s.store.path, null);
  assert.equal(s.server.pid, null);
  assert.equal(s.store.conversations, 3);
  assert.ok(!textOf(hidden).includes(fx.settings.paths.dataDir), textOf(hidden));
  assert.ok(!JSON.stringify(s).includes(fx.settings.paths.dataDir));
  await using local = await memoryClient(fx, { transport: "http", revealLocalDetails: true });
  const shown = dataOf(await local.call("get_server_status"));
  assert.equal(shown.store.path, fx.settings.paths.storeFile);
  assert.equal(shown.server.pid, Deno.pid);
});
