import assert from "node:assert/strict";
import { join } from "node:path";
import { ALL_LINES, buildLogFilter, type LogFilter } from "../../lib/logs/filter.ts";
import { type LiveRecord, watchProcessOutput } from "../../lib/logs/live.ts";
import { StatusTracker } from "../../lib/registry/status_tracker.ts";

function logLine(session: string, component: string, message: string): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level: "info",
    component,
    message,
    session_id: session,
    pid: 1,
  }) + "\n";
}

function progressLine(session: string, message: string): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    type: "progress",
    operation_id: "op-1",
    operation: "sync",
    session_id: session,
    message,
    current: 5,
    total: 10,
    percentage: 50,
    rate: 2.5,
    eta_seconds: 2,
    elapsed_seconds: 2,
    metadata: {},
  }) + "\n";
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function watch(
  filter: LogFilter,
  all: boolean,
  act: (dirs: { logDir: string; statusDir: string; tracker: StatusTracker }) => Promise<void>,
): Promise<string[]> {
  const root = await Deno.makeTempDir({ prefix: "log-live-" });
  const logDir = join(root, "logs");
  const statusDir = join(root, "status");
  await Deno.mkdir(logDir);
  await Deno.writeTextFile(join(logDir, "main.log"), "");
  await Deno.writeTextFile(join(logDir, "progress.jsonl"), "");
  const tracker = new StatusTracker({ dir: statusDir, heartbeatIntervalMs: 0 });
  const controller = new AbortController();
  const seen: string[] = [];
  const describe = (r: LiveRecord) =>
    r.kind === "log" ? `log ${r.entry.message}` : `progress ${r.event.message}`;
  const reader = (async () => {
    const stream = watchProcessOutput({
      logDir,
      statusDir,
      filter,
      signal: controller.signal,
      all,
    });
    for await (const records of stream) seen.push(...records.map(describe));
  })();
  try {
    await wait(50);
    await act({ logDir, statusDir, tracker });
    await wait(150);
  } finally {
    controller.abort();
    await reader;
    await Deno.remove(root, { recursive: true });
  }
  return seen;
}

Deno.test("watchProcessOutput() merges logs and progress of running processes only", async () => {
  const seen = await watch(ALL_LINES, false, async ({ logDir, tracker }) => {
    const running = await tracker.start("sync", "test sync", { sessionId: "sess-run" });
    await Deno.writeTextFile(join(logDir, "main.log"), logLine("sess-other", "api", "not ours"), {
      append: true,
    });
    await Deno.writeTextFile(join(logDir, "main.log"), logLine("sess-run", "sync", "ours"), {
      append: true,
    });
    await wait(60);
    await Deno.writeTextFile(join(logDir, "progress.jsonl"), progressLine("sess-run", "page 1"), {
      append: true,
    });
    await wait(60);
    await running.complete();
  });
  assert.deepEqual(seen, ["log ours", "progress page 1"]);
});

Deno.test("watchProcessOutput() filters by component; progress events count as their operation", async () => {
  const filter = buildLogFilter({ component: ["sync"] });
  const seen = await watch(filter, false, async ({ logDir, tracker }) => {
    const running = await tracker.start("sync", "test sync", { sessionId: "sess-run" });
    await Deno.writeTextFile(
      join(logDir, "main.log"),
      logLine("sess-run", "api", "api line") + logLine("sess-run", "sync", "sync line"),
      { append: true },
    );
    await wait(60);
    await Deno.writeTextFile(join(logDir, "progress.jsonl"), progressLine("sess-run", "page 2"), {
      append: true,
    });
    await wait(60);
    await running.complete();
  });
  assert.deepEqual(seen, ["log sync line", "progress page 2"]);
});

Deno.test("watchProcessOutput() with all keeps every process's lines", async () => {
  const seen = await watch(ALL_LINES, true, async ({ logDir }) => {
    await Deno.writeTextFile(join(logDir, "main.log"), logLine("sess-x", "cli", "anyone"), {
      append: true,
    });
  });
  assert.deepEqual(seen, ["log anyone"]);
});
