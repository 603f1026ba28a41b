import assert from "node:assert/strict";
import { join } from "node:path";
import { captureLogs } from "../_fixtures/logs.ts";
import { ProgressBroadcaster } from "../../lib/progress/progress.ts";
import {
  createJsonlProgressSink,
  parseProgressLine,
  ProgressEventSchema,
  ProgressVersionRecordSchema,
} from "../../lib/progress/jsonl_sink.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);

function setup(dir: string, options: { enabled?: boolean } = {}) {
  let now = T0;
  const clock = () => now;
  const path = join(dir, "progress.jsonl");
  const sink = createJsonlProgressSink({ path, clock, sessionId: "sess-test" });
  const broadcaster = new ProgressBroadcaster({
    clock,
    sessionId: "sess-test",
    sinks: [sink],
    ...options,
  });
  const lines = () => Deno.readTextFileSync(path).trimEnd().split("\n").map((l) => JSON.parse(l));
  return { broadcaster, sink, path, lines, advance: (ms: number) => (now += ms) };
}

Deno.test("progress.jsonl starts with a version record and every line validates", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const { broadcaster, lines, advance } = setup(dir);
    const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 10 });
    for (let i = 1; i <= 10; i++) {
      advance(1000);
      op.update(`batch ${i}`, { current: i, batch: i });
    }
    op.info("halfway");
    op.error("retrying page 3", { status: 429 });
    op.complete("done", { conversations: 10 });
    const all = lines();
    assert.deepEqual(all[0], {
      type: "version",
      version: 1,
      session_id: "sess-test",
      timestamp: "2026-07-01T15:30:22.000Z",
      pid: Deno.pid,
    });
    ProgressVersionRecordSchema.parse(all[0]);
    for (const line of all.slice(1)) ProgressEventSchema.parse(line);
    assert.deepEqual(all.slice(1).map((l) => l.type), [
      "operation_start",
      ...Array(10).fill("progress"),
      "info",
      "error",
      "operation_complete",
    ]);
    assert.equal(all.at(-1).elapsed_seconds, 10);
  });
});

Deno.test("progress.jsonl keeps at most 4 progress events a second per operation", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const { broadcaster, lines, advance } = setup(dir);
    const a = broadcaster.startOperation("sync", "a", { estimatedItems: 1000 });
    const b = broadcaster.startOperation("articles", "b");
    for (let i = 1; i <= 200; i++) {
      advance(10); // 100 updates a second for two seconds, on each operation
      a.update("a", { current: i });
      b.update("b", { current: i });
    }
    a.complete("a done");
    const events = lines().slice(1);
    const progressOf = (id: string) =>
      events.filter((e) => e.operation_id === id && e.type === "progress");
    assert.ok(progressOf(a.id).length <= 9, `a: ${progressOf(a.id).length}`);
    assert.ok(progressOf(b.id).length <= 8, `b: ${progressOf(b.id).length}`);
    // the last state is written before the completion
    assert.equal(progressOf(a.id).at(-1).current, 200);
    assert.equal(events.at(-1).type, "operation_complete");
  });
});

Deno.test("close() writes throttled events that were still pending", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const { broadcaster, lines, advance } = setup(dir);
    const op = broadcaster.startOperation("sync", "a");
    advance(10);
    op.update("a", { current: 7 });
    assert.equal(lines().length, 2);
    broadcaster.close();
    assert.equal(lines().at(-1).current, 7);
  });
});

Deno.test("the sink writes progress.jsonl and nothing else (no status.json beside it)", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const { broadcaster, sink } = setup(dir);
    const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 100 });
    op.update("moving", { current: 10 });
    op.fail(new Error("boom"));
    sink.close?.();
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["progress.jsonl"]);
  });
});

Deno.test("two writers share one progress.jsonl, each starting with its version record", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const first = setup(dir);
    const second = setup(dir);
    first.broadcaster.startOperation("sync", "a").complete("done");
    second.broadcaster.startOperation("serve", "b").complete("done");
    const all = first.lines();
    assert.deepEqual(all.map((l) => l.type), [
      "version",
      "operation_start",
      "operation_complete",
      "version",
      "operation_start",
      "operation_complete",
    ]);
    first.sink.close?.();
    second.sink.close?.();
  });
});

Deno.test("a disabled broadcaster creates no progress files", async () => {
  await withTempDir("progress_jsonl_test_", (dir) => {
    const { broadcaster } = setup(dir, { enabled: false });
    broadcaster.startOperation("sync", "a").update("x", { current: 1 });
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("parseProgressLine() accepts known records and rejects anything else", () => {
  const event = {
    timestamp: "2026-07-01T15:30:22.000Z",
    type: "progress",
    operation_id: "sync-1",
    operation: "sync",
    session_id: "s",
    message: "m",
    current: 1,
    total: null,
    percentage: null,
    rate: null,
    eta_seconds: null,
    phase: null,
    elapsed_seconds: 1,
    metadata: {},
  };
  assert.deepEqual(parseProgressLine(JSON.stringify(event)), event);
  assert.equal(parseProgressLine("{not json"), null);
  assert.equal(parseProgressLine(JSON.stringify({ ...event, percentage: 120 })), null);
  assert.equal(
    parseProgressLine(JSON.stringify({ ...event, timestamp: "2026-07-01 15:30" })),
    null,
  );
  assert.equal(parseProgressLine(JSON.stringify({ ...event, type: "sync_progress" })), null);
});

Deno.test("an unwritable progress.jsonl is reported once and then left alone", async () => {
  await withTempDir("progress_jsonl_test_", async (dir) => {
    const notADir = join(dir, "file");
    await Deno.writeTextFile(notADir, "");
    const seen: string[] = [];
    const records = await captureLogs(() => {
      const broadcaster = new ProgressBroadcaster({
        sessionId: "s",
        sinks: [createJsonlProgressSink({ path: join(notADir, "logs", "progress.jsonl") })],
      });
      broadcaster.addSink({ onEvent: (e) => seen.push(e.type) });
      const op = broadcaster.startOperation("sync", "a");
      op.update("x", { current: 1 });
      op.complete("done");
    });
    assert.deepEqual(seen, ["operation_start", "progress", "operation_complete"]);
    assert.equal(records.length, 1);
    assert.match(String(records[0]?.rawMessage), /^A progress sink threw/);
  });
});

Deno.test("rotateIfLarge() shifts a full progress.jsonl and keeps maxFiles generations", async () => {
  const { rotateIfLarge } = await import("../../lib/progress/jsonl_sink.ts");
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/progress.jsonl`;
    assert.equal(rotateIfLarge(path, 10, 3), false, "no file, nothing to do");
    await Deno.writeTextFile(path, "small\n");
    assert.equal(rotateIfLarge(path, 100, 3), false);
    for (const gen of ["a", "b", "c", "d"]) {
      await Deno.writeTextFile(path, `${gen}`.repeat(200));
      assert.equal(rotateIfLarge(path, 100, 3), true);
    }
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["progress.jsonl.1", "progress.jsonl.2", "progress.jsonl.3"]);
    assert.ok((await Deno.readTextFile(`${path}.1`)).startsWith("d"));
    assert.ok((await Deno.readTextFile(`${path}.3`)).startsWith("b"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
