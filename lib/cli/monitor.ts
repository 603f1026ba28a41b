/** `monitor status | logs`: the live dashboard, and the merged live output of running processes. */
import type { Command } from "@commander-js/extra-typings";
import type { LogFilterFlags } from "../logs/filter.ts";
import { getStderrTerminal } from "../logging/terminal.ts";
import { prepare } from "./context.ts";
import { integerFlag, webhookUrlFlag } from "./flag_types.ts";
import { registerMonitorServe } from "./monitor_serve.ts";
import { registerMonitorTrends } from "./monitor_trends.ts";
import { useColors } from "./logs.ts";
import { printJson, printOut, stdoutIsTerminal } from "./output.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `monitor` and its subcommands on the root command. */
export function registerMonitor(program: Command): void {
  const monitor = program
    .command("monitor")
    .description("watch the workspace, the store and running syncs live");

  monitor
    .command("status")
    .description(
      "dashboard: API connection (a real GET /me), store, last sync, running processes, errors",
    )
    .option(
      "--refresh <seconds>",
      "redraw every N seconds on a terminal (default 5)",
      integerFlag("--refresh", { min: 1, max: 3600 }),
      5,
    )
    .option("--once", "print one snapshot and exit (the default when stdout is not a terminal)")
    .option("--json", "print one machine-readable snapshot (snake_case fields) and exit")
    .option("--no-api", "do not call the API (offline); the connection shows as not checked")
    .option(
      "--alert-webhook <url>",
      "at each refresh, post alerts (crash, stall, anomaly, recovery) as JSON to this URL " +
        "(default: config alert_webhook_url)",
      webhookUrlFlag("--alert-webhook"),
    )
    .addHelpText(
      "after",
      `
The connection is a real GET /me with a 5 s timeout, reused for 30 s between redraws.
Processes come from the status directory: each shows its bar, percentage, rate and ETA, and is
flagged STALLED when it has not reported for stall_after_seconds, CRASHED when its pid is gone.
On a terminal the view redraws in place (alternate screen) until Ctrl-C, which restores it.

Exit codes: 0 success (whatever the snapshot shows: use \`debug health\` to gate on health),
1 failure, 2 usage error.
Examples:
  fast-intercom-mcp monitor status
  fast-intercom-mcp monitor status --refresh 2
  fast-intercom-mcp monitor status --json`,
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd, { logging: false });
      const { collectMonitorSnapshot } = await import("../monitor/snapshot.ts");
      const { ApiProbeCache } = await import("../health/api_probe.ts");
      const { formatMonitorSnapshot } = await import("../monitor/format.ts");
      const api = options.api === false ? null : new ApiProbeCache();
      const alertUrl = options.alertWebhook ?? ctx.settings.alertWebhookUrl;
      const snapshot = async () => {
        const taken = await collectMonitorSnapshot(ctx.settings, { api });
        if (alertUrl) {
          const { checkAlerts } = await import("../alerts/watcher.ts");
          await checkAlerts(ctx.settings, alertUrl).catch(() => {});
        }
        return taken;
      };
      const stall = ctx.settings.stallAfterSeconds;
      if (options.json) {
        printJson(await snapshot());
        return;
      }
      const colors = useColors();
      if (options.once || !stdoutIsTerminal()) {
        const width = terminalColumns();
        printOut(formatMonitorSnapshot(await snapshot(), { colors, ...width }));
        return;
      }
      const { runLiveScreen } = await import("../monitor/screen.ts");
      const { ProgressWatch } = await import("../monitor/progress_watch.ts");
      const watch = new ProgressWatch();
      const footer = `Refreshing every ${options.refresh}s (Press Ctrl+C to stop)`;
      await runLiveScreen({
        render: async () => {
          const s = await snapshot();
          const processes = watch.apply(s.processes, Date.parse(s.generated_at), stall);
          // a line longer than the terminal would wrap and push the frame off the screen
          return formatMonitorSnapshot({ ...s, processes }, {
            colors,
            footer,
            ...terminalColumns(),
          });
        },
        intervalMs: options.refresh * 1000,
        signal: ctx.signal,
      });
    });

  registerMonitorServe(monitor);
  registerMonitorTrends(monitor);

  monitor
    .command("logs")
    .description("log lines and progress events of running processes, merged live")
    .option(
      "--component <name>",
      "keep these components (repeatable; progress = progress events)",
      collect,
    )
    .option("--level <level>", "minimum level of log lines, or a range (warning..error)")
    .option("--filter <regex>", "log lines must match (repeatable)", collect)
    .option("--all", "lines of every process, not only the running ones")
    .option("--json", "one JSON object per line: {type: log|progress, …}")
    .addHelpText(
      "after",
      `
Follows main.log and progress.jsonl (across rotation) and keeps the lines whose session or
process is running now; a process that starts while this runs is picked up. Ctrl-C stops.
Exit codes: 0 success (also when stopped with Ctrl-C), 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp monitor logs
  fast-intercom-mcp monitor logs --component sync --json`,
    )
    .action(async (raw, cmd) => {
      const options = raw as LogFilterFlags & { all?: true; json?: true };
      const { buildLogFilter } = await import("../logs/filter.ts");
      const filter = buildLogFilter({
        ...(options.component ? { component: options.component } : {}),
        ...(options.level ? { level: options.level } : {}),
        ...(options.filter ? { filter: options.filter } : {}),
      });
      const ctx = await prepare(cmd, { logging: false });
      const { watchProcessOutput } = await import("../logs/live.ts");
      const { entryJson, formatProgressEvent, getHumanFormatter } = await import(
        "../logs/format.ts"
      );
      const colors = useColors();
      const human = getHumanFormatter({ colors });
      const stream = watchProcessOutput({
        logDir: ctx.settings.paths.logDir,
        statusDir: ctx.settings.paths.statusDir,
        filter,
        signal: ctx.signal,
        all: options.all === true,
        stallAfterSeconds: ctx.settings.stallAfterSeconds,
        onProcesses: (ids) => {
          if (ctx.quiet) return;
          getStderrTerminal().writeLine(
            ids.length === 0
              ? "No process is running; waiting for one to start (Ctrl-C to stop)"
              : `Watching ${ids.join(", ")} (Ctrl-C to stop)`,
          );
        },
      });
      let shown = 0;
      for await (const records of stream) {
        shown += records.length;
        printOut(
          records.map((r) => {
            if (options.json) {
              return JSON.stringify(
                r.kind === "log" ? { type: "log", ...entryJson(r.entry) } : {
                  ...r.event,
                  type: "progress",
                  event_type: r.event.type,
                },
              );
            }
            return r.kind === "log" ? human(r.entry) : formatProgressEvent(r.event, { colors });
          }).join("\n"),
        );
      }
      if (shown === 0 && !ctx.quiet) {
        const { describeFilter } = await import("../logs/filter.ts");
        getStderrTerminal().writeLine(
          `Nothing matched while watching (${describeFilter(filter)}): no log line or progress ` +
            "event of a running process was written",
        );
      }
    });
}

/** `{ width }` of the terminal stdout is, or nothing when it is not one (a pipe keeps lines whole). */
function terminalColumns(): { width?: number } {
  if (!stdoutIsTerminal()) return {};
  try {
    return { width: Deno.consoleSize().columns };
  } catch {
    return {};
  }
}
