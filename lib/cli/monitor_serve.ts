/** `monitor serve` and `monitor metrics`: the monitor over HTTP, and metrics for Prometheus. */
import type { Command } from "@commander-js/extra-typings";
import { prepare } from "./context.ts";
import { integerFlag, webhookUrlFlag } from "./flag_types.ts";
import {
  API_KEY,
  connectionLimits,
  HEADERS_TIMEOUT,
  HOST,
  IDLE_TIMEOUT,
  KEY_AND_CONNECTIONS_HELP,
  MAX_CONNECTIONS,
  prepareServer,
} from "./http_flags.ts";
import { listenOn } from "./listen.ts";
import { printOut } from "./output.ts";

/** Registers `monitor serve` and `monitor metrics` on the `monitor` command. */
export function registerMonitorServe(monitor: Command): void {
  monitor
    .command("serve")
    .description("serve the live web dashboard (/) and Prometheus metrics (/metrics) over HTTP")
    .option(...HOST)
    .option(
      "--port <port>",
      "port (default 9464; 0 = any free port)",
      integerFlag("--port", { min: 0, max: 65535 }),
    )
    .option(...API_KEY)
    .option(
      "--allow-origin <origin...>",
      "browser origins allowed besides localhost (e.g. https://grafana.example.com); they " +
        "get CORS headers on /metrics and the dashboard's data",
    )
    .option(...MAX_CONNECTIONS)
    .option(...HEADERS_TIMEOUT)
    .option(...IDLE_TIMEOUT)
    .option(
      "--alert-webhook <url>",
      "check every 30 s and post alerts (crash, stall, anomaly, recovery) as JSON to this URL " +
        "(default: config alert_webhook_url)",
      webhookUrlFlag("--alert-webhook"),
    )
    .addHelpText(
      "after",
      `
The dashboard shows every running process (bar, rate, ETA, phase; STALLED, CRASHED and NO
PROGRESS flagged as in \`monitor status\`), the last runs, throughput and API calls/429s over
the last hour, errors and warnings of the last hour by category, store counts and health
checks, updated live (Server-Sent Events). Everything is read from the store, the status
directory and the logs, so it shows every sync on this machine, whichever process runs it.
The page asks for the key when one is set (kept for the browser tab only). GET /health
answers without a key.
${KEY_AND_CONNECTIONS_HELP}
Prometheus sends the key with
  authorization: { type: Bearer, credentials_file: /etc/prometheus/fast-intercom.key }

Exit codes: 0 stopped with Ctrl-C, 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp monitor serve
  FASTINTERCOM_API_KEY=$(openssl rand -hex 32) fast-intercom-mcp monitor serve --host 0.0.0.0`,
    )
    .action(async (options, cmd) => {
      const { ctx, host, apiKey } = await prepareServer(options, cmd);
      const { startMonitorServer } = await import("../app/monitor_server.ts");
      const port = options.port ?? 9464;
      const server = await listenOn(port, () =>
        startMonitorServer(ctx.settings, {
          host,
          port,
          apiKey,
          signal: ctx.signal,
          limits: connectionLimits(options),
          ...(options.allowOrigin ? { allowedOrigins: options.allowOrigin } : {}),
        }));
      const alertUrl = options.alertWebhook ?? ctx.settings.alertWebhookUrl;
      if (alertUrl) {
        const { startAlertWatcher } = await import("../alerts/watcher.ts");
        startAlertWatcher(ctx.settings, alertUrl, { signal: ctx.signal });
      }
      printOut(
        `Monitor at ${server.url} (API key ${apiKey ? "required" : "not required"}): ` +
          `dashboard ${server.url}/, metrics ${server.url}/metrics. Ctrl-C stops.`,
      );
      await server.finished;
    });

  monitor
    .command("metrics")
    .description("print the Prometheus metrics once, or write them for node_exporter")
    .option(
      "--textfile <dir>",
      "write <dir>/fast_intercom_mcp.prom atomically (node_exporter --collector.textfile.directory)",
    )
    .addHelpText(
      "after",
      `
For hosts that sync from cron: run it after each sync (or every minute) and point
node_exporter's textfile collector at the directory. Without --textfile the metrics go to
stdout in the text exposition format.

Exit codes: 0 success, 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp monitor metrics
  fast-intercom-mcp sync && fast-intercom-mcp monitor metrics --textfile /var/lib/node_exporter`,
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd, { logging: false });
      const { createMetricsText } = await import("../metrics/endpoint.ts");
      const text = await createMetricsText(ctx.settings)();
      if (options.textfile === undefined) {
        printOut(text);
        return;
      }
      const { writeTextfile } = await import("../metrics/textfile.ts");
      const path = await writeTextfile(options.textfile, text);
      if (!ctx.quiet) printOut(`Wrote ${path}`);
    });
}
