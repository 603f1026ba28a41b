/** `start` (alias `mcp`) and `serve`: the MCP server on stdio or Streamable HTTP. */
import type { Command } from "@commander-js/extra-typings";
import { prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";
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

/** Flags both transports share. */
interface FreshnessFlags {
  syncInterval?: number | undefined;
  maxSyncAge?: number | undefined;
}

function freshnessOptions(flags: FreshnessFlags) {
  return {
    ...(flags.syncInterval !== undefined ? { syncIntervalMinutes: flags.syncInterval } : {}),
    ...(flags.maxSyncAge !== undefined ? { maxSyncAgeMinutes: flags.maxSyncAge } : {}),
  };
}

const SYNC_INTERVAL = [
  "--sync-interval <minutes>",
  "minutes between background incremental syncs, 0 = off (default: config " +
  "background_sync_interval_minutes, 10)",
] as const;
const MAX_SYNC_AGE = [
  "--max-sync-age <minutes>",
  "a request finding older data starts a background sync, 0 = off (default: config " +
  "max_sync_age_minutes, 5)",
] as const;

/** Registers `start`/`mcp` and `serve` on the root command. */
export function registerMcp(program: Command): void {
  program
    .command("start")
    .alias("mcp")
    .description("serve the local store to an AI assistant over MCP on stdio")
    .option(...SYNC_INTERVAL, integerFlag("--sync-interval", { min: 0, max: 10080 }))
    .option(...MAX_SYNC_AGE, integerFlag("--max-sync-age", { min: 0, max: 10080 }))
    .addHelpText(
      "after",
      `
stdout carries only MCP messages; logs go to stderr and the log files. The server syncs
in the background while it runs (see --sync-interval and --max-sync-age).

Claude Desktop (claude_desktop_config.json):
  { "mcpServers": { "intercom": { "command": "fast-intercom-mcp", "args": ["start"] } } }`,
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd);
      const { openMcpApp } = await import("../mcp/app.ts");
      const { serveStdio } = await import("../mcp/stdio.ts");
      const app = openMcpApp(ctx.settings, {
        sessionId: ctx.sessionId,
        transport: "stdio",
        ...freshnessOptions(options),
      });
      await serveStdio(app, { signal: ctx.signal });
    });

  program
    .command("serve")
    .description(
      "serve the local store over MCP Streamable HTTP (POST /mcp, GET /health, /metrics, /dashboard/)",
    )
    .option(...HOST)
    .option(
      "--port <port>",
      "port (default 8000; 0 = any free port)",
      integerFlag("--port", {
        min: 0,
        max: 65535,
      }),
    )
    .option(...API_KEY)
    .option(
      "--allow-origin <origin...>",
      "browser origins allowed besides localhost (e.g. https://inspector.example.com)",
    )
    .option(...MAX_CONNECTIONS)
    .option(...HEADERS_TIMEOUT)
    .option(...IDLE_TIMEOUT)
    .option(...SYNC_INTERVAL, integerFlag("--sync-interval", { min: 0, max: 10080 }))
    .option(...MAX_SYNC_AGE, integerFlag("--max-sync-age", { min: 0, max: 10080 }))
    .addHelpText(
      "after",
      `
Clients send "Authorization: Bearer <key>" when a key is set.
${KEY_AND_CONNECTIONS_HELP}

Examples:
  fast-intercom-mcp serve
  FASTINTERCOM_API_KEY=$(openssl rand -hex 32) fast-intercom-mcp serve --host 0.0.0.0 --port 8080`,
    )
    .action(async (options, cmd) => {
      const { ctx, host, apiKey } = await prepareServer(options, cmd);
      const { serveHttp } = await import("../mcp/http.ts");
      const { openMcpApp } = await import("../mcp/app.ts");
      const { isLoopbackHost } = await import("../mcp/http_guard.ts");
      const { serveExtras } = await import("../app/serve_extras.ts");
      using extras = serveExtras(ctx.settings);
      const app = openMcpApp(ctx.settings, {
        sessionId: ctx.sessionId,
        transport: "http",
        onToolCall: extras.onToolCall,
        // the store's path and the pid are this machine's business, shown only on loopback
        revealLocalDetails: isLoopbackHost(host),
        ...freshnessOptions(options),
      });
      const port = options.port ?? 8000;
      const server = await listenOn(port, () =>
        serveHttp(app, {
          host,
          port,
          apiKey,
          signal: ctx.signal,
          limits: connectionLimits(options),
          ...(options.allowOrigin ? { allowedOrigins: options.allowOrigin } : {}),
          routes: extras.routes,
        }));
      printOut(
        `Serving MCP at ${server.url} (API key ${apiKey ? "required" : "not required"}); ` +
          `health: ${server.url.replace(/\/mcp$/, "/health")}, metrics: ${
            server.url.replace(/\/mcp$/, "/metrics")
          }, dashboard: ${server.url.replace(/\/mcp$/, "/dashboard/")}. Ctrl-C stops.`,
      );
      await server.finished;
    });
}
