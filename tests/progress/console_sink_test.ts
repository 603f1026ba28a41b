import assert from "node:assert/strict";
import { ProgressBroadcaster } from "../../lib/progress/progress.ts";
import { createConsoleProgressSink, formatRate } from "../../lib/progress/console_sink.ts";
import { createTerminal } from "../../lib/logging/terminal.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);

function setup(
  options: { isTTY: boolean; env?: Record<string, string>; quiet?: boolean; columns?: number },
) {
  let now = T0;
  const clock = () => now;
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const terminal = createTerminal({
    isTTY: options.isTTY,
    env: (name) => options.env?.[name],
    columns: () => options.columns ?? 200,
    writer: {
      writeSync(p: Uint8Array) {
        chunks.push(decoder.decode(p));
        return p.length;
      },
    },
  });
  const broadcaster = new ProgressBroadcaster({ clock, sessionId: "sess-test" });
  broadcaster.addSink(
    createConsoleProgressSink({ terminal, clock, quiet: options.quiet ?? false }),
  );
  return { broadcaster, terminal, chunks, advance: (ms: number) => (now += ms) };
}

Deno.test("formatRate() formats items per second for people", () => {
  assert.deepEqual([0.5, 12.34, 99.96, 1234.5].map(formatRate), [
    "0.5/s",
    "12.3/s",
    "100.0/s",
    "1,235/s",
  ]);
});

Deno.test("console sink draws exact live frames on a terminal", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true, env: { NO_COLOR: "1" } });
  const op = broadcaster.startOperation("sync", "Syncing 7 days", { estimatedItems: 1000 });
  for (let second = 1; second <= 35; second++) {
    advance(1000);
    op.update("Processing batch 3/7", { current: second * 12 });
  }
  assert.equal(chunks[0], "sync [----------]    0.0%  0/1,000  elapsed 0s  Syncing 7 days");
  assert.equal(
    chunks.at(-1),
    "\r\x1b[2Ksync [####------]   42.0%  420/1,000  12.0/s  ETA 48s  elapsed 35s  Processing batch 3/7",
  );
  assert.ok(chunks.every((c) => !c.includes("\n")));
  advance(10_000);
  op.complete("Sync completed", { conversations: 420 });
  assert.deepEqual(chunks.slice(-2), [
    "\r\x1b[2K",
    "✓ sync: completed in 45s  420/1,000  Sync completed\n",
  ]);
});

Deno.test("console sink shows an unknown total without a bar and flags missing progress", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true, env: { NO_COLOR: "1" } });
  const op = broadcaster.startOperation("sync", "Listing");
  advance(2000);
  op.update("Page 2", { current: 40 });
  advance(12_000);
  broadcaster.heartbeat();
  assert.deepEqual(chunks, [
    "sync  elapsed 0s  Listing",
    "\r\x1b[2Ksync  40  20.0/s  elapsed 2s  Page 2",
    "\r\x1b[2Ksync  40  elapsed 14s  no progress for 12s  Page 2",
  ]);
});

Deno.test("console sink redraws at most 10 times a second", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true });
  const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 10_000 });
  for (let i = 1; i <= 1000; i++) {
    advance(2); // 500 updates a second for two seconds
    op.update("Fetching", { current: i });
  }
  assert.equal(chunks.length, 1 + 20);
});

Deno.test("console sink prints log lines above the live line", () => {
  const { broadcaster, terminal, chunks, advance } = setup({
    isTTY: true,
    env: { NO_COLOR: "1" },
  });
  const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 10 });
  advance(500);
  op.update("Fetching", { current: 5 });
  terminal.writeLine("INFO fetched page 1");
  assert.deepEqual(chunks.slice(1), [
    "\r\x1b[2Ksync [#####-----]   50.0%  5/10  elapsed 0s  Fetching",
    "\r\x1b[2KINFO fetched page 1\nsync [#####-----]   50.0%  5/10  elapsed 0s  Fetching",
  ]);
});

Deno.test("console sink shows one live line per running operation", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true, env: { NO_COLOR: "1" } });
  const a = broadcaster.startOperation("sync", "Conversations");
  advance(1000);
  broadcaster.startOperation("articles", "Articles", { estimatedItems: 4 });
  assert.equal(
    chunks.at(-1),
    "\r\x1b[2Ksync  elapsed 1s  Conversations\narticles [----------]    0.0%  0/4  elapsed 0s  Articles",
  );
  a.fail(new Error("HTTP 500"));
  assert.deepEqual(chunks.slice(-2), [
    "\r\x1b[2K\x1b[1A\x1b[2Karticles [----------]    0.0%  0/4  elapsed 0s  Articles",
    "\r\x1b[2K✗ sync: failed after 1s  HTTP 500\narticles [----------]    0.0%  0/4  elapsed 0s  Articles",
  ]);
});

Deno.test("console sink uses colour on a colour terminal only", () => {
  const colored = setup({ isTTY: true });
  const op = colored.broadcaster.startOperation("sync", "a", { estimatedItems: 10 });
  colored.advance(200);
  op.update("x", { current: 5 });
  assert.ok(colored.chunks.join("").includes("\x1b[32m#####\x1b[0m"));
  assert.ok(colored.chunks.join("").includes("\x1b[36msync\x1b[0m"));
  const plain = setup({ isTTY: true, env: { NO_COLOR: "1" } });
  plain.broadcaster.startOperation("sync", "a", { estimatedItems: 10 }).update("x", { current: 5 });
  assert.ok(!plain.chunks.join("").includes("\x1b[3"));
});

Deno.test("console sink prints plain lines at start, every 5 s and at the end without a terminal", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: false });
  const op = broadcaster.startOperation("sync", "Syncing 7 days", { estimatedItems: 100 });
  for (let i = 1; i <= 12; i++) {
    advance(1000);
    op.update(`batch ${i}`, { current: i * 5 });
  }
  op.error("page 3 retried after HTTP 429");
  advance(500);
  op.complete("Sync completed");
  assert.deepEqual(chunks, [
    "sync: started  Syncing 7 days\n",
    "sync: 25.0%  25/100  5.0/s  ETA 15s  elapsed 5s  batch 5\n",
    "sync: 50.0%  50/100  5.0/s  ETA 10s  elapsed 10s  batch 10\n",
    "sync: error  page 3 retried after HTTP 429\n",
    "sync: completed in 12s  60/100  Sync completed\n",
  ]);
});

Deno.test("console sink without a terminal repeats an unchanged line only every 30 s", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: false });
  const op = broadcaster.startOperation("sync", "Syncing");
  advance(1000);
  op.update("Waiting for the API", { current: 1 });
  for (let i = 0; i < 40; i++) {
    advance(1000);
    broadcaster.heartbeat();
  }
  assert.deepEqual(chunks, [
    "sync: started  Syncing\n",
    "sync: 1  1.0/s  elapsed 5s  Waiting for the API\n",
    "sync: 1  elapsed 35s  no progress for 34s  Waiting for the API\n",
  ]);
});

Deno.test("console sink with TERM=dumb prints plain lines, never carriage returns", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true, env: { TERM: "dumb" } });
  const op = broadcaster.startOperation("sync", "Syncing");
  for (let i = 1; i <= 20; i++) {
    advance(500);
    op.update("x", { current: i });
  }
  op.complete("done");
  assert.ok(chunks.length >= 3);
  assert.ok(chunks.every((c) => !c.includes("\r") && !c.includes("\x1b")));
});

Deno.test("console sink in quiet mode writes nothing", () => {
  for (const isTTY of [true, false]) {
    const { broadcaster, chunks } = setup({ isTTY, quiet: true });
    const op = broadcaster.startOperation("sync", "Syncing");
    op.update("x", { current: 1 });
    op.complete("done");
    assert.deepEqual(chunks, []);
  }
});

Deno.test("console sink reads FASTINTERCOM_QUIET=true when quiet is not given", () => {
  const saved = Deno.env.get("FASTINTERCOM_QUIET");
  try {
    Deno.env.set("FASTINTERCOM_QUIET", "true");
    const chunks: string[] = [];
    const terminal = createTerminal({
      isTTY: false,
      writer: { writeSync: (p) => chunks.push("x") && p.length },
    });
    const sink = createConsoleProgressSink({ terminal });
    const broadcaster = new ProgressBroadcaster({ sessionId: "s", sinks: [sink] });
    broadcaster.startOperation("sync", "Syncing").complete("done");
    assert.deepEqual(chunks, []);
  } finally {
    if (saved === undefined) Deno.env.delete("FASTINTERCOM_QUIET");
    else Deno.env.set("FASTINTERCOM_QUIET", saved);
  }
});

Deno.test("console sink close() clears the live line", () => {
  const { broadcaster, chunks } = setup({ isTTY: true });
  broadcaster.startOperation("sync", "Syncing");
  broadcaster.close();
  assert.equal(chunks.at(-1), "\r\x1b[2K");
});

Deno.test("console sink shows a phase instead of freezing or 'ETA 0s'", () => {
  const { broadcaster, chunks, advance } = setup({ isTTY: true, env: { NO_COLOR: "1" } });
  const op = broadcaster.startOperation("sync", "Syncing", { estimatedItems: 100 });
  for (let second = 1; second <= 10; second++) {
    advance(1000);
    op.update("batch 1/1", { current: second * 10 });
  }
  advance(1000);
  op.phase("fetching 340 contacts for batch 1");
  assert.equal(
    chunks.at(-1),
    "\r\x1b[2Ksync [##########]  100.0%  100/100  10.0/s  elapsed 11s  fetching 340 contacts for " +
      "batch 1  batch 1/1",
  );
  advance(20_000);
  op.phase("waiting for rate limit, resets in 7s (fetching 340 contacts for batch 1)");
  assert.doesNotMatch(chunks.at(-1)!, /ETA|\/s|no progress for/, "no stale rate either");
  assert.match(chunks.at(-1)!, /elapsed 31s {2}waiting for rate limit, resets in 7s/);
});
