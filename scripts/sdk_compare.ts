// deno-lint-ignore-file no-console
/**
 * The sync against a plain script with Intercom's official SDK (`scripts/sdk_sync.ts`), side by
 * side in one run: the same simulator process (100 ms ± 30 ms latency, 1000 requests per 10 s,
 * so latency and not the rate limit is the bound), the same concurrency, taking turns
 * (sync, SDK, sync, SDK, …) so that a busy machine slows both alike. Each side's rate is its
 * own measure of its work: the sync's `duration_seconds` (directory, search, fetch, contacts and
 * store) and the script's loop (search and fetch only). Target (issue 10): the sync ≥ 1.1× the
 * SDK script.
 *
 *   deno task bench:sdk                       # 1500 conversations, concurrency 4, 3 rounds
 *   deno task bench:sdk --conversations 600 --rounds 1
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ROOT, runSyncProcess, startSimProcess } from "./_bench_processes.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "1500" },
    concurrency: { type: "string", default: "4" },
    rounds: { type: "string", default: "3" },
    latency: { type: "string", default: "100ms±30ms" },
    "rate-limit": { type: "string", default: "1000/10s" },
  },
});
const concurrency = values.concurrency!;

async function runSdk(url: string): Promise<{ conversations: number; seconds: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(ROOT, "scripts/sdk_sync.ts"),
      "--url",
      url,
      "--concurrency",
      concurrency,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`SDK script failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sim = await startSimProcess([
  "--conversations",
  values.conversations!,
  "--latency",
  values.latency!,
  "--rate-limit",
  values["rate-limit"]!,
]);
const ours: number[] = [];
const sdk: number[] = [];
try {
  console.log(
    `${values.conversations} conversations, latency ${values.latency}, rate limit ` +
      `${values["rate-limit"]}, concurrency ${concurrency}`,
  );
  for (let round = 1; round <= Number(values.rounds); round++) {
    const run = await runSyncProcess(sim.url, ["--concurrency", concurrency]);
    const s = run.summary;
    ours.push(s.conversations_fetched! / s.duration_seconds!);
    const base = await runSdk(sim.url);
    sdk.push(base.conversations / base.seconds);
    console.log(
      `round ${round}: sync ${s.conversations_fetched} in ${s.duration_seconds!.toFixed(1)}s = ` +
        `${
          ours.at(-1)!.toFixed(1)
        }/s (${s.api_calls} requests); SDK script ${base.conversations} ` +
        `in ${base.seconds.toFixed(1)}s = ${sdk.at(-1)!.toFixed(1)}/s; ratio ${
          (ours.at(-1)! / sdk.at(-1)!).toFixed(2)
        }×`,
    );
  }
} finally {
  await sim.stop();
}
const ratio = median(ours) / median(sdk);
console.log(
  `\nmedian: sync ${median(ours).toFixed(1)}/s, SDK script ${median(sdk).toFixed(1)}/s = ` +
    `${ratio.toFixed(2)}× (target ≥ 1.1×)`,
);
