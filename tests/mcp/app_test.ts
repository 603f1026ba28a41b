import assert from "node:assert/strict";
import type { SyncRunner } from "../../lib/mcp/sync_manager.ts";
import { dataOf, memoryClient, syncedFixture, textOf } from "./_fixtures.ts";

Deno.test("50 concurrent tool calls while a sync is running all succeed", async () => {
  await using fx = await syncedFixture({
    conversations: 120,
    seed: 23,
    latency: { meanMs: 30, jitterMs: 2 },
  });
  await using c = await memoryClient(fx);
  const started = dataOf(await c.call("sync_conversations", { force: true }));
  assert.equal(started.sync.status, "running");
  const job = c.app.ctx.sync.running!;
  const ids = fx.store.searchConversations({ limit: 50 }).hits.map((h) => h.id);
  const email = fx.store.searchContacts({ limit: 100 }).contacts.find((x) => x.email)!.email!;
  const calls: [string, Record<string, unknown>][] = [];
  for (let i = 0; i < 50; i++) {
    const pick: [string, Record<string, unknown>][] = [
      ["search_conversations", { query: i % 2 ? "order" : "the", limit: 10 }],
      ["get_conversation", { conversation_id: ids[i % ids.length] }],
      ["search_conversations", { timeframe: "last 7 days", state: "open" }],
      ["get_server_status", {}],
      ["check_coverage", { start_date: "7 days ago" }],
      ["search_contacts", { email }],
      ["sync_conversations", {}],
    ];
    calls.push(pick[i % pick.length]!);
  }
  const results = await Promise.all(calls.map(([name, args]) => c.call(name, args)));
  assert.equal(job.outcome, null, "the sync was still running when every call had answered");
  results.forEach((r, i) => assert.equal(r.isError, undefined, `${calls[i]![0]}: ${textOf(r)}`));
  const syncCalls = results.filter((_, i) => calls[i]![0] === "sync_conversations");
  for (const r of syncCalls) assert.equal(dataOf(r).started, false, "no second sync started");
  assert.equal((await job.done).status, "completed");
});

Deno.test("a request finding stale data starts a background sync without waiting for it", async () => {
  await using fx = await syncedFixture({ conversations: 10, seed: 2 });
  let release!: () => void;
  const runner: SyncRunner = (_request, hooks) =>
    new Promise((_resolve, reject) => {
      release = () => reject(new Error("stopped by the test"));
      hooks.onProcessId("sync-stale");
      hooks.signal.addEventListener("abort", () => reject(hooks.signal.reason));
    });
  let now = Date.now();
  await using c = await memoryClient(fx, { runner, maxSyncAgeMinutes: 5, clock: () => now });
  assert.equal(c.app.ctx.sync.running, null, "fresh at startup: no sync");
  now += 30 * 60_000; // the data is now 30 minutes old
  const before = performance.now();
  const r = dataOf(await c.call("search_conversations", { query: "order" }));
  assert.ok(performance.now() - before < 1000, "answered without waiting for the sync");
  assert.equal(r.freshness.stale, true);
  assert.equal(r.freshness.sync_running, true);
  assert.equal(r.freshness.sync_process_id, "sync-stale");
  assert.equal(c.app.ctx.sync.state().running?.trigger, "stale");
  await c.call("get_conversation", { conversation_id: "1" });
  assert.equal(c.app.ctx.sync.state().last, null, "single flight: no second sync");
  release();
});
