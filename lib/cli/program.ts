/**
 * The command tree. Each command group lives in its own file and registers itself on the root;
 * its heavy modules load lazily inside its action so `--help` stays fast.
 */
import { Command, Option } from "@commander-js/extra-typings";
import { PROGRAM_NAME, VERSION } from "../version.ts";
import { registerDebug } from "./debug.ts";
import { registerDemo } from "./demo.ts";
import { registerInit } from "./init.ts";
import { registerLogs } from "./logs.ts";
import { registerMonitor } from "./monitor.ts";
import { registerMcp } from "./mcp.ts";
import { registerReset } from "./reset.ts";
import { registerSimulate } from "./simulate.ts";
import { registerStatus } from "./status.ts";
import { registerSync } from "./sync.ts";

/** Builds the root command with the global flags and every command group. */
export function createProgram(): Command {
  const program = new Command(PROGRAM_NAME)
    .description(
      "Mirror an Intercom workspace into a local SQLite store, serve it to AI assistants over " +
        "MCP, and watch every sync live.",
    )
    .version(VERSION, "-V, --version", "print the version and exit")
    .option("-v, --verbose", "debug logging on stderr; stack traces on errors")
    .option("-q, --quiet", "no console logging or progress (also FASTINTERCOM_QUIET=true)")
    .option(
      "--data-dir <dir>",
      "data directory (default: $FASTINTERCOM_DATA_DIR or ~/.fast-intercom-mcp)",
    )
    .option(
      "--api-url <url>",
      "Intercom API base URL (default: $FASTINTERCOM_API_URL or the region's host)",
    )
    .addOption(
      new Option("--region <region>", "Intercom region (default: us)").choices(["us", "eu", "au"]),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
Environment: INTERCOM_ACCESS_TOKEN, FASTINTERCOM_DATA_DIR, FASTINTERCOM_LOG_DIR,
FASTINTERCOM_STATUS_DIR, FASTINTERCOM_API_URL, FASTINTERCOM_SESSION_ID (see the README).`,
    );
  registerDemo(program);
  registerInit(program);
  registerSync(program);
  registerStatus(program);
  registerReset(program);
  registerSimulate(program);
  registerLogs(program);
  registerMonitor(program);
  registerDebug(program);
  registerMcp(program);
  return program as unknown as Command;
}
