import assert from "node:assert/strict";
import { DashboardFeed, type DashboardState, type FeedReaders } from "../../lib/dashboard/feed.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";
import { recordRuns, RUNS_T0 } from "../trends/_runs.ts";

function fakeReaders(calls: Record<string, number>): FeedReaders {
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  let fetched = 0;
  return {
    processes: () => (count("processes"), Promise.resolve([])),
    store: (counts) => {
      count(counts ? "store+counts" : "store");
      fetched += 10;
      return {
        runs: [],
        totals: { conversations_fetched: fetched, api_calls: 0, rate_limited: 0, retries: 0 },
        counts: counts
          ? { available: true, conversations: 5, parts: 9, contacts: 1, size_bytes: 100 }
          : null,
      };
    },
    logs: () => (count("logs"),
      Promise.resolve({
        window_seconds: 3600,
        errors: 1,
        warnings: 0,
        by_category: {},
        newest: [],
      })),
    health:
      () => (count("health"),
        Promise.resolve({ checked_at: "2026-01-01T00:00:00.000Z", status: "healthy", checks: [] })),
    extra: () => (count("extra"), Promise.resolve({ anomalies: [] })),
  };
}

Deno.test("DashboardFeed.tick() reads cheap parts each tick and costly ones when due and watched", async () => {
  await withTempDir("feed-", async (dir) => {
    let now = 1_000_000;
    const calls: Record<string, number> = {};
    const feed = new DashboardFeed(await settingsIn(dir), {
      clock: () => now,
      intervalMs: 0,
      slowEveryMs: 10_000,
      healthEveryMs: 60_000,
      readers: fakeReaders(calls),
    });
    const first = await feed.tick(); // the first tick reads everything
    assert.equal(first.store?.conversations, 5);
    assert.equal(first.logs?.errors, 1);
    assert.equal(first.point, null);
    now += 2000;
    const second = await feed.tick(); // nobody watches: cheap parts only, costly ones kept
    assert.equal(second.store?.conversations, 5);
    assert.equal(second.point?.conversations_per_second, 5);
    assert.deepEqual(calls, {
      processes: 2,
      "store+counts": 1,
      store: 1,
      logs: 1,
      health: 1,
      extra: 1,
    });
    const seen: DashboardState[] = [];
    const unsubscribe = feed.subscribe((s) => seen.push(s));
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.history?.length, 1, "a new watcher gets the history");
    now += 10_000;
    await feed.tick();
    assert.equal(calls.logs, 2, "watched and due: the log window is read again");
    assert.equal(calls.health, 1, "health is not due yet");
    assert.equal(seen.length, 2);
    unsubscribe();
    assert.equal(feed.watchers, 0);
    feed.close();
  });
});

Deno.test("DashboardFeed's timer reads only cheap parts until a state is asked for", async () => {
  await withTempDir("feed-", async (dir) => {
    const calls: Record<string, number> = {};
    // a timer (1 ms) that nobody asked for: the store is not counted, health not checked
    const feed = new DashboardFeed(await settingsIn(dir), {
      intervalMs: 1,
      readers: fakeReaders(calls),
    });
    try {
      for (let i = 0; i < 2000 && (calls.processes ?? 0) < 2; i++) {
        await new Promise((r) => setTimeout(r, 1));
      }
      assert.ok((calls.processes ?? 0) >= 2, "the timer ticked");
      assert.equal(calls["store+counts"], undefined);
      assert.equal(calls.health, undefined);
      assert.equal(calls.logs, undefined);
      assert.equal(calls.extra, undefined);
      // the first state asked for is complete
      const state = await feed.current();
      assert.equal(state.store?.conversations, 5);
      assert.equal(state.health?.status, "healthy");
      assert.equal(calls["store+counts"], 1);
      assert.equal(calls.health, 1);
      await feed.current();
      assert.equal(calls.health, 1, "asked again: the complete state is reused");
    } finally {
      feed.close();
    }
  });
});

Deno.test("DashboardFeed keeps a section's previous value when its reader fails", async () => {
  await withTempDir("feed-", async (dir) => {
    let now = 0;
    const calls: Record<string, number> = {};
    const readers = fakeReaders(calls);
    let failing = false;
    const feed = new DashboardFeed(await settingsIn(dir), {
      clock: () => now,
      intervalMs: 0,
      slowEveryMs: 1,
      readers: {
        ...readers,
        logs: (t) => failing ? Promise.reject(new Error("disk gone")) : readers.logs(t),
      },
    });
    feed.subscribe(() => {});
    await feed.tick();
    failing = true;
    now += 5;
    const state = await feed.tick();
    assert.equal(state.logs?.errors, 1);
    feed.close();
  });
});

Deno.test("DashboardFeed shows a run 8× slower than usual as a slow_run anomaly; an ordinary history shows none", async () => {
  for (const [slowBy, kinds] of [[8, ["slow_run"]], [1, []]] as const) {
    await withTempDir("feed-anomaly-", async (dir) => {
      const settings = await settingsIn(dir);
      await Deno.mkdir(settings.paths.dataDir, { recursive: true });
      recordRuns(settings.paths.storeFile, 12, slowBy);
      // five minutes after the newest run ended: no interval missed
      const feed = new DashboardFeed(settings, {
        clock: () => (RUNS_T0 + 11 * 600 + 1200) * 1000,
        intervalMs: 0,
        readers: {
          processes: () => Promise.resolve([]),
          logs: () => Promise.reject(new Error("not read in this test")),
          health: () => Promise.reject(new Error("not read in this test")),
        },
      });
      try {
        const state = await feed.current();
        const anomalies = state.extra.anomalies as { kind: string; run_id?: number }[];
        assert.deepEqual(anomalies.map((a) => a.kind), kinds, `slower by ${slowBy}`);
        // the state the page renders, as the SSE stream and /api/state send it
        const wire = JSON.parse(JSON.stringify(state)) as DashboardState;
        assert.deepEqual(
          (wire.extra.anomalies as { kind: string }[]).map((a) => a.kind),
          kinds,
        );
      } finally {
        feed.close();
      }
    });
  }
});
