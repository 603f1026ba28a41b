/**
 * Runs a command with inherited stdio and records its exit code, wall time and peak resident
 * memory as JSON, for the integration script's performance figures:
 *
 *   deno run -A scripts/integration/measure.ts --out sync.measure.json -- fast-intercom-mcp sync
 *
 * Exits with the command's exit code. SIGINT and SIGTERM are passed on to the command.
 */
import { parseArgs } from "node:util";
import { watchPeakRss } from "./peak_rss.ts";

/** What {@link measureCommand} records. */
export interface Measurement {
  code: number;
  wall_seconds: number;
  peak_rss_bytes: number;
}

/** Options for {@link measureCommand}. */
export interface MeasureOptions {
  /** Forward these signals to the command while it runs. Default: none. */
  forwardSignals?: Deno.Signal[];
  /** Sampling period of the memory watch. Default: 100 ms. */
  intervalMs?: number;
}

/** Runs `argv` (stdio inherited) and measures it. */
export async function measureCommand(
  argv: readonly string[],
  options: MeasureOptions = {},
): Promise<Measurement> {
  const [command, ...args] = argv;
  if (command === undefined) throw new TypeError("measureCommand(): no command given");
  const started = performance.now();
  const child = new Deno.Command(command, { args, stdin: "inherit" }).spawn();
  const watch = watchPeakRss(child.pid, { intervalMs: options.intervalMs ?? 100 });
  const forward = (signal: Deno.Signal) => () => child.kill(signal);
  const handlers = (options.forwardSignals ?? []).map((s) => [s, forward(s)] as const);
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  try {
    const status = await child.status;
    const peak = await watch.stop();
    return {
      code: status.code,
      wall_seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      peak_rss_bytes: peak,
    };
  } finally {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string" } },
    allowPositionals: true,
  });
  if (values.out === undefined || positionals.length === 0) {
    throw new TypeError("usage: measure.ts --out FILE -- COMMAND [ARGS…]");
  }
  const result = await measureCommand(positionals, { forwardSignals: ["SIGINT", "SIGTERM"] });
  await Deno.writeTextFile(values.out, JSON.stringify(result, null, 2) + "\n");
  Deno.exit(result.code);
}
