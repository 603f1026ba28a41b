/**
 * Cost of one `update()` call with every sink on: the console (non-terminal, in-memory
 * writer), progress.jsonl in a temp dir, and the status tracker sink.
 * Target: at most 1 µs per call (median).
 *
 *   deno bench -A scripts/progress_bench.ts         Deno.bench table (avg, p75, p99)
 *   deno run -A scripts/progress_bench.ts           median ns/call, measured in rounds
 */

// deno-lint-ignore-file no-console
import { join } from "node:path";
import { ProgressBroadcaster } from "../lib/progress/progress.ts";
import { createConsoleProgressSink } from "../lib/progress/console_sink.ts";
import { createJsonlProgressSink } from "../lib/progress/jsonl_sink.ts";
import { StatusTracker, statusTrackerSink } from "../lib/registry/status_tracker.ts";
import { createTerminal } from "../lib/logging/terminal.ts";

const dir = Deno.makeTempDirSync({ prefix: "progress_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

let written = 0;
const terminal = createTerminal({
  isTTY: false,
  writer: { writeSync: (p) => (written += p.length, p.length) },
});
const tracker = new StatusTracker({ dir: join(dir, "status"), heartbeatIntervalMs: 0 });
const tracked = await tracker.start("bench", "progress benchmark");
const broadcaster = new ProgressBroadcaster({
  enabled: true,
  sessionId: "bench",
  sinks: [
    createConsoleProgressSink({ terminal, quiet: false }),
    createJsonlProgressSink({ path: join(dir, "logs", "progress.jsonl"), sessionId: "bench" }),
    statusTrackerSink(tracked),
  ],
});
const op = broadcaster.startOperation("bench", "update() cost", { estimatedItems: 1e12 });
const disabled = new ProgressBroadcaster({ enabled: false, sessionId: "bench" })
  .startOperation("bench", "disabled");

let counter = 0;
let sink = 0;
const baseline = () => {
  sink += ++counter;
};
const update = () => op.update("working", { current: ++counter });
const updateDisabled = () => disabled.update("working", { current: ++counter });

Deno.bench("empty function", { group: "update", baseline: true }, baseline);
Deno.bench("update() with console, jsonl and status sinks", { group: "update" }, update);
Deno.bench("update() on a disabled broadcaster", { group: "update" }, updateDisabled);

/** Median cost per call in ns over `rounds` rounds of `calls` calls each. */
function medianNs(fn: () => void, rounds = 200, calls = 10_000): number {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    perCall.push(((performance.now() - start) * 1e6) / calls);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(rounds / 2)] ?? Number.NaN;
}

if (import.meta.main) {
  for (
    const [name, fn] of [["empty function", baseline], ["update(), all sinks", update], [
      "update(), disabled",
      updateDisabled,
    ]] as const
  ) {
    medianNs(fn, 20); // warm up
    console.log(`${name.padEnd(22)} ${medianNs(fn).toFixed(0).padStart(6)} ns/call (median)`);
  }
  await tracked.complete();
  console.log(`(${written} bytes of console output, checksum ${sink % 7})`);
}
