/** `simulate`: run the built-in Intercom API simulator standalone. */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { parseDurationMs } from "../util/duration.ts";
import { prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";
import { listenOn } from "./listen.ts";
import { printOut } from "./output.ts";

/** Parses `--mutate [interval]`: `true` (flag alone) means every 5 s. */
export function parseMutateInterval(value: string | true): number {
  if (value === true) return 5000;
  const ms = parseDurationMs(value);
  if (ms === null || ms < 10) {
    throw new UsageError(`--mutate "${value}" is not valid: use an interval like 500ms, 5s or 1m`);
  }
  return ms;
}

/** Parses `--contact-search-lag <duration>` into whole seconds (0 = off). */
export function parseContactSearchLag(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === null) {
    throw new UsageError(
      `--contact-search-lag "${value}" is not valid: use a duration like 90s, 5m or 1h (0 = off)`,
    );
  }
  return Math.round(ms / 1000);
}

/** Registers `simulate` on the root command. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("run the built-in Intercom API simulator on 127.0.0.1 (for demos and tests)")
    .option(
      "--port <port>",
      "port; 0 picks a free one",
      integerFlag("--port", { min: 0, max: 65535 }),
      0,
    )
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--token <token>", "bearer token the simulator accepts (default: sim-token-0123456789)")
    .option(
      "--conversations <n>",
      "conversations in the workspace",
      integerFlag("--conversations", { min: 0, max: 2_000_000 }),
      200,
    )
    .option(
      "--tickets <n>",
      "tickets in the workspace (default: 15% of the conversations)",
      integerFlag("--tickets", { min: 0, max: 2_000_000 }),
    )
    .option(
      "--companies <n>",
      "companies in the workspace (default: one per 8 contacts, at least 3)",
      integerFlag("--companies", { min: 1, max: 1_000_000 }),
    )
    .option(
      "--days <n>",
      "days the conversations are spread over",
      integerFlag("--days", { min: 1, max: 3650 }),
      30,
    )
    .option("--seed <n>", "generator seed: same seed, same workspace", integerFlag("--seed"), 1)
    .option("--latency <spec>", "per-request latency, e.g. 80ms±30ms", "0")
    .option(
      "--rate-limit <spec>",
      "requests per window, e.g. 167/10s (default: a private app's 10,000/min)",
      "1667/10s",
    )
    .option(
      "--faults <spec>",
      "fault rates, e.g. 500=0.05,html502=0.02,empty=0.01,truncated=0.01,reset=0.01,slow=0.01,429=0.01",
    )
    .option(
      "--mutate [interval]",
      "conversations gain replies and change state while it runs (default every 5s)",
    )
    .option(
      "--contact-search-lag <duration>",
      "new contacts stay out of contact search this long, as Intercom's may (e.g. 5m; default 0)",
    )
    .addHelpText(
      "after",
      "\nPrints http://127.0.0.1:PORT as its first stdout line. Ctrl-C stops it.\n" +
        "Example:\n  fast-intercom-mcp simulate --port 8080 --conversations 2000 --latency 80ms±30ms --rate-limit 167/10s",
    )
    .action(async (options, cmd) => {
      const sim = await import("../simulator/mod.ts");
      const latency = sim.parseLatency(options.latency);
      const rateLimit = sim.parseRateLimit(options.rateLimit);
      const faults = options.faults ? sim.parseFaults(options.faults) : {};
      const mutateMs = options.mutate === undefined ? null : parseMutateInterval(options.mutate);
      const lagSeconds = options.contactSearchLag === undefined
        ? 0
        : parseContactSearchLag(options.contactSearchLag);
      const ctx = await prepare(cmd);
      const server = await listenOn(options.port, () =>
        sim.startSimulator({
          hostname: options.host,
          port: options.port,
          token: options.token ?? sim.DEFAULT_SIMULATOR_TOKEN,
          conversations: options.conversations,
          ...(options.tickets !== undefined ? { tickets: options.tickets } : {}),
          ...(options.companies !== undefined ? { companies: options.companies } : {}),
          days: options.days,
          seed: options.seed,
          latency,
          rateLimit,
          faults,
          mutate: mutateMs === null ? false : { intervalMs: mutateMs },
          behaviour: { contactSearchLagSeconds: lagSeconds },
          signal: ctx.signal,
        }));
      printOut(server.url);
      try {
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) resolve();
          ctx.signal.addEventListener("abort", () => resolve(), { once: true });
        });
      } finally {
        await server.close();
      }
    });
}
