import assert from "node:assert/strict";
import { join } from "node:path";
import {
  collectMetricsSample,
  processStates,
  rateLimitRemaining,
  readStoreSample,
} from "../../lib/metrics/sample.ts";
import { Store } from "../../lib/store/store.ts";
import { deadPid, processRecord, settingsIn, withTempDir } from "../_fixtures/fs.ts";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

Deno.test("processStates() counts each process once: running, no_progress, stalled, crashed", () => {
  const records = [
    processRecord("a", { last_heartbeat: ago(1), last_progress: ago(1) }),
    processRecord("b", { last_heartbeat: ago(1), last_progress: ago(300) }),
    processRecord("c", { status: "stalled", last_heartbeat: ago(300) }),
    processRecord("d", { status: "crashed" }),
    processRecord("e", { last_heartbeat: ago(2), last_progress: null }),
  ];
  assert.deepEqual(processStates(records, NOW, 60), {
    running: 2,
    no_progress: 1,
    stalled: 1,
    crashed: 1,
  });
});

Deno.test("rateLimitRemaining() takes the lowest number running processes recorded", () => {
  assert.equal(rateLimitRemaining([]), null);
  assert.equal(
    rateLimitRemaining([
      processRecord("a", { metadata: { rate_limit_remaining: 40 } }),
      processRecord("b", { metadata: { rate_limit_remaining: 12 } }),
      processRecord("c", { status: "crashed", metadata: { rate_limit_remaining: 1 } }),
      processRecord("d", { metadata: { rate_limit_remaining: "7" } }),
    ]),
    12,
  );
});

Deno.test("readStoreSample() is null without a store and for a file that is not one", async () => {
  await withTempDir("metrics-", async (dir) => {
    assert.equal(readStoreSample(join(dir, "none.db")), null);
    await Deno.writeTextFile(join(dir, "bad.db"), "not a database");
    assert.equal(readStoreSample(join(dir, "bad.db")), null);
  });
});

Deno.test("collectMetricsSample() reads the store and the status directory", async () => {
  await withTempDir("metrics-", async (dir) => {
    const settings = await settingsIn(dir);
    const store = Store.open(settings.paths.storeFile);
    const id = store.startRun({ mode: "full", windowStart: 0, windowEnd: 1, startedAt: 100 });
    store.finishRun(id, { status: "completed", finishedAt: 130, counts: { apiCalls: 9 } });
    store.close();
    await Deno.mkdir(settings.paths.statusDir, { recursive: true });
    const crashed = processRecord("sync-1", { pid: await deadPid() });
    await Deno.writeTextFile(
      join(settings.paths.statusDir, "active_processes.json"),
      JSON.stringify({ [crashed.process_id]: crashed }),
    );
    const sample = await collectMetricsSample(settings);
    assert.equal(sample.store?.runs.byStatus.completed.runs, 1);
    assert.equal(sample.store?.runs.byStatus.completed.apiCalls, 9);
    assert.equal(sample.store?.durations.completed.sum, 30);
    assert.equal(sample.processes.crashed, 1);
  });
});
