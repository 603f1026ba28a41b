/**
 * fast-intercom-mcp: mirrors an Intercom workspace into SQLite, serves it over MCP and shows
 * every sync live. This file only starts the command tree; see lib/cli/.
 */
import { runCli } from "./lib/cli/run.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
