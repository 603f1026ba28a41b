import assert from "node:assert/strict";
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { PageRunner } from "../../lib/sync/page_runner.ts";
import { type Checkpoint, planSync } from "../../lib/sync/plan.ts";
import { InterruptedError } from "../../lib/errors.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { captureLogs } from "../_fixtures/logs.ts";
import { assertStoreEqualsWorkspace, withSyncFixture } from "./_fixtures.ts";
import { withTempDir } from "../_fixtures/fs.ts";

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
    sim.onRequest = () => {
      // once a page is committed, while later ones are in flight
      if (store.syncState().checkpoint !== null) controller.abort();
    };
    await assert.rejects(runner.run());
    const counts = runner.counts();
    assert.ok(counts.conversationsFetched > 0 && counts.conversationsFetched < 45);
    assert.equal(counts.conversationsFetched, store.stats().conversations);
    assert.equal(counts.conversationsSeen, store.lastRuns(1)[0]!.conversationsSeen);
  }, { signal: controller.signal });
});

Deno.test("runSync() stays exact when conversation search ignores sort, also when interrupted and resumed", async () => {
  // Defect 6 of issue 10: the 2.11 description documents no `sort` for conversation search.
  await withSyncFixture({ conversations: 90, seed: 31 }, async ({ sim, store, client }) => {
    sim.behaviour.conversationSearchSort = "ignored"; // newest first
    const controller = new AbortController();
    sim.onRequest = () => {
      if (store.syncState().checkpoint !== null) controller.abort();
    };
    let logs = await captureLogs(async () => {
      await assert.rejects(
        runSync({ store, client }, {
          mode: "all",
          perPage: 10,
          concurrency: 2,
          signal: controller.signal,
        }),
        InterruptedError,
      );
    });
    delete sim.onRequest;
    const partial = store.stats().conversations;
    assert.ok(partial > 0 && partial < 90, `interrupted after a page (${partial} stored)`);
    assert.ok(store.syncState().searchUnsortedAt !== null, "the disorder is remembered");
    assert.ok(
      logs.some((r) => r.level === "warning" && /out of updated_at order/.test(String(r.message))),
      "a warning says so",
    );
    logs = await captureLogs(async () => {
      const resumed = await runSync({ store, client }, { mode: "incremental", perPage: 10 });
      assert.equal(resumed.resumed, true);
    });
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("PageRunner keeps resuming from the middle of a search whose pages are ascending", async () => {
  await withSyncFixture({ conversations: 60, seed: 37 }, async ({ store, client }) => {
    const controller = new AbortController();
    let commits = 0;
    const original = store.setCheckpoint.bind(store);
    store.setCheckpoint = (checkpoint) => {
      original(checkpoint);
      if (checkpoint !== null && ++commits === 3) controller.abort();
    };
    await assert.rejects(
      runSync({ store, client }, { mode: "all", perPage: 10, signal: controller.signal }),
      InterruptedError,
    );
    const checkpoint = store.syncState().checkpoint as Checkpoint;
    assert.ok(checkpoint.resumeFrom > checkpoint.windowStart, "resumes past the window's start");
    assert.equal(store.syncState().searchUnsortedAt, null);
  });
});

Deno.test("runSync() quarantines a conversation that cannot be read, stores the rest and completes", async () => {
  // Defect 4 of issue 10: one odd record used to stop every sync.
  let nowMs = Date.UTC(2026, 0, 12, 9, 0, 0);
  const clock = () => nowMs;
  await withSyncFixture({ conversations: 50, seed: 41, clock }, async ({ sim, store, client }) => {
    const [bad, badInSearch, both] = [3, 17, 33].map((i) => sim.workspace.conversations[i]!);
    bad!.quirks = { malformed: true };
    badInSearch!.quirks = { malformedInSearch: true };
    both!.quirks = { malformed: true, malformedInSearch: true };
    const first = await runSync({ store, client }, { mode: "all", perPage: 20, clock });
    assert.equal(store.lastRuns(1)[0]!.status, "completed");
    assert.deepEqual(first.quarantined.map((q) => q.id).sort(), [bad!.id, both!.id].sort());
    assert.deepEqual(first.quarantined.map((q) => q.reason), [
      'field "created_at": Expected number, received string',
      'field "created_at": Expected number, received string',
    ]);
    assert.equal(store.stats().conversations, 48, "everything else is stored");
    assert.ok(store.getConversation(badInSearch!.id), "a bad search item is fetched by id");
    // Still unreadable: counted again; readable again: stored and cleared.
    nowMs += 60_000;
    delete bad!.quirks;
    const second = await runSync({ store, client }, { mode: "incremental", clock });
    assert.deepEqual(second.quarantined.map((q) => [q.id, q.attempts]), [[both!.id, 2]]);
    assert.ok(store.getConversation(bad!.id), "stored once it reads");
    delete both!.quirks;
    nowMs += 60_000;
    const third = await runSync({ store, client }, { mode: "incremental", clock });
    assert.deepEqual(third.quarantined, []);
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() --max-conversations on a resumed run counts only that run's conversations", async () => {
  await withSyncFixture({ conversations: 80, seed: 67 }, async ({ sim, store, client }) => {
    const controller = new AbortController();
    sim.onRequest = () => {
      if (store.syncState().checkpoint !== null) controller.abort();
    };
    await assert.rejects(
      runSync({ store, client }, { mode: "all", perPage: 10, signal: controller.signal }),
      InterruptedError,
    );
    delete sim.onRequest;
    const before = (store.syncState().checkpoint as Checkpoint).done;
    assert.ok(before >= 10, `the interrupted run processed ${before}`);
    const resumed = await runSync({ store, client }, {
      mode: "incremental",
      perPage: 10,
      maxConversations: 25,
    });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.limited, true);
    assert.equal(resumed.counts.conversationsSeen, 25);
  });
});
