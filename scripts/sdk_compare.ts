// deno-lint-ignore-file no-console
/**
 * The sync against a plain script with Intercom's official SDK (`scripts/sdk_sync.ts`) and an
 * ideal client (`scripts/ideal_client.ts`), side by side in one run: the same simulator process
 * (100 ms ± 30 ms latency, 1000 requests per 10 s, so latency and not the rate limit is the
 * bound), the same concurrency, taking turns (ideal, sync, SDK, whole sync, …) so that a busy
 * machine slows all alike.
 *
 * Like for like: the SDK script syncs conversations only, so the sync it is compared with runs
 * `--conversations-only` (directory, search, fetch, contacts and store; no ticket or company
 * streams), its rate its own `duration_seconds`. The whole sync (with the streams, on the same
 * rate budget) is shown beside it, with its conversation phase (`conversation_seconds`) apart.
 * The ideal client keeps exactly N requests in flight and parses nothing: its rate, and
 * N / its mean latency, are the physical bound of any client at this concurrency.
 * Target (issue 10): the sync ≥ 1.1× the SDK script.
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

/** Runs a baseline script (`sdk_sync.ts`, `ideal_client.ts`) against `url`; its JSON line. */
async function runScript(
  script: string,
  url: string,
): Promise<{ conversations: number; seconds: number; requests: number; mean_latency_ms?: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, script), "--url", url, "--concurrency", concurrency],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`${script} failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
const f1 = (x: number) => x.toFixed(1);

const sim = await startSimProcess([
  "--conversations",
  values.conversations!,
  "--latency",
  values.latency!,
  "--rate-limit",
  values["rate-limit"]!,
]);
const ideal: number[] = [];
const bound: number[] = [];
const sdk: number[] = [];
const only: number[] = [];
const phase: number[] = [];
const whole: number[] = [];
try {
  console.log(
    `${values.conversations} conversations, latency ${values.latency}, rate limit ` +
      `${values["rate-limit"]}, concurrency ${concurrency}; load average ${load()}`,
  );
  for (let round = 1; round <= Number(values.rounds); round++) {
    const best = await runScript("scripts/ideal_client.ts", sim.url);
    ideal.push(best.conversations / best.seconds);
    // N requests in flight, each taking the mean latency; a conversation needs one (plus its
    // share of the search pages)
    const perSecond = Number(concurrency) / (best.mean_latency_ms! / 1000);
    bound.push(perSecond * best.conversations / best.requests);
    const lean = (await runSyncProcess(sim.url, [
      "--concurrency",
      concurrency,
      "--conversations-only",
    ])).summary;
    only.push(lean.conversations_fetched! / lean.duration_seconds!);
    const base = await runScript("scripts/sdk_sync.ts", sim.url);
    sdk.push(base.conversations / base.seconds);
    const full = (await runSyncProcess(sim.url, ["--concurrency", concurrency])).summary;
    phase.push(full.conversations_fetched! / full.conversation_seconds!);
    whole.push(full.conversations_fetched! / full.duration_seconds!);
    console.log(
      `round ${round} (load ${load()}):\n` +
        `  ideal client   ${best.conversations} in ${f1(best.seconds)}s = ${f1(ideal.at(-1)!)}/s ` +
        `(mean latency ${f1(best.mean_latency_ms!)} ms, bound ${f1(bound.at(-1)!)}/s)\n` +
        `  SDK script     ${base.conversations} in ${f1(base.seconds)}s = ${f1(sdk.at(-1)!)}/s\n` +
        `  sync, conversations only  ${lean.conversations_fetched} in ` +
        `${f1(lean.duration_seconds!)}s = ${f1(only.at(-1)!)}/s (${lean.api_calls} requests)\n` +
        `  sync, whole    ${full.conversations_fetched} in ${f1(full.duration_seconds!)}s = ` +
        `${f1(whole.at(-1)!)}/s (${full.api_calls} requests); its conversation phase ` +
        `${f1(full.conversation_seconds!)}s = ${f1(phase.at(-1)!)}/s`,
    );
  }
} finally {
  await sim.stop();
}
const m = {
  ideal: median(ideal),
  bound: median(bound),
  sdk: median(sdk),
  only: median(only),
  phase: median(phase),
  whole: median(whole),
};
console.log(
  `\nmedians (load average now ${load()}):\n` +
    `  bound (N / mean latency)  ${f1(m.bound)}/s\n` +
    `  ideal client              ${f1(m.ideal)}/s = ${
      (m.ideal / m.bound).toFixed(2)
    } of the bound\n` +
    `  SDK script                ${f1(m.sdk)}/s = ${(m.sdk / m.ideal).toFixed(2)} of ideal\n` +
    `  sync, conversations only  ${f1(m.only)}/s = ${(m.only / m.ideal).toFixed(2)} of ideal, ` +
    `${(m.only / m.sdk).toFixed(2)}× the SDK script (target ≥ 1.1×)\n` +
    `  sync, whole               ${f1(m.whole)}/s (conversation phase ${f1(m.phase)}/s = ` +
    `${(m.phase / m.sdk).toFixed(2)}× the SDK script)`,
);
