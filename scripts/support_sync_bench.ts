// deno-lint-ignore-file no-console
/**
 * Sync throughput with tickets and companies (issue 14): a `sync --all` process against the
 * simulator (in this process, so every request is seen) with 100 ms ± 30 ms latency under a
 * binding rate limit. Every request counts — searches, conversation and ticket fetches, contact
 * lookups, company scroll pages, directories. Prints the share of the rate-limit ceiling used,
 * for the whole run and for the tickets/companies phase alone; asserts nothing.
 *
 *   deno run -A scripts/support_sync_bench.ts            # 167/10s and 1000/10s
 *   deno run -A scripts/support_sync_bench.ts --quick    # 167/10s only
 *
 * Target: ≥ 90% of the ceiling (limit per window ÷ window seconds).
 */
import { startSimulator } from "../lib/simulator/mod.ts";
import { runSyncProcess } from "./_bench_processes.ts";

const quick = Deno.args.includes("--quick");

// Ticket-heavy workspaces, so that the tickets/companies phase spans many rate windows.
const runs: { limit: number; conversations: number; tickets: number; companies: number }[] = quick
  ? [{ limit: 167, conversations: 300, tickets: 1200, companies: 600 }]
  : [
    { limit: 167, conversations: 300, tickets: 2000, companies: 1000 },
    { limit: 1000, conversations: 1500, tickets: 8000, companies: 4000 },
  ];

/** Routes of the streams beyond conversations. */
const SUPPORT = /^\/(tickets|ticket_types|companies|data_attributes)/;

/**
 * The requests against the ceiling, two ways: per second of the span (first to last request;
 * a short span can exceed 100%, as windows are clock-aligned and a client may use a whole
 * window's budget at once), and against the budget of every 10-second window the span
 * touches (a strict measure: partly used edge windows count in full).
 */
function share(count: number, firstMs: number, lastMs: number, limit: number): string {
  const seconds = Math.max(0.001, (lastMs - firstMs) / 1000);
  const windows = Math.floor(lastMs / 10_000) - Math.floor(firstMs / 10_000) + 1;
  return `${count} requests in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(1)}/s = ` +
    `${(100 * count / seconds / (limit / 10)).toFixed(1)}% of the ceiling; ` +
    `${
      (100 * count / (windows * limit)).toFixed(1)
    }% of the budget of the ${windows} windows it touches`;
}

/** Runs every workload and prints the figures. */
async function main(): Promise<void> {
  const lines: string[] = [];
  for (const { limit, conversations, tickets, companies } of runs) {
    const sim = await startSimulator({
      conversations,
      tickets,
      companies,
      seed: 31,
      latency: { meanMs: 100, jitterMs: 30 },
      rateLimit: { limit, windowSeconds: 10 },
    });
    const all: number[] = [];
    const support: number[] = [];
    sim.onRequest = ({ path }) => {
      const now = performance.timeOrigin + performance.now();
      all.push(now);
      if (SUPPORT.test(path)) support.push(now);
    };
    try {
      const run = await runSyncProcess(sim.url, ["--concurrency", "16"]);
      const s = run.summary as unknown as {
        api_calls: number;
        rate_limited: number;
        duration_seconds: number;
        streams: { stream: string; stored: number }[];
      };
      const ceiling = limit / 10;
      const ws = sim.workspace;
      const streams = s.streams.map((x) => `${x.stored} ${x.stream}`).join(", ");
      lines.push(
        `${limit}/10s (ceiling ${ceiling.toFixed(1)}/s), ${conversations} conversations, ` +
          `${ws.tickets.length} tickets, ${ws.companies.length} companies (${streams} stored):\n` +
          `  whole run: ${share(all.length, all[0]!, all.at(-1)!, limit)}; sync reports ` +
          `${s.api_calls} API calls (simulator saw ${sim.stats.requests}), ${s.rate_limited} 429s\n` +
          `  tickets + companies phase: ${
            share(support.length, support[0]!, support.at(-1)!, limit)
          }`,
      );
      console.log(lines.at(-1));
    } finally {
      await sim.close();
    }
  }
  console.log(`\nSummary (target ≥ 90% of the ceiling):\n${lines.join("\n")}`);
}

// Only when run: `deno bench` loads every *_bench.ts file and must not start a sync.
if (import.meta.main) await main();
