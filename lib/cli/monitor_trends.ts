/** `monitor trends`: per-run throughput, duration, API calls, 429s and retries, and anomalies. */
import type { Command } from "@commander-js/extra-typings";
import { prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";
import { printJson, printOut, stdoutIsTerminal } from "./output.ts";

/** Registers `monitor trends` on the `monitor` command. */
export function registerMonitorTrends(monitor: Command): void {
  monitor
    .command("trends")
    .description("per-run throughput, duration, API calls, 429s, retries and anomalies")
    .option(
      "--runs <n>",
      "the newest N runs (default 20)",
      integerFlag("--runs", { min: 1, max: 10_000 }),
      20,
    )
    .option("--json", "runs and anomalies as JSON (snake_case)")
    .addHelpText(
      "after",
      `
Read from the store's sync_runs. Anomalies compare the newest runs with the usual ones
(median and MAD of up to 30 comparable runs, at least 5): a run much slower than usual, a
retry/429 rate far above usual, a failure where failures are rare, a sync interval missed,
runs that stopped fetching anything. They also show in \`monitor status\`, \`debug health\`
(warning), the dashboard and /metrics (fast_intercom_anomaly).

Exit codes: 0 success (anomalies included), 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp monitor trends
  fast-intercom-mcp monitor trends --runs 100 --json`,
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd, { logging: false });
      const { trendReport } = await import("../trends/trends.ts");
      const report = trendReport(ctx.settings.paths.storeFile, Math.floor(Date.now() / 1000), {
        limit: options.runs,
      });
      if (options.json) {
        printJson(report);
        return;
      }
      const { formatTrends } = await import("../trends/format.ts");
      printOut(formatTrends(report.runs, report.anomalies, { sparklines: stdoutIsTerminal() }));
    });
}
