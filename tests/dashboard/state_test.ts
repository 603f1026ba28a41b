import assert from "node:assert/strict";
import { join } from "node:path";
import { readLogActivity, readProcesses, readStore } from "../../lib/dashboard/state.ts";
import { Store } from "../../lib/store/store.ts";
import { StoreHandle } from "../../lib/metrics/store_reader.ts";
import { processRecord, settingsIn, withTempDir } from "../_fixtures/fs.ts";

const line = (timestamp: string, level: string, component: string, message: string) =>
  JSON.stringify({ timestamp, level, component, message, session_id: "s" });

Deno.test("readLogActivity() counts the window's warnings and errors by category", async () => {
  await withTempDir("state-", async (dir) => {
    const now = Date.parse("2026-07-01T12:00:00.000Z");
    await Deno.writeTextFile(
      join(dir, "main.log"),
      [
        line("2026-07-01T10:00:00.000Z", "error", "sync", "old, outside the window"),
        line("2026-07-01T11:30:00.000Z", "warning", "api", "Retrying GET /me after HTTP 500"),
        line("2026-07-01T11:40:00.000Z", "error", "store", "database is locked"),
        line("2026-07-01T11:50:00.000Z", "info", "sync", "fine"),
      ].join("\n") + "\n",
    );
    const a = await readLogActivity(dir, now, 3600);
    assert.equal(a.errors, 1);
    assert.equal(a.warnings, 1);
    assert.equal(Object.values(a.by_category).reduce((n, c) => n + c.errors + c.warnings, 0), 2);
    assert.equal(a.newest[0]!.message, "database is locked", "newest first");
    assert.deepEqual(await readLogActivity(join(dir, "none"), now), {
      window_seconds: 3600,
      errors: 0,
      warnings: 0,
      by_category: {},
      newest: [],
    });
  });
});

Deno.test("readStore() gives runs with duration and rate, totals, and counts on request", async () => {
  await withTempDir("state-", (dir) => {
    const path = join(dir, "store.db");
    using handle = new StoreHandle(path);
    assert.deepEqual(readStore(handle, { counts: true }).runs, []);
    const store = Store.open(path);
    const id = store.startRun({ mode: "full", windowStart: 0, windowEnd: 1, startedAt: 100 });
    store.finishRun(id, {
      status: "completed",
      finishedAt: 120,
      counts: { conversationsFetched: 40, apiCalls: 50, rateLimited: 2 },
    });
    store.close();
    const read = readStore(handle, { counts: false });
    assert.equal(read.counts, null);
    assert.equal(read.runs[0]!.duration_seconds, 20);
    assert.equal(read.runs[0]!.conversations_per_second, 2);
    assert.deepEqual(read.totals, {
      conversations_fetched: 40,
      api_calls: 50,
      rate_limited: 2,
      retries: 0,
    });
    assert.equal(readStore(handle, { counts: true }).counts?.conversations, 0);
  });
});

Deno.test("readProcesses() flags a process without heartbeat as stalled", async () => {
  await withTempDir("state-", async (dir) => {
    const settings = await settingsIn(dir);
    await Deno.mkdir(settings.paths.statusDir, { recursive: true });
    const stale = new Date(Date.now() - 600_000).toISOString();
    const record = processRecord("sync-x", { last_heartbeat: stale });
    await Deno.writeTextFile(
      join(settings.paths.statusDir, "active_processes.json"),
      JSON.stringify({ "sync-x": record }),
    );
    const [p] = await readProcesses(settings, Date.now());
    assert.equal(p?.alert, "stalled");
  });
});
