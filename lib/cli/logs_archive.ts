/** `logs archive`: logs, progress events and a redacted diagnosis in one .tar.gz. */
import type { Command } from "@commander-js/extra-typings";
import { unixSeconds } from "../util/clock.ts";
import { groupDigits } from "../util/format.ts";
import { parseTimeSpecFlag } from "../util/time_spec.ts";
import { prepare } from "./context.ts";
import { printOut } from "./output.ts";

/** Registers `logs archive` on the `logs` command. */
export function registerLogsArchive(logs: Command): void {
  logs
    .command("archive")
    .description("bundle logs, progress events and a redacted diagnosis into a .tar.gz")
    .requiredOption("-o, --output <file>", "the bundle to write (e.g. bug-report.tar.gz)")
    .option("--since <time>", "lines and events from this time on (default 24h; all = everything)")
    .option("--force", "replace FILE when it exists")
    .addHelpText(
      "after",
      `
For a bug report: logs/main.log (the window's log lines, archived logs included),
progress/progress.jsonl (progress events) and diagnosis.json (settings, debug health checks
without an API call, processes, run trends and anomalies). Every secret is redacted. Written
atomically with mode 0600; an existing FILE is kept unless --force.

Exit codes: 0 success, 1 failure (e.g. FILE exists without --force), 2 usage error.
Examples:
  fast-intercom-mcp logs archive --output bug-report.tar.gz
  fast-intercom-mcp logs archive --output last-week.tar.gz --since 7d`,
    )
    .action(async (options, cmd) => {
      const text = options.since ?? "24h";
      const since = text === "all"
        ? null
        : parseTimeSpecFlag("--since", text, unixSeconds()) * 1000;
      const ctx = await prepare(cmd, { logging: false });
      const { writeLogBundle } = await import("../app/log_bundle.ts");
      const result = await writeLogBundle(ctx.settings, options.output, {
        since,
        force: options.force === true,
      });
      printOut(
        `Wrote ${result.path} (${groupDigits(result.bytes)} bytes): ${
          groupDigits(result.logLines)
        } log lines, ${groupDigits(result.progressEvents)} progress events, diagnosis.json`,
      );
    });
}
