// deno-lint-ignore-file no-console
/**
 * Sync benchmarks (issue: sync engine). Prints figures; asserts nothing, so run it by hand:
 *
 *   deno run -A scripts/sync_throughput.ts            # everything (~5 minutes)
 *   deno run -A scripts/sync_throughput.ts --quick    # smaller workloads (~1 minute)
 *
 * 1. Throughput: `sync --all --conversations-only` against the simulator (a separate process) with 100 ms ± 30 ms
 *    latency at 167/10s and 1000/10s, versus the ceiling the limit allows (one request per
 *    conversation plus one search page per 150 and one contact search per page).
 * 2. Memory: peak RSS of the sync process for 5,000 and 20,000 conversations (~10 parts each).
 * 3. Store size: bytes per conversation and per part.
 */
import { runSyncProcess as runSync, startSimProcess as startSim } from "./_bench_processes.ts";

const quick = Deno.args.includes("--quick");

const rows: string[] = [];
const mb = (b: number) => (b / 1e6).toFixed(1);

// 1. Throughput at the rate limit.
const throughputRuns: [number, number, number][] = quick
  ? [[167, 400, 16], [1000, 1500, 16]]
  : [[167, 700, 16], [1000, 4000, 16]];
for (const [limit, conversations, concurrency] of throughputRuns) {
  const sim = await startSim([
    "--conversations",
    String(conversations),
    "--latency",
    "100ms±30ms",
    "--rate-limit",
    `${limit}/10s`,
  ]);
  try {
    // conversations only: the ceiling below counts the conversation requests (a whole sync
    // spends part of the same budget on tickets and companies afterwards)
    const run = await runSync(sim.url, [
      "--concurrency",
      String(concurrency),
      "--conversations-only",
    ]);
    const s = run.summary;
    const requestsPerConversation = 1 + 2 / 150;
    const steadyCeiling = limit / 10 / requestsPerConversation;
    const rate = s.conversations_fetched! / s.duration_seconds!;
    // The simulator's windows are clock-aligned: no client can send more than `limit` requests
    // in a window, so N requests need at least ceil(N / limit) windows. A run that finishes in
    // that many windows wasted none of the budget.
    const windows = Math.floor(run.endMs / 10_000) - Math.floor(run.startMs / 10_000) + 1;
    const minimumWindows = Math.ceil(s.api_calls! / limit);
    // The share of the rate budget the run used: requests per second against the limit's.
    const budget = s.api_calls! / s.duration_seconds! / (limit / 10);
    rows.push(
      `throughput ${limit}/10s, concurrency ${concurrency}: ${s.conversations_fetched} conversations in ` +
        `${s.duration_seconds!.toFixed(1)}s = ${rate.toFixed(2)}/s = ${
          (100 * rate / steadyCeiling).toFixed(1)
        }% ` +
        `of the steady ceiling ${
          steadyCeiling.toFixed(2)
        }/s (target ≥ 95%); ${s.api_calls} API calls = ${
          (100 * budget).toFixed(1)
        }% of the rate budget, in ` +
        `${windows} rate windows (an ideal client needs ${minimumWindows}); 429 waits ${s.rate_limited}, retries ${s.retries}`,
    );
    console.log(rows.at(-1));
  } finally {
    await sim.stop();
  }
}

// 2. Memory and 3. store size, without latency or a binding rate limit.
for (const conversations of quick ? [2000, 5000] : [5000, 20000]) {
  const sim = await startSim([
    "--conversations",
    String(conversations),
    "--rate-limit",
    "100000/10s",
  ]);
  try {
    const run = await runSync(sim.url, ["--concurrency", "16"]);
    const st = run.status;
    rows.push(
      `memory ${conversations} conversations (${st.parts} parts): peak RSS ${
        mb(run.peakRssBytes)
      } MB ` +
        `(target ≤ 200 MB); ${
          (run.summary.conversations_fetched! / run.summary.duration_seconds!).toFixed(0)
        } conversations/s unthrottled; ` +
        `store ${mb(st.size_bytes!)} MB = ${
          (st.size_bytes! / st.conversations!).toFixed(0)
        } B/conversation, ` +
        `${(st.size_bytes! / st.parts!).toFixed(0)} B/part (all-in)`,
    );
    console.log(rows.at(-1));
  } finally {
    await sim.stop();
  }
}

console.log("\nSummary:\n" + rows.join("\n"));
