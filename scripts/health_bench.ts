// deno-lint-ignore-file no-console
/**
 * `debug health` on the 100k store (issue 12's target: ≤ 200 ms at 100,000 conversations,
 * damage detection kept): the checks' own duration in-process (`runHealthChecks`, the JSON's
 * `duration_ms`) and the CLI's wall time from spawn to exit (`debug health --json --no-api`,
 * Deno's start included), median and p95, with the CPU per in-process run and the load average.
 *
 *   deno task bench:health [--runs 30] [--cli-runs 10] [--conversations 100000]
 *
 * The synthetic store is the one of `scripts/store_bench.ts` (built once into its cache,
 * STORE_BENCH_DIR); the health run sees it through a hard link in a data directory beside it,
 * with its own status directory, so no real data is read.
 */
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { loadSettings, runHealthChecks } from "../lib/health/health.ts";
import { percentile } from "./_bench_stats.ts";
import { benchStorePath } from "./store_bench.ts";
import { taskFlags } from "./task_flags.ts";

const TARGET_MS = 200;
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "30" },
    "cli-runs": { type: "string", default: "10" },
    conversations: { type: "string", default: "100000" },
  },
});
const runs = Number(values.runs);
const cliRuns = Number(values["cli-runs"]);
const conversations = Number(values.conversations);
for (
  const [flag, n] of [["--runs", runs], ["--cli-runs", cliRuns], [
    "--conversations",
    conversations,
  ]] as const
) {
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${flag} must be a whole number ≥ 1`);
    Deno.exit(2);
  }
}

/** A data directory whose `data.db` is the cached synthetic store (hard-linked, same disk). */
function dataDirFor(store: string): string {
  const dataDir = join(store, "..", `health-bench-${conversations}`);
  Deno.mkdirSync(join(dataDir, "status"), { recursive: true });
  const linked = join(dataDir, "data.db");
  try {
    Deno.removeSync(linked);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.linkSync(store, linked);
  return dataDir;
}

const store = benchStorePath(conversations);
const dataDir = dataDirFor(store);
const env: Record<string, string> = {
  HOME: dataDir,
  FASTINTERCOM_DATA_DIR: dataDir,
  FASTINTERCOM_STATUS_DIR: join(dataDir, "status"),
};
const envGet = (name: string) => env[name];

const stat = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

const loadBefore = Deno.loadavg();
// in-process: what `debug health` spends on its checks (the JSON's duration_ms)
const durations: number[] = [];
const cpu: number[] = [];
let verdict = "";
for (let i = 0; i < runs + 3; i++) {
  const cpuStart = process.cpuUsage();
  const report = await runHealthChecks(await loadSettings(dataDir, {}, { env: envGet }), {
    api: false,
  });
  const used = process.cpuUsage(cpuStart);
  if (i < 3) continue; // warm-up
  durations.push(report.duration_ms);
  cpu.push((used.user + used.system) / 1000);
  verdict =
    `${report.status} (${report.counts.ok} ok, ${report.counts.warn} warn, ${report.counts.fail} fail)`;
}

// the CLI as users run it, start to exit
const wall: number[] = [];
const cliDurations: number[] = [];
for (let i = 0; i < cliRuns + 1; i++) {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...taskFlags("cli"),
      join(ROOT, "main.ts"),
      "debug",
      "health",
      "--json",
      "--no-api",
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const took = performance.now() - started;
  try {
    const duration = JSON.parse(new TextDecoder().decode(out.stdout)).duration_ms;
    if (i === 0) continue; // warm-up: the first start reads Deno's module cache from disk
    wall.push(took);
    cliDurations.push(duration);
  } catch {
    console.error(
      `debug health printed no JSON (exit ${out.code}): ${new TextDecoder().decode(out.stderr)}`,
    );
    Deno.exit(1);
  }
}
const loadAfter = Deno.loadavg();

const d = stat(durations);
const c = stat(cpu);
const w = stat(wall);
const cd = stat(cliDurations);
console.log(
  `debug health --no-api on ${conversations.toLocaleString("en")} conversations (${store})`,
);
console.log(`verdict: ${verdict}`);
console.log(
  `in-process checks (${runs} runs): median ${ms(d.median)}, p95 ${ms(d.p95)}, max ${ms(d.max)}; ` +
    `CPU median ${ms(c.median)}, p95 ${ms(c.p95)}  → ${
      d.p95 <= TARGET_MS ? "ok" : "MISS"
    } ≤ ${TARGET_MS} ms`,
);
console.log(
  `CLI (${cliRuns} runs): wall median ${ms(w.median)}, p95 ${ms(w.p95)}; its duration_ms median ` +
    `${ms(cd.median)}, p95 ${ms(cd.p95)}`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ` +
    `${loadAfter.map((l) => l.toFixed(2)).join(" ")} (${navigator.hardwareConcurrency} cores)`,
);
