import assert from "node:assert/strict";
import { StoreError } from "../../lib/errors.ts";
import { T0, withStore } from "./_fixtures.ts";

Deno.test("startRun() records a running run and finishRun() closes it with its counts", async () => {
  await withStore((store) => {
    const id = store.startRun({
      mode: "incremental",
      windowStart: T0 - 3600,
      windowEnd: T0,
      startedAt: T0,
      processId: "4242",
      sessionId: "sess-1",
    });
    assert.equal(store.lastRuns(1)[0]?.status, "running");
    store.updateRun(id, { conversationsSeen: 10, apiCalls: 3 });
    store.updateRun(id, { conversationsSeen: 25 });
    store.finishRun(id, {
      status: "completed",
      finishedAt: T0 + 60,
      counts: { conversationsFetched: 20, conversationsSkipped: 5, partsUpserted: 200, retries: 1 },
    });
    assert.deepEqual(store.lastRuns(1)[0], {
      id,
      mode: "incremental",
      windowStart: T0 - 3600,
      windowEnd: T0,
      startedAt: T0,
      finishedAt: T0 + 60,
      status: "completed",
      error: null,
      processId: "4242",
      sessionId: "sess-1",
      conversationsSeen: 25,
      conversationsFetched: 20,
      conversationsSkipped: 5,
      partsUpserted: 200,
      contactsUpserted: 0,
      apiCalls: 3,
      retries: 1,
      rateLimited: 0,
    });
    assert.equal(store.lastCompletedRun()?.id, id);
    assert.equal(store.coverage().lastCompletedRunAt, T0 + 60);
  });
});

Deno.test("finishRun() keeps a failure's error and lastCompletedRun() skips it", async () => {
  await withStore((store) => {
    const ok = store.startRun({ mode: "full", windowStart: null, windowEnd: T0, startedAt: T0 });
    store.finishRun(ok, { status: "completed", finishedAt: T0 + 1 });
    const bad = store.startRun({
      mode: "incremental",
      windowStart: T0,
      windowEnd: T0 + 9,
      startedAt: T0 + 5,
    });
    store.finishRun(bad, { status: "failed", finishedAt: T0 + 9, error: "API returned 500" });
    assert.deepEqual(store.lastRuns().map((r) => [r.id, r.status, r.error]), [
      [bad, "failed", "API returned 500"],
      [ok, "completed", null],
    ]);
    assert.equal(store.lastCompletedRun()?.id, ok);
    assert.equal(store.lastRuns(1).length, 1);
  });
});

Deno.test("updateRun() and finishRun() reject an unknown run id", async () => {
  await withStore((store) => {
    assert.throws(() => store.updateRun(99, { apiCalls: 1 }), StoreError);
    assert.throws(
      () => store.finishRun(99, { status: "completed", finishedAt: T0 }),
      /no sync run with id 99/,
    );
  });
});

Deno.test("markAbandonedRuns() marks every running run crashed and returns them", async () => {
  await withStore((store) => {
    const a = store.startRun({
      mode: "full",
      windowStart: null,
      windowEnd: null,
      startedAt: T0,
      processId: "sync-a",
    });
    const b = store.startRun({ mode: "full", windowStart: null, windowEnd: null, startedAt: T0 });
    store.finishRun(b, { status: "completed", finishedAt: T0 + 1 });
    const marked = store.markAbandonedRuns(T0 + 100);
    assert.deepEqual(marked.map((r) => [r.id, r.status, r.processId]), [[a, "crashed", "sync-a"]]);
    const run = store.lastRuns().find((r) => r.id === a);
    assert.equal(run?.status, "crashed");
    assert.equal(run?.finishedAt, T0 + 100);
    assert.match(run?.error ?? "", /ended without finishing the run \(killed or crashed\)/);
    assert.deepEqual(store.markAbandonedRuns(T0 + 200), []);
  });
});

Deno.test("finishRun() as interrupted is the user's stop, not a crash", async () => {
  await withStore((store) => {
    const a = store.startRun({ mode: "full", windowStart: null, windowEnd: null, startedAt: T0 });
    store.finishRun(a, {
      status: "interrupted",
      finishedAt: T0 + 5,
      error: "interrupted by the user",
    });
    const run = store.lastRuns()[0]!;
    assert.equal(run.status, "interrupted");
    assert.equal(run.error, "interrupted by the user");
  });
});

Deno.test("setCheckpoint() round-trips JSON and completeCursor() clears it atomically", async () => {
  await withStore((store) => {
    assert.deepEqual(store.syncState(), {
      cursor: null,
      checkpoint: null,
      updatedAt: null,
      searchUnsortedAt: null,
    });
    const checkpoint = { windowStart: T0, resumeFrom: T0 + 30, seen: ["a", "b"] };
    store.setCheckpoint(checkpoint);
    assert.deepEqual(store.syncState(), {
      cursor: null,
      checkpoint,
      updatedAt: T0,
      searchUnsortedAt: null,
    });
    store.completeCursor(T0 + 600);
    assert.deepEqual(store.syncState(), {
      cursor: T0 + 600,
      checkpoint: null,
      updatedAt: T0,
      searchUnsortedAt: null,
    });
    store.setCheckpoint({ resumeFrom: 1 });
    store.setCheckpoint(null);
    assert.equal(store.syncState().checkpoint, null);
    assert.equal(store.syncState().cursor, T0 + 600);
    assert.equal(store.coverage().cursor, T0 + 600);
  });
});

Deno.test("completeCursor() inside a failed transaction leaves the old cursor and checkpoint", async () => {
  await withStore((store) => {
    store.completeCursor(T0);
    store.setCheckpoint({ resumeFrom: T0 + 5 });
    assert.throws(() =>
      store.transaction(() => {
        store.completeCursor(T0 + 100);
        throw new Error("finishRun failed");
      }), /finishRun failed/);
    assert.deepEqual(store.syncState().cursor, T0);
    assert.deepEqual(store.syncState().checkpoint, { resumeFrom: T0 + 5 });
  });
});

Deno.test("markSearchUnsorted() remembers the disorder and moves a later checkpoint back", async () => {
  await withStore((store) => {
    store.setCheckpoint({ version: 1, resumeFrom: T0 + 500, windowStart: T0 });
    store.markSearchUnsorted(T0 + 100);
    assert.equal(store.syncState().searchUnsortedAt, T0);
    assert.equal((store.syncState().checkpoint as { resumeFrom: number }).resumeFrom, T0 + 100);
    store.markSearchUnsorted(T0 + 300);
    assert.equal(
      (store.syncState().checkpoint as { resumeFrom: number }).resumeFrom,
      T0 + 100,
      "never forward",
    );
  });
});
