import assert from "node:assert/strict";
import { InterruptedError } from "../../lib/errors.ts";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { AuthError } from "../../lib/intercom/errors.ts";
import { DEFAULT_SIMULATOR_TOKEN } from "../../lib/simulator/mod.ts";
import { ProgressBroadcaster, type ProgressEvent } from "../../lib/progress/progress.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { assertStoreEqualsWorkspace, FAST_BACKOFF, withSyncFixture } from "./_fixtures.ts";

const withFixture = withSyncFixture;

Deno.test("runSync() --all stores exactly the workspace, parts beyond the cap marked truncated", async () => {
  await withFixture({ conversations: 160, seed: 7 }, async ({ sim, store, client }) => {
    const events: ProgressEvent[] = [];
    const progress = new ProgressBroadcaster({ enabled: true });
    progress.addSink({ onEvent: (e) => events.push(e) });
    const result = await runSync({ store, client }, {
      mode: "all",
      perPage: 50,
      progress,
      concurrency: 6,
    });
    assert.equal(result.counts.conversationsFetched, 160);
    assert.equal(result.totalCount, 160);
    assertStoreEqualsWorkspace(store, sim.workspace);
    assert.ok(store.stats().truncatedConversations >= 1, "a conversation over 500 parts exists");
    // progress: real totals, final current = conversations synced
    const last = events.filter((e) => e.type === "progress").at(-1)!;
    assert.equal(last.total, 160);
    assert.equal(last.current, 160);
    assert.ok(events.some((e) => e.type === "operation_complete"));
    assert.ok(events.some((e) => /batch \d+\/4/.test(e.message)), "pages reported as batches");
    // the cursor becomes the run's start time, not the newest updated_at
    assert.equal(store.syncState().cursor, result.windowEnd);
    assert.equal(store.syncState().checkpoint, null);
    assert.equal(store.lastRuns(1)[0]!.status, "completed");
  });
});

Deno.test("runSync() incremental picks up exactly the changes, also made while paging", async () => {
  let nowMs = Date.now();
  await withFixture(
    { conversations: 120, seed: 3, clock: () => nowMs },
    async ({ sim, store, client }) => {
      await runSync({ store, client }, { mode: "all", clock: () => nowMs });
      nowMs += 60_000;
      const changed = sim.mutate(15);
      // and more changes while the next sync pages through results
      let n = 0;
      sim.onRequest = (info) => {
        if (info.path === "/conversations/search" && ++n === 2) sim.mutate(5);
      };
      const second = await runSync({ store, client }, {
        mode: "incremental",
        perPage: 10,
        clock: () => nowMs,
      });
      delete sim.onRequest;
      assert.ok(second.counts.conversationsFetched >= 1);
      assert.ok(
        second.counts.conversationsFetched < 120,
        "unchanged conversations are not re-fetched",
      );
      assert.ok(changed);
      nowMs += 60_000;
      // changes made during the second run are caught by the next (cursor = start time)
      await runSync({ store, client }, { mode: "incremental", clock: () => nowMs });
      assertStoreEqualsWorkspace(store, sim.workspace);
      const ids = store.searchConversations({ limit: 100 }).total;
      assert.equal(ids, sim.workspace.conversations.length, "no duplicates");
    },
  );
});

Deno.test("runSync() completes with exact data through 5xx, HTML, empty, truncated, reset and 429 faults", async () => {
  await withFixture({
    conversations: 100,
    seed: 11,
    rateLimit: { limit: 10_000, windowSeconds: 1 }, // 429 faults wait for a 1 s window, not 10 s
    faults: { "500": 0.05, html502: 0.03, empty: 0.03, truncated: 0.03, reset: 0.03, "429": 0.02 },
  }, async ({ sim, store, client }) => {
    const result = await runSync({ store, client }, { mode: "all", concurrency: 4 });
    assert.ok(result.counts.retries > 0, "faults caused retries");
    assert.ok(result.streams.every((s) => s.stored > 0), "tickets and companies were synced");
    assertStoreEqualsWorkspace(store, sim.workspace, { support: true });
  });
});

Deno.test("runSync() interrupted by a signal records the run and resumes to the same store", async () => {
  await withFixture(
    { conversations: 150, seed: 5, latency: { meanMs: 5, jitterMs: 2 } },
    async ({ sim, store, client }) => {
      const controller = new AbortController();
      sim.onRequest = () => {
        // once a page is committed, while later ones are in flight
        if (store.syncState().checkpoint !== null) controller.abort();
      };
      let message = "";
      await assert.rejects(
        runSync({ store, client }, { mode: "all", perPage: 20, signal: controller.signal }),
        (error: unknown) => {
          assert.ok(error instanceof InterruptedError);
          message = error.message;
          return true;
        },
      );
      delete sim.onRequest;
      assert.equal(
        message,
        `sync interrupted: ${store.stats().conversations} conversations stored by this run; ` +
          "the next `fast-intercom-mcp sync` resumes from the last saved page",
      );
      assert.equal(store.lastRuns(1)[0]!.status, "interrupted");
      const checkpoint = store.syncState().checkpoint as { resumeFrom: number } | null;
      assert.ok(checkpoint, "checkpoint kept");
      const partial = store.stats().conversations;
      assert.ok(partial > 0 && partial < 150, `partial store (${partial})`);
      const resumed = await runSync({ store, client }, { mode: "incremental" });
      assert.equal(resumed.resumed, true);
      assert.ok(resumed.counts.conversationsFetched <= 150 - partial + 20);
      assertStoreEqualsWorkspace(store, sim.workspace);
      assert.equal(store.syncState().checkpoint, null);
    },
  );
});

Deno.test("runSync() stops on a 401 mid-run with a clear message and keeps the checkpoint", async () => {
  await withFixture({ conversations: 80, seed: 2 }, async ({ sim, store }) => {
    let calls = 0;
    const client = new IntercomClient({
      baseUrl: sim.url,
      token: DEFAULT_SIMULATOR_TOKEN,
      fetch: (input, init) => {
        calls++;
        if (calls > 40) {
          const headers = new Headers(init?.headers);
          headers.set("Authorization", "Bearer revoked-token");
          return fetch(input, { ...init, headers });
        }
        return fetch(input, init);
      },
    });
    await assert.rejects(
      runSync({ store, client }, { mode: "all", perPage: 20, concurrency: 2 }),
      (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.match(
          error.message,
          /token rejected by Intercom \(401\).*run `fast-intercom-mcp init`/,
        );
        return true;
      },
    );
    const run = store.lastRuns(1)[0]!;
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /401/);
    assert.ok(store.syncState().checkpoint, "checkpoint kept for the next run");
    assert.ok(store.stats().conversations > 0, "what was stored stays");
  });
});

Deno.test("runSync() records a failed run with the reason when retries run out; stored data stays", async () => {
  await withFixture({ conversations: 90, seed: 13 }, async ({ sim, store }) => {
    const client = new IntercomClient({
      baseUrl: sim.url,
      token: DEFAULT_SIMULATOR_TOKEN,
      backoff: FAST_BACKOFF,
      maxAttempts: 3,
    });
    sim.onRequest = () => {
      if (store.syncState().checkpoint !== null) sim.setFaults({ "500": 1 });
    };
    await assert.rejects(
      runSync({ store, client }, { mode: "all", perPage: 20, concurrency: 2 }),
      (error: unknown) => {
        assert.match((error as Error).message, /failed after 3 attempts/);
        return true;
      },
    );
    const run = store.lastRuns(1)[0]!;
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /HTTP 500/);
    assert.ok(store.stats().conversations >= 20, "pages committed before the failure stay");
    assert.ok(store.syncState().checkpoint, "the next sync resumes");
    sim.setFaults({});
    delete sim.onRequest;
    await runSync({ store, client }, { mode: "incremental" });
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() splits a window with too many matches into slices and stays exact", async () => {
  await withFixture({ conversations: 160, seed: 17 }, async ({ sim, store, client }) => {
    const events: ProgressEvent[] = [];
    const progress = new ProgressBroadcaster({ enabled: true });
    progress.addSink({ onEvent: (e) => events.push(e) });
    let searches = 0;
    sim.onRequest = (info) => {
      if (info.path === "/conversations/search") searches++;
    };
    const result = await runSync({ store, client }, {
      mode: "all",
      perPage: 10,
      maxPerSearch: 25,
      progress,
    });
    delete sim.onRequest;
    assertStoreEqualsWorkspace(store, sim.workspace);
    assert.equal(result.totalCount, 160, "the whole-window search gives the total");
    assert.equal(result.counts.conversationsSeen, 160, "slices neither skip nor repeat");
    assert.ok(searches > Math.ceil(160 / 10) + 2, `searched in slices (${searches} searches)`);
    const last = events.filter((e) => e.type === "progress").at(-1)!;
    assert.equal(last.total, 160);
    assert.equal(last.current, 160);
  });
});

Deno.test("runSync() resumes a sliced window after an interruption", async () => {
  await withFixture({ conversations: 150, seed: 19 }, async ({ sim, store, client }) => {
    const controller = new AbortController();
    let searches = 0;
    sim.onRequest = (info) => {
      if (info.path === "/conversations/search" && ++searches === 6) controller.abort();
    };
    await assert.rejects(
      runSync({ store, client }, {
        mode: "all",
        perPage: 10,
        maxPerSearch: 30,
        signal: controller.signal,
      }),
      InterruptedError,
    );
    delete sim.onRequest;
    assert.ok(store.stats().conversations < 150);
    await runSync({ store, client }, { mode: "incremental", perPage: 10, maxPerSearch: 30 });
    assertStoreEqualsWorkspace(store, sim.workspace);
  });
});

Deno.test("runSync() incremental re-fetches a conversation that got a reply in the same second it was fetched", async () => {
  // Defect 1 of issue 10: `updated_at` has whole seconds, so a reply landing in the second of
  // the fetch leaves it unchanged; only a copy fetched in a later second proves nothing is new.
  let nowMs = Date.UTC(2026, 0, 10, 12, 0, 0);
  const clock = () => nowMs;
  await withFixture({ conversations: 40, seed: 29, clock, now: nowMs / 1000 - 60 }, async (ctx) => {
    const { sim, store, client } = ctx;
    await runSync({ store, client }, { mode: "all", clock });
    nowMs += 60_000;
    const id = sim.workspace.conversations[7]!.id;
    sim.addPart(id); // a reply now: updated_at becomes this second
    let replied = false;
    sim.onResponse = (info) => {
      // …and another in the same second, right after the sync read the conversation.
      if (info.path === `/conversations/${id}` && !replied) {
        replied = true;
        sim.addPart(id, { body: "<p>second reply in the same second</p>" });
      }
    };
    const second = await runSync({ store, client }, { mode: "incremental", clock });
    delete sim.onResponse;
    assert.equal(replied, true);
    assert.equal(second.counts.conversationsFetched, 1);
    const stored = store.getConversation(id)!;
    assert.equal(stored.updated_at, sim.workspace.conversationsById.get(id)!.updated_at);
    assert.ok(!stored.parts.some((p) => p.body === "second reply in the same second"));
    nowMs += 30_000;
    const third = await runSync({ store, client }, { mode: "incremental", clock });
    assert.ok(third.counts.conversationsFetched >= 1, "the copy of that second is fetched again");
    assert.ok(
      store.getConversation(id)!.parts.some((p) => p.body === "second reply in the same second"),
    );
    assertStoreEqualsWorkspace(store, sim.workspace);
    nowMs += 30_000;
    const fourth = await runSync({ store, client }, { mode: "incremental", clock });
    assert.equal(
      fourth.counts.conversationsFetched,
      0,
      "a copy fetched later is not fetched again",
    );
  });
});
