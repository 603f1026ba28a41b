import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import { contact, conversation, part, T0, withStore } from "./_fixtures.ts";

/** Records a finished run of `seconds` that fetched `fetched` conversations. */
function run(
  store: Store,
  status: "completed" | "failed" | "interrupted" | "running",
  seconds: number,
  fetched: number,
  extra: { apiCalls?: number; retries?: number; rateLimited?: number } = {},
): number {
  const id = store.startRun({ mode: "incremental", windowStart: 0, windowEnd: 1, startedAt: T0 });
  const counts = { conversationsFetched: fetched, partsUpserted: fetched * 2, ...extra };
  if (status === "running") store.updateRun(id, counts);
  else store.finishRun(id, { status, finishedAt: T0 + seconds, counts });
  return id;
}

Deno.test("runTotals() sums counters by status, running runs included", async () => {
  await withStore((store) => {
    run(store, "completed", 10, 5, { apiCalls: 7, retries: 1 });
    run(store, "completed", 20, 6, { apiCalls: 8, rateLimited: 2 });
    run(store, "failed", 3, 1, { apiCalls: 4, retries: 3 });
    run(store, "running", 0, 2, { apiCalls: 2 });
    const totals = store.runTotals();
    assert.deepEqual(totals.byStatus.completed, {
      runs: 2,
      conversationsFetched: 11,
      partsUpserted: 22,
      contactsUpserted: 0,
      apiCalls: 15,
      retries: 1,
      rateLimited: 2,
    });
    assert.equal(totals.byStatus.failed.retries, 3);
    assert.equal(totals.byStatus.running.conversationsFetched, 2);
    assert.equal(totals.byStatus.interrupted.runs, 0);
    assert.equal(totals.lastCompletedAt, T0 + 20);
  });
});

Deno.test("runTotals() on an empty store: zeros and no completed run", async () => {
  await withStore((store) => {
    const totals = store.runTotals();
    assert.equal(totals.byStatus.completed.runs, 0);
    assert.equal(totals.lastCompletedAt, null);
  });
});

Deno.test("runBuckets() counts durations cumulatively per status", async () => {
  await withStore((store) => {
    for (const seconds of [1, 4, 5, 50, 500]) run(store, "completed", seconds, 10);
    run(store, "failed", 2, 0);
    run(store, "running", 0, 0);
    const b = store.runBuckets("duration_seconds", { status: "completed", bounds: [1, 5, 60] });
    assert.deepEqual(b, { bounds: [1, 5, 60], cumulative: [1, 3, 4], sum: 560, count: 5 });
    const failed = store.runBuckets("duration_seconds", { status: "failed", bounds: [1, 5] });
    assert.deepEqual(failed.cumulative, [0, 1]);
    assert.equal(failed.count, 1);
  });
});

Deno.test("runBuckets() measures throughput and leaves out zero-second runs", async () => {
  await withStore((store) => {
    run(store, "completed", 10, 100); // 10/s
    run(store, "completed", 4, 2); // 0.5/s
    run(store, "completed", 0, 9); // no rate
    const b = store.runBuckets("conversations_per_second", {
      status: "completed",
      bounds: [0.5, 5, 20],
    });
    assert.deepEqual(b, { bounds: [0.5, 5, 20], cumulative: [1, 1, 2], sum: 10.5, count: 2 });
  });
});

Deno.test("runBuckets() refuses a bound that is not finite", async () => {
  await withStore((store) => {
    assert.throws(
      () => store.runBuckets("duration_seconds", { status: "completed", bounds: [Infinity] }),
      RangeError,
    );
  });
});

Deno.test("rowCounts() counts conversations, parts and contacts", async () => {
  await withStore((store) => {
    store.upsertConversation(
      conversation({ id: "c1", parts: [part({ id: "p1" }), part({ id: "p2" })] }),
      T0,
    );
    store.upsertContacts([contact("u1", "a@example.com")]);
    const counts = store.rowCounts();
    assert.equal(counts.conversations, 1);
    assert.equal(counts.parts, store.stats().parts);
    assert.equal(counts.contacts, 1);
    assert.ok(counts.sizeBytes > 0);
  });
});

Deno.test("apiRequestTotals() sums every run's requests by endpoint and status", async () => {
  await withStore((store) => {
    const a = store.startRun({ mode: "full", windowStart: 0, windowEnd: 1, startedAt: T0 });
    store.updateRun(a, { apiCalls: 3 }, { "GET /conversations/{id}": { "200": 2, "429": 1 } });
    store.finishRun(a, {
      status: "completed",
      finishedAt: T0 + 5,
      apiRequests: { "GET /conversations/{id}": { "200": 5, "429": 1 }, "GET /me": { "200": 1 } },
    });
    const b = store.startRun({ mode: "incremental", windowStart: 0, windowEnd: 1, startedAt: T0 });
    store.updateRun(b, {}, { "GET /conversations/{id}": { "200": 4, timeout: 1 } });
    assert.deepEqual(store.apiRequestTotals(), [
      { endpoint: "GET /conversations/{id}", status: "200", count: 9 },
      { endpoint: "GET /conversations/{id}", status: "429", count: 1 },
      { endpoint: "GET /conversations/{id}", status: "timeout", count: 1 },
      { endpoint: "GET /me", status: "200", count: 1 },
    ]);
  });
});
