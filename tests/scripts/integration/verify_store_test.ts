import assert from "node:assert/strict";
import { spread, verifyStore } from "../../../scripts/integration/verify_store.ts";
import { clientFromSettings } from "../../../lib/config/client.ts";
import { syncedFixture } from "../../mcp/_fixtures.ts";

const NOW = () => Math.floor(Date.now() / 1000);

Deno.test("verifyStore() exact: a store synced from the simulator matches it", async () => {
  await using fx = await syncedFixture({ conversations: 40, seed: 3 });
  const result = await verifyStore(fx.store, clientFromSettings(fx.settings), {
    mode: "exact",
    windowStart: 0,
    windowEnd: NOW(),
  });
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.equal(result.source_count, 40);
  assert.equal(result.store_count, 40);
  assert.equal(result.compared, 40);
});

Deno.test("verifyStore() exact: conversations changed at the source are reported", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 4 });
  fx.sim.mutate(2);
  const result = await verifyStore(fx.store, clientFromSettings(fx.settings), {
    mode: "exact",
    windowStart: 0,
    windowEnd: NOW(),
  });
  assert.equal(result.ok, false);
  assert.ok(
    result.problems.some((p) => /updated_at: stored \d+, source \d+/.test(p)),
    String(result.problems),
  );
});

Deno.test("verifyStore() exact: a limited sync must hold exactly --max-conversations", async () => {
  await using fx = await syncedFixture({ conversations: 25, seed: 5 });
  const client = clientFromSettings(fx.settings);
  const options = { mode: "exact" as const, windowStart: 0, windowEnd: NOW() };
  const ok = await verifyStore(fx.store, client, { ...options, maxConversations: 100 });
  assert.deepEqual(ok.problems, []);
  const wrong = await verifyStore(fx.store, client, { ...options, maxConversations: 10 });
  assert.match(
    wrong.problems.join("\n"),
    /stored 25 conversations; --max-conversations 10 with 25/,
  );
});

Deno.test("verifyStore() sample: counts agree and changed conversations are skipped, not failed", async () => {
  await using fx = await syncedFixture({ conversations: 30, seed: 6 });
  const windowEnd = NOW();
  fx.sim.mutate(3);
  const result = await verifyStore(fx.store, clientFromSettings(fx.settings), {
    mode: "sample",
    windowStart: 0,
    windowEnd,
    samples: 30,
  });
  assert.deepEqual(result.problems, []);
  assert.equal(result.store_count, 30);
  assert.ok(result.changed_since_sync >= 1 && result.changed_since_sync <= 3);
  assert.equal(result.compared + result.changed_since_sync, 30);
});

Deno.test("spread() picks evenly, first and last included", () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(spread(items, 3), [0, 5, 9]);
  assert.deepEqual(spread(items, 1), [0]);
  assert.deepEqual(spread(items, 20), items);
  assert.deepEqual(spread([], 3), []);
});
