import assert from "node:assert/strict";
import { captureLogs } from "../_fixtures/logs.ts";
import {
  type OperationSnapshot,
  ProgressBroadcaster,
  type ProgressEvent,
  RATE_CEILING,
} from "../../lib/progress/progress.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);

function setup(options: { enabled?: boolean } = {}) {
  let now = T0;
  const events: ProgressEvent[] = [];
  const broadcaster = new ProgressBroadcaster({
    clock: () => now,
    sessionId: "sess-test",
    ...options,
  });
  broadcaster.addSink({ onEvent: (e) => events.push(e) });
  return { broadcaster, events, advance: (ms: number) => (now += ms) };
}

Deno.test("startOperation() emits operation_start with an unknown total and UTC timestamp", () => {
  const { broadcaster, events } = setup();
  const op = broadcaster.startOperation("sync", "Syncing 7 days", { metadata: { days: 7 } });
  assert.match(op.id, /^sync-20260701-153022-[0-9a-f]{6}$/);
  assert.deepEqual(events, [{
    timestamp: "2026-07-01T15:30:22.000Z",
    type: "operation_start",
    operation_id: op.id,
    operation: "sync",
    session_id: "sess-test",
    message: "Syncing 7 days",
    current: null,
    total: null,
    percentage: null,
    rate: null,
    eta_seconds: null,
    phase: null,
    elapsed_seconds: 0,
    metadata: { days: 7 },
  }]);
});

Deno.test("update() reports a percentage only once the total is known, never above 100", () => {
  const { broadcaster, events, advance } = setup();
  const op = broadcaster.startOperation("sync", "Syncing");
  advance(500);
  op.update("Fetching", { current: 40 });
  advance(500);
  op.update("Fetching", { current: 80, total: 120 });
  op.update("Counting again", { current: 150 });
  const progress = events.filter((e) => e.type === "progress");
  assert.deepEqual(progress.map((e) => [e.current, e.total, e.percentage]), [
    [40, null, null],
    [80, 120, 66.6],
    [150, 120, 100],
  ]);
  assert.equal(progress[0]?.elapsed_seconds, 0.5);
});

Deno.test("startOperation() uses estimatedItems given by the caller as the total", () => {
  const { broadcaster, events } = setup();
  broadcaster.startOperation("sync", "Syncing", { estimatedItems: 1000 });
  assert.equal(events[0]?.total, 1000);
  assert.equal(events[0]?.current, 0);
  assert.equal(events[0]?.percentage, 0);
});

Deno.test("update() keeps extra keys as event metadata and the operation's metadata", () => {
  const { broadcaster, events } = setup();
  const op = broadcaster.startOperation("sync", "Syncing", { metadata: { days: 7 } });
  op.update("Processing batch 3/7", { current: 10, total: 70, batch: 3, batches: 7 });
  assert.deepEqual(events[1]?.metadata, { batch: 3, batches: 7 });
  assert.deepEqual(op.snapshot().metadata, { days: 7, batch: 3, batches: 7 });
  assert.equal(op.snapshot().message, "Processing batch 3/7");
});

Deno.test("update() computes a smoothed rate and an ETA after a second of progress", () => {
  const { broadcaster, events, advance } = setup();
  const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 1000 });
  for (let i = 1; i <= 10; i++) {
    advance(1000);
    op.update("Fetching", { current: i * 20 });
  }
  const last = events.at(-1)!;
  assert.equal(last.rate, 20);
  assert.equal(last.eta_seconds, 40);
  assert.equal(last.elapsed_seconds, 10);
});

Deno.test("several operations run at once, each reporting on its own", () => {
  const { broadcaster, events } = setup();
  const first = broadcaster.startOperation("sync", "first");
  const second = broadcaster.startOperation("index", "second");
  second.update("second moves", { current: 1 });
  second.complete("second done");
  first.update("first moves", { current: 2 });
  first.fail(new RangeError("first broke"));
  second.update("nobody listens");
  assert.deepEqual(
    events.map((e) => [e.operation_id === first.id ? "first" : "second", e.type, e.message]),
    [
      ["first", "operation_start", "first"],
      ["second", "operation_start", "second"],
      ["second", "progress", "second moves"],
      ["second", "operation_complete", "second done"],
      ["first", "progress", "first moves"],
      ["first", "operation_failed", "first broke"],
    ],
  );
  assert.deepEqual(events.at(-1)?.metadata, { error_name: "RangeError" });
  assert.equal(second.snapshot().status, "completed");
  assert.equal(first.snapshot().error, "first broke");
});

Deno.test("an operation ignores calls after it completed", () => {
  const { broadcaster, events } = setup();
  const op = broadcaster.startOperation("sync", "Syncing");
  op.complete("done", { conversations: 3 });
  op.update("late", { current: 5 });
  op.fail(new Error("late"));
  op.complete("again");
  assert.deepEqual(events.map((e) => e.type), ["operation_start", "operation_complete"]);
  assert.deepEqual(events[1]?.metadata, { conversations: 3 });
  broadcaster.heartbeat(); // a completed operation is no longer running: no heartbeat
  assert.equal(events.length, 2);
});

Deno.test("info() and error() emit events without changing counters", () => {
  const { broadcaster, events } = setup();
  const op = broadcaster.startOperation("sync", "Syncing");
  op.update("counting", { current: 3 });
  op.info("Switching to incremental", { since: "2026-06-30" });
  op.error("Page 4 retried", { status: 429 });
  assert.deepEqual(events.slice(2).map((e) => [e.type, e.message, e.current, e.metadata]), [
    ["info", "Switching to incremental", 3, { since: "2026-06-30" }],
    ["error", "Page 4 retried", 3, { status: 429 }],
  ]);
});

Deno.test("heartbeat() emits a heartbeat for each running operation", () => {
  const { broadcaster, events } = setup();
  const a = broadcaster.startOperation("sync", "a");
  broadcaster.startOperation("index", "b");
  a.complete("done");
  events.length = 0;
  broadcaster.heartbeat();
  assert.deepEqual(events.map((e) => [e.type, e.operation]), [["heartbeat", "index"]]);
});

Deno.test("a throwing sink is isolated and logged once", async () => {
  const { broadcaster, events } = setup();
  const sinkEvents: string[] = [];
  broadcaster.addSink({
    onEvent() {
      throw new Error("first bug");
    },
  });
  broadcaster.addSink({
    onEvent() {
      throw new Error("sink bug");
    },
  });
  broadcaster.addSink({ onEvent: (e: ProgressEvent) => sinkEvents.push(e.type) });
  const logs = await captureLogs(() => {
    const op = broadcaster.startOperation("sync", "Syncing");
    for (let i = 1; i <= 5; i++) op.update("step", { current: i });
    op.complete("done");
  });
  assert.equal(events.length, 7);
  assert.equal(sinkEvents.length, 7);
  assert.equal(logs.length, 2);
  assert.deepEqual(logs.map((r) => [r.level, r.properties.error]), [
    ["error", "first bug"],
    ["error", "sink bug"],
  ]);
  assert.deepEqual(logs[0]?.category, ["fast-intercom", "progress"]);
});

Deno.test("a disabled broadcaster calls nothing and hands out one shared no-op handle", () => {
  const { broadcaster, events } = setup({ enabled: false });
  let sinkCalls = 0;
  broadcaster.addSink({ onEvent: () => sinkCalls++ });
  const a = broadcaster.startOperation("sync", "a", { estimatedItems: 10 });
  const b = broadcaster.startOperation("sync", "b");
  a.update("x", { current: 1 });
  a.complete("done");
  broadcaster.heartbeat();
  assert.equal(a, b);
  assert.equal(a.id, "");
  assert.equal(events.length, 0);
  assert.equal(sinkCalls, 0);
});

Deno.test("FASTINTERCOM_PROGRESS_ENABLED=false disables the broadcaster", () => {
  const saved = Deno.env.get("FASTINTERCOM_PROGRESS_ENABLED");
  try {
    Deno.env.set("FASTINTERCOM_PROGRESS_ENABLED", "false");
    assert.equal(new ProgressBroadcaster({ sessionId: "s" }).enabled, false);
    Deno.env.set("FASTINTERCOM_PROGRESS_ENABLED", "true");
    assert.equal(new ProgressBroadcaster({ sessionId: "s" }).enabled, true);
  } finally {
    if (saved === undefined) Deno.env.delete("FASTINTERCOM_PROGRESS_ENABLED");
    else Deno.env.set("FASTINTERCOM_PROGRESS_ENABLED", saved);
  }
});

Deno.test("sinks receive a live view of the operation; snapshot() is a copy", () => {
  const { broadcaster } = setup();
  let view: OperationSnapshot | undefined;
  broadcaster.addSink({ onEvent: (_e, op) => (view ??= op) });
  const op = broadcaster.startOperation("sync", "a");
  const copy = op.snapshot();
  op.update("moving", { current: 9 });
  assert.equal(view?.current, 9);
  assert.equal(copy.current, null);
});

Deno.test("close() closes each sink once, isolating a throwing close", async () => {
  const { broadcaster } = setup();
  let closed = 0;
  broadcaster.addSink({
    onEvent() {},
    close() {
      throw new Error("close bug");
    },
  });
  broadcaster.addSink({ onEvent() {}, close: () => void closed++ });
  const logs = await captureLogs(() => {
    broadcaster.close();
    broadcaster.close();
  });
  assert.equal(closed, 1);
  assert.equal(logs.length, 1);
});

Deno.test("heartbeatIntervalMs emits heartbeats while an operation runs", async () => {
  const events: string[] = [];
  const broadcaster = new ProgressBroadcaster({ sessionId: "s", heartbeatIntervalMs: 5 });
  broadcaster.addSink({ onEvent: (e) => events.push(e.type) });
  const op = broadcaster.startOperation("sync", "a");
  // Real timers: wait for two beats (bounded) rather than a fixed sleep a busy machine can outrun.
  const deadline = Date.now() + 5000;
  while (events.filter((t) => t === "heartbeat").length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  op.complete("done");
  const count = events.filter((t) => t === "heartbeat").length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(count >= 2, `heartbeats: ${count}`);
  assert.equal(events.filter((t) => t === "heartbeat").length, count);
});

Deno.test("update() with a rate ceiling never reports a rate or ETA beyond it", () => {
  const { broadcaster, advance } = setup();
  const op = broadcaster.startOperation("sync", "burst then rate-limited");
  // a burst of 200 items in 2 s (100/s) while the API allows 10/s
  for (let i = 1; i <= 20; i++) {
    advance(100);
    op.update("burst", { current: i * 10, total: 1000, [RATE_CEILING]: 10 });
  }
  const s = op.snapshot();
  assert.equal(s.rate, 10);
  assert.equal(s.eta_seconds, 80, "800 remaining at the ceiling of 10/s");
  assert.equal(s.metadata[RATE_CEILING], 10);
  const free = broadcaster.startOperation("sync", "no ceiling");
  advance(0);
  for (let i = 1; i <= 20; i++) {
    advance(100);
    free.update("burst", { current: i * 10, total: 1000 });
  }
  assert.ok((free.snapshot().rate ?? 0) > 50, "without a ceiling the burst rate shows");
});

/**
 * A sync paced at 167 requests per 10 s: each window, a burst of 167 items in ~1.7 s, then a
 * wait (the phase reporter says so every 500 ms) until the window resets. Returns the ETA after
 * every update and phase tick of six windows.
 */
function rateLimitedWindows(rateLimitedPhase: boolean) {
  const { broadcaster, advance } = setup();
  const op = broadcaster.startOperation("sync", "paced by the rate limit");
  const etas: number[] = [];
  let done = 0;
  for (let window = 0; window < 6; window++) {
    for (let i = 0; i < 167; i++) {
      advance(10);
      op.update("batch", { current: ++done, total: 5000, [RATE_CEILING]: 16.7 });
      if (op.snapshot().eta_seconds !== null) etas.push(op.snapshot().eta_seconds!);
    }
    for (let t = 0; t < 8330; t += 500) {
      advance(500);
      if (rateLimitedPhase) {
        op.phase("waiting for rate limit, resets in 5s", { rateLimited: true });
      } else {
        op.update("batch", { current: done, total: 5000, [RATE_CEILING]: 16.7 });
      }
      if (op.snapshot().eta_seconds !== null) etas.push(op.snapshot().eta_seconds!);
    }
  }
  return etas;
}

Deno.test("phase() with rateLimited: the ETA follows the ceiling and never jumps up at a window", () => {
  const etas = rateLimitedWindows(true).slice(200); // once the first wait was seen
  const rises = etas.slice(1).filter((eta, i) => eta > etas[i]!);
  assert.deepEqual(rises, [], "the ETA only counts down");
  assert.ok(Math.abs(etas.at(-1)! - (5000 - 6 * 167) / 16.7) <= 1, `ETA ${etas.at(-1)}`);
  // the same windows without the wait reported: the ETA swings with bursts and waits
  const blind = rateLimitedWindows(false).slice(200);
  const swing = Math.max(...blind.slice(-100)) - Math.min(...blind.slice(-100));
  assert.ok(swing > 60, `without the wait the ETA swings by ${swing}s`);
});

Deno.test("phase() names the work; nothing left to count is no ETA, not 'ETA 0s'", () => {
  const { broadcaster, events, advance } = setup();
  const op = broadcaster.startOperation("sync", "Syncing");
  for (let i = 1; i <= 10; i++) {
    advance(1000);
    op.update("batch 1", { current: i * 10, total: 100 });
  }
  assert.equal(op.snapshot().percentage, 100);
  assert.equal(op.snapshot().eta_seconds, null, "100%: nothing left to estimate");
  op.phase("fetching 340 contacts for batch 1");
  const last = events.at(-1)!;
  assert.equal(last.type, "progress");
  assert.equal(last.phase, "fetching 340 contacts for batch 1");
  assert.equal(last.eta_seconds, null);
  const count = events.length;
  op.phase("fetching 340 contacts for batch 1");
  assert.equal(events.length, count, "the same phase again is not a new event");
  op.phase(null);
  assert.equal(events.at(-1)!.phase, null);
  op.complete("done");
  assert.equal(op.snapshot().phase, null);
});

Deno.test("update() never says 'ETA 0s' while an item is left", () => {
  const { broadcaster, advance } = setup();
  const op = broadcaster.startOperation("sync", "Syncing");
  for (let i = 1; i <= 10; i++) {
    advance(1000);
    op.update("batch", { current: i * 100 - (i === 10 ? 1 : 0), total: 1000 });
  }
  assert.equal(op.snapshot().eta_seconds, 1, "999 of 1,000 at 100/s: 1s, not 0s");
});
