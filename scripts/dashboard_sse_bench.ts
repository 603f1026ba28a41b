// deno-lint-ignore-file no-console
/**
 * What watching costs a sync: `sync --all` against the simulator (its own process), alone and
 * with `monitor serve` (its own process) streaming the dashboard to 3 SSE clients. Runs
 * alternate (A, B, A, B, …) so drift on a shared machine hits both alike; prints the median
 * conversations/s of each and the difference, and the CPU time `monitor serve` used during
 * the watched syncs (from /proc: what it can take from the sync on a busy machine). Target:
 * the stream costs the sync ≤ 1 %.
 *
 *   deno run -A scripts/dashboard_sse_bench.ts [--rounds 4] [--conversations 3000]
 */
import { parseArgs } from "node:util";
import { firstLine, processCpuSeconds, sandboxEnv, spawnCli } from "./_bench_processes.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "4" },
    conversations: { type: "string", default: "3000" },
  },
});

const sim = spawnCli(
  ["simulate", "--port", "0", "--conversations", values.conversations!],
  {},
  "piped",
);
const simUrl = (await firstLine(sim)).trim();

const monitorCpu: { cpu: number; wall: number }[] = [];

async function oneSync(watch: boolean): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "sse_bench_" });
  const env = sandboxEnv(dir, simUrl);
  let monitor: Deno.ChildProcess | null = null;
  const streams: AbortController[] = [];
  let events = 0;
  if (watch) {
    monitor = spawnCli(["monitor", "serve", "--port", "0"], env, "piped");
    const url = /Monitor at (\S+) /.exec(await firstLine(monitor))![1]!;
    for (let i = 0; i < 3; i++) {
      const abort = new AbortController();
      streams.push(abort);
      fetch(`${url}/events`, { signal: abort.signal }).then(async (res) => {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          events += (chunk.match(/event: state/g) ?? []).length;
        }
      }).catch(() => {});
    }
  }
  const cpuBefore = monitor ? await processCpuSeconds(monitor.pid) : null;
  const sync = spawnCli(["sync", "--all", "--json"], env, "piped");
  const out = await sync.output();
  const cpuAfter = monitor ? await processCpuSeconds(monitor.pid) : null;
  for (const s of streams) s.abort();
  if (monitor) {
    try {
      monitor.kill("SIGINT");
    } catch {
      throw new Error("monitor serve ended during the sync: the watched run does not count");
    }
    await monitor.status;
    await monitor.stdout.cancel().catch(() => {});
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const summary = JSON.parse(new TextDecoder().decode(out.stdout));
  if (watch && events === 0) throw new Error("the SSE clients received nothing");
  if (cpuBefore !== null && cpuAfter !== null) {
    monitorCpu.push({ cpu: cpuAfter - cpuBefore, wall: summary.duration_seconds });
  }
  return summary.conversations_per_second;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const alone: number[] = [];
const watched: number[] = [];
for (let i = 0; i < Number(values.rounds); i++) {
  alone.push(await oneSync(false));
  watched.push(await oneSync(true));
  console.log(
    `round ${i + 1}: alone ${alone.at(-1)!.toFixed(1)}/s, watched ${watched.at(-1)!.toFixed(1)}/s`,
  );
}
const a = median(alone);
const b = median(watched);
console.log(
  `median conversations/s: alone ${a.toFixed(1)}, with monitor serve + 3 SSE clients ${
    b.toFixed(1)
  } (${(((a - b) / a) * 100).toFixed(1)} % slower)`,
);
if (monitorCpu.length > 0) {
  const cpu = monitorCpu.reduce((n, m) => n + m.cpu, 0);
  const wall = monitorCpu.reduce((n, m) => n + m.wall, 0);
  console.log(
    `monitor serve (with the ps it runs) for 3 SSE clients used ${cpu.toFixed(2)} CPU-s over ${
      wall.toFixed(1)
    } s of ` +
      `watched syncs: ${((cpu / wall) * 100).toFixed(2)} % of one core`,
  );
}
sim.kill("SIGINT");
await sim.status;
await sim.stdout.cancel().catch(() => {});
