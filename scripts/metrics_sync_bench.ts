// deno-lint-ignore-file no-console
/**
 * What Prometheus scraping costs a sync: `sync --all` against the simulator (its own process),
 * alone and while `monitor serve` (its own process, prom-client loaded) is scraped at /metrics
 * every second, as a Prometheus with `scrape_interval: 1s` would. Runs alternate (A, B, A, B, …)
 * so drift on a shared machine hits both alike. Prints per arm the median of the sync's own CPU
 * time per conversation (user + system, from the shell's `times`: robust to other processes'
 * load, unlike throughput) and of its conversations/s; and the CPU `monitor serve` used per
 * scrape and per second of sync (what it can take from the sync on a busy machine).
 *
 *   deno run -A scripts/metrics_sync_bench.ts [--rounds 4] [--conversations 3000] [--every 1000]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { firstLine, processCpuSeconds, ROOT, sandboxEnv, spawnCli } from "./_bench_processes.ts";
import { taskFlags } from "./task_flags.ts";

const PERMS = taskFlags("cli");
const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "4" },
    conversations: { type: "string", default: "3000" },
    every: { type: "string", default: "1000" },
  },
});
const everyMs = Number(values.every);

/** `sync --all --json` under bash, whose `times` reports the sync's own CPU on stderr. */
async function timedSync(env: Record<string, string>) {
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      '"$@"; code=$?; times >&2; exit $code',
      "bash",
      Deno.execPath(),
      "run",
      ...PERMS,
      join(ROOT, "main.ts"),
      "--quiet",
      "sync",
      "--all",
      "--json",
    ],
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) throw new Error(`sync failed: ${stderr.slice(-5).join("\n")}`);
  // the last line of `times`: the children's user and system time, e.g. "0m2.310s 0m0.402s"
  const seconds = [...(stderr.at(-1) ?? "").matchAll(/(\d+)m([\d.]+)s/g)]
    .map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`no CPU times in: ${stderr.at(-1)}`);
  const summary = JSON.parse(new TextDecoder().decode(out.stdout));
  return {
    cpu: seconds[0]! + seconds[1]!,
    fetched: summary.conversations_fetched as number,
    rate: summary.conversations_per_second as number,
    seconds: summary.duration_seconds as number,
  };
}

const sim = spawnCli(
  ["simulate", "--port", "0", "--conversations", values.conversations!],
  {},
  "piped",
);
const simUrl = (await firstLine(sim)).trim();

interface Arm {
  cpuPerConversationMs: number[];
  rate: number[];
}
const alone: Arm = { cpuPerConversationMs: [], rate: [] };
const scraped: Arm = { cpuPerConversationMs: [], rate: [] };
const server = { cpu: 0, scrapes: 0, seconds: 0, scrapeMs: [] as number[] };

async function oneSync(scrape: boolean): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "metrics_sync_bench_" });
  const env = sandboxEnv(dir, simUrl);
  let monitor: Deno.ChildProcess | null = null;
  let scraping: Promise<void> = Promise.resolve();
  let stop = false;
  let scrapes = 0;
  if (scrape) {
    monitor = spawnCli(["monitor", "serve", "--port", "0"], env, "piped");
    const url = /Monitor at (\S+) /.exec(await firstLine(monitor))![1]!;
    scraping = (async () => {
      while (!stop) {
        const started = performance.now();
        const res = await fetch(`${url}/metrics`);
        const text = await res.text();
        if (res.status !== 200 || !text.includes("fast_intercom_")) {
          throw new Error(`scrape answered ${res.status}`);
        }
        server.scrapeMs.push(performance.now() - started);
        scrapes++;
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }
  const cpuBefore = monitor ? (await processCpuSeconds(monitor.pid)) ?? 0 : 0;
  const sync = await timedSync(env);
  const cpuAfter = monitor ? (await processCpuSeconds(monitor.pid)) ?? 0 : 0;
  stop = true;
  await scraping;
  if (monitor) {
    monitor.kill("SIGINT");
    await monitor.status;
    await monitor.stdout.cancel().catch(() => {});
    server.cpu += cpuAfter - cpuBefore;
    server.scrapes += scrapes;
    server.seconds += sync.seconds;
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const arm = scrape ? scraped : alone;
  arm.cpuPerConversationMs.push((sync.cpu * 1000) / sync.fetched);
  arm.rate.push(sync.rate);
  console.log(
    `${scrape ? "scraped" : "alone  "}: ${sync.fetched} conversations in ${
      sync.seconds.toFixed(1)
    } s, ${sync.rate.toFixed(1)}/s, sync CPU ${sync.cpu.toFixed(2)} s = ${
      ((sync.cpu * 1000) / sync.fetched).toFixed(3)
    } ms/conversation${scrape ? `, ${scrapes} scrapes` : ""}`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const loadBefore = Deno.loadavg();
for (let i = 0; i < Number(values.rounds); i++) {
  await oneSync(false);
  await oneSync(true);
}
const loadAfter = Deno.loadavg();
const ca = median(alone.cpuPerConversationMs);
const cb = median(scraped.cpuPerConversationMs);
const ra = median(alone.rate);
const rb = median(scraped.rate);
console.log(
  `sync CPU per conversation, median: alone ${ca.toFixed(3)} ms, scraped every ${everyMs} ms ` +
    `${cb.toFixed(3)} ms (${(((cb - ca) / ca) * 100).toFixed(1)} %)`,
);
console.log(
  `sync conversations/s, median: alone ${ra.toFixed(1)}, scraped ${rb.toFixed(1)} (${
    (((ra - rb) / ra) * 100).toFixed(1)
  } % slower)`,
);
console.log(
  `monitor serve: ${server.scrapes} scrapes, ${server.cpu.toFixed(2)} CPU-s over ${
    server.seconds.toFixed(1)
  } s of scraped syncs = ${((server.cpu / server.seconds) * 100).toFixed(2)} % of one core, ${
    ((server.cpu * 1000) / Math.max(1, server.scrapes)).toFixed(1)
  } CPU-ms per scrape (idle work included); scrape latency median ${
    median(server.scrapeMs).toFixed(1)
  } ms`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${
    loadAfter.map((l) => l.toFixed(2)).join(" ")
  }`,
);
sim.kill("SIGINT");
await sim.status;
await sim.stdout.cancel().catch(() => {});
