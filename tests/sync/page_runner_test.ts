import assert from "node:assert/strict";
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { PageRunner, windowQuery } from "../../lib/sync/page_runner.ts";
import { type Checkpoint, planSync } from "../../lib/sync/plan.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("windowQuery() bounds updated_at inclusively on both ends", () => {
  assert.deepEqual(windowQuery(100, 200), {
    operator: "AND",
    value: [
      { field: "updated_at", operator: ">", value: 99 },
      { field: "updated_at", operator: "<", value: 201 },
    ],
  });
});

async function withRunner(
  fn: (
    ctx: { sim: Simulator; store: Store; client: IntercomClient; runner: PageRunner },
  ) => Promise<
    void
  >,
  options: { signal?: AbortSignal } = {},
) {
  await withTempDir("page_runner_test_", async (dir) => {
    const sim = await startSimulator({ conversations: 45, seed: 23 });
    using store = Store.open(join(dir, "data.db"));
    const client = new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
    try {
      await client.listAdmins(); // made before the runner exists: not counted
      const now = Math.floor(Date.now() / 1000);
      const plan = planSync({ mode: "all" }, { cursor: null, checkpoint: null }, {
        now,
        initialSyncDays: 7,
        overlapSeconds: 300,
      });
      const runId = store.startRun({ mode: "all", windowStart: 0, windowEnd: now, startedAt: now });
      const runner = new PageRunner(
        { store, client, plan, runId, op: undefined, clock: Date.now },
        { perPage: 10, concurrency: 4, ...options },
      );
      await fn({ sim, store, client, runner });
    } finally {
      await sim.close();
    }
  });
}

Deno.test("PageRunner.run() returns its counters as written to the run's row, API calls from its creation", async () => {
  await withRunner(async ({ store, client, runner }) => {
    assert.equal(client.stats.requests, 1, "one request before the runner");
    const result = await runner.run();
    assert.equal(result.limited, false);
    assert.equal(result.total, 45);
    assert.equal(result.counts.conversationsSeen, 45);
    assert.equal(result.counts.conversationsFetched, 45);
    assert.equal(result.counts.conversationsSkipped, 0);
    assert.equal(result.counts.partsUpserted, store.stats().parts);
    assert.equal(result.counts.contactsUpserted, store.stats().contacts);
    assert.equal(result.counts.apiCalls, client.stats.requests - 1);
    const { id: _, ...row } = store.lastRuns(1)[0]!;
    for (const [key, value] of Object.entries(result.counts)) {
      assert.equal(row[key as keyof typeof row], value, `sync_runs ${key}`);
    }
    const checkpoint = store.syncState().checkpoint as Checkpoint;
    assert.equal(checkpoint.done, 45);
    assert.equal(checkpoint.pagesDone, 5);
  });
});

Deno.test("PageRunner.counts() after an interruption counts only what was committed", async () => {
  const controller = new AbortController();
  await withRunner(async ({ sim, store, runner }) => {
    let searches = 0;
    sim.onRequest = (info) => {
      if (info.path === "/conversations/search" && ++searches === 3) controller.abort();
    };
    await assert.rejects(runner.run());
    const counts = runner.counts();
    assert.ok(counts.conversationsFetched > 0 && counts.conversationsFetched < 45);
    assert.equal(counts.conversationsFetched, store.stats().conversations);
    assert.equal(counts.conversationsSeen, store.lastRuns(1)[0]!.conversationsSeen);
  }, { signal: controller.signal });
});
