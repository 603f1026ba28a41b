/**
 * Cost of one `/metrics` scrape on a store (target ≤ 20 ms on the 100k store from
 * scripts/make_synthetic_store.ts), with a running sync's record in the status directory
 * (so the status read checks its pid with `ps`), anomalies and rendering included:
 * - "one-shot": a fresh connection per scrape (`monitor metrics`, `--textfile`);
 * - "server, store changing": `monitor serve`/`serve` with their kept read-only connection,
 *   reading the counters every scrape (a running sync changes the store between scrapes);
 * - "server, store unchanged": the previous counters reused (no sync running).
 *
 *   deno run -A scripts/make_synthetic_store.ts /tmp/store100k.db
 *   deno task bench:metrics /tmp/store100k.db [--rounds 30]
 */
// deno-lint-ignore-file no-console
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderMetrics } from "../lib/metrics/exposition.ts";
import { collectMetricsSample, readStoreSample, sampleFromStore } from "../lib/metrics/sample.ts";
import { StoreHandle } from "../lib/metrics/store_reader.ts";
import { currentAnomalyFlags } from "../lib/trends/anomaly_flags.ts";
import { createMetricsText } from "../lib/metrics/endpoint.ts";
import { resolveSettings } from "../lib/config/config.ts";
import { resolvePaths } from "../lib/config/paths.ts";
import { StatusTracker } from "../lib/registry/status_tracker.ts";

const { positionals, values } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { rounds: { type: "string", default: "30" } },
});
const storeFile = positionals[0];
if (!storeFile) {
  console.error("usage: deno task bench:metrics <store.db> [--rounds 30]");
  Deno.exit(2);
}
const rounds = Number(values.rounds);
const dir = Deno.makeTempDirSync({ prefix: "metrics_bench_" });
const env = (name: string) =>
  ({ HOME: dir, FASTINTERCOM_STATUS_DIR: join(dir, "status") } as Record<string, string>)[name];
const paths = { ...resolvePaths({ dataDir: dir, env }), storeFile };
const settings = await resolveSettings(paths, {}, { env, file: null });
const tracker = new StatusTracker({ dir: paths.statusDir, heartbeatIntervalMs: 0 });
const tracked = await tracker.start("sync", "benchmark sync", {
  metadata: { rate_limit_remaining: 80 },
});
tracked.update({ current: 10, total: 100, percentage: 10 });
await tracked.flush();

async function time(label: string, scrape: () => Promise<string>) {
  await scrape(); // warm the page cache and the modules
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await scrape();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
  console.log(`${label.padEnd(30)} median ${q(0.5)} ms  p90 ${q(0.9)} ms  max ${q(1)} ms`);
}

const scrape = (readStore: (path: string) => ReturnType<typeof readStoreSample>) => () =>
  collectMetricsSample(settings, { readStore }).then((s) =>
    renderMetrics(s, { anomalies: currentAnomalyFlags(storeFile) })
  );
const handle = new StoreHandle(storeFile);
console.log(`store ${storeFile}, ${rounds} scrapes each`);
await time("one-shot (fresh connection)", scrape(readStoreSample));
await time("server, store changing", scrape(() => sampleFromStore(handle.get()!)));
await time("server, store unchanged", createMetricsText(settings));
handle.close();
await tracked.complete();
Deno.removeSync(dir, { recursive: true });
