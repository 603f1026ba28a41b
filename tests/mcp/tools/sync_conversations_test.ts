import assert from "node:assert/strict";
import type { SyncRunner } from "../../../lib/mcp/sync_manager.ts";
import { acquireSyncLock } from "../../../lib/sync/sync_lock.ts";
import { RUN_COUNT_NAMES } from "../../../lib/sync/run_record.ts";
import { syncPhrase } from "../../../lib/mcp/tools/sync_conversations.ts";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("sync_conversations starts one background sync, reports it, and can wait", async (t) => {
  await using fx = await syncedFixture({
    conversations: 60,
    seed: 14,
    latency: { meanMs: 10, jitterMs: 1 },
    sync: false,
  });
  await using c = await memoryClient(fx);

  await t.step(
    "returns at once with the process id; a second call reports the same sync",
    async () => {
      const started = await c.call("sync_conversations", { days: 30 });
      assert.match(textOf(started), /^Started a sync of the last 30 days in the background/);
      const first = dataOf(started);
      assert.equal(first.started, true);
      assert.equal(first.sync.status, "running");
      assert.match(first.sync.process_id, /^sync-\d{8}-\d{6}-[0-9a-f]{6}$/);
      assert.equal(first.sync.mode, "days");
      const second = await c.call("sync_conversations", {});
      assert.equal(dataOf(second).started, false);
      assert.equal(dataOf(second).sync.process_id, first.sync.process_id);
      assert.match(textOf(second), /A sync is already running/);

      const status = dataOf(await c.call("get_server_status"));
      assert.equal(status.background_sync.running.process_id, first.sync.process_id);
      const tracked = status.running_processes.find(
        (p: { process_id: string }) => p.process_id === first.sync.process_id,
      );
      assert.ok(tracked, "the status tracker shows the running sync");
      assert.equal(tracked.type, "sync");

      const waited = dataOf(
        await c.call("sync_conversations", { wait: true, timeout_seconds: 60 }),
      );
      assert.equal(waited.sync.status, "completed");
      assert.equal(waited.sync.process_id, first.sync.process_id);
      assert.equal(waited.sync.conversations_fetched, fx.store.stats().conversations);
      for (const name of Object.values(RUN_COUNT_NAMES)) {
        assert.equal(typeof waited.sync[name], "number", `${name}: every counter, one name`);
      }
    },
  );

  await t.step("another process holding the sync lock is reported, not a failure", async () => {
    using _lock = await acquireSyncLock(fx.settings.paths.syncLockFile);
    const r = await c.call("sync_conversations", { wait: true, timeout_seconds: 10 });
    assert.equal(r.isError, undefined);
    assert.equal(dataOf(r).sync.status, "locked");
    assert.match(textOf(r), /Another process is already syncing/);
  });

  await t.step("bad arguments are tool errors", async () => {
    const r = await c.call("sync_conversations", { days: 0 });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /days/);
  });
});

Deno.test("sync_conversations without a token says how to configure one", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 1 });
  await using c = await memoryClient(fx, { runner: null });
  const r = await c.call("sync_conversations", {});
  assert.equal(r.isError, true);
  assert.match(textOf(r), /no Intercom access token is configured.*fast-intercom-mcp init/);
  const status = dataOf(await c.call("get_server_status"));
  assert.equal(status.background_sync.enabled, false);
});

Deno.test("sync_conversations with wait gives up after timeout_seconds and says it still runs", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 1 });
  const runner: SyncRunner = (_request, hooks) =>
    new Promise((_resolve, reject) => {
      hooks.onProcessId("sync-slow");
      hooks.signal.addEventListener("abort", () => reject(hooks.signal.reason));
    });
  await using c = await memoryClient(fx, { runner });
  const r = await c.call("sync_conversations", { wait: true, timeout_seconds: 1 });
  const data = dataOf(r);
  assert.equal(data.timed_out, true);
  assert.equal(data.sync.status, "running");
  assert.equal(data.sync.process_id, "sync-slow");
  assert.match(textOf(r), /still running after 1 s/);
});

Deno.test("syncPhrase() words each mode with its article", () => {
  assert.equal(syncPhrase({ mode: "incremental" }), "an incremental sync");
  assert.equal(syncPhrase({ mode: "days", days: 7 }), "a sync of the last 7 days");
  assert.equal(syncPhrase({ mode: "all" }), "a full sync");
});
