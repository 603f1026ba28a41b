/** `demo`: sync a simulated workspace and show the result; no Intercom account needed. */
import type { Command } from "@commander-js/extra-typings";
import { prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";
import { formatTime } from "./format.ts";
import { printJson, printOut } from "./output.ts";
import { formatStoreStatus, storeStatusJson } from "./status.ts";
import { formatSyncResult, syncResultJson } from "./sync.ts";

/** Registers `demo` on the root command. */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "start the built-in Intercom simulator (≈2,000 conversations over 30 days), sync it, " +
        "then show status and a sample search",
    )
    .option(
      "--conversations <n>",
      "conversations in the simulated workspace",
      integerFlag("--conversations", { min: 1, max: 200_000 }),
      2000,
    )
    .option(
      "--days <n>",
      "days they are spread over",
      integerFlag("--days", { min: 1, max: 3650 }),
      30,
    )
    .option("--query <text>", "the sample full-text search", "refund")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nWithout --data-dir the store goes to a temporary directory that is removed afterwards.\n" +
        "Example:\n  fast-intercom-mcp demo\n  fast-intercom-mcp --data-dir ./demo-data demo && fast-intercom-mcp --data-dir ./demo-data status",
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd, { logging: false });
      const { runDemo } = await import("../app/demo.ts");
      const { setupLogging } = await import("../logging/logging.ts");
      const result = await runDemo({
        dataDir: ctx.globals.dataDir,
        conversations: options.conversations,
        days: options.days,
        query: options.query,
        sessionId: ctx.sessionId,
        console: !ctx.quiet,
        signal: ctx.signal,
        onPaths: (paths) =>
          setupLogging({
            logDir: paths.logDir,
            level: ctx.globals.verbose ? "debug" : "info",
            consoleLevel: ctx.quiet ? "off" : ctx.globals.verbose ? "debug" : "warning",
            sessionId: ctx.sessionId,
          }),
      });
      if (options.json) {
        printJson({
          data_dir: result.kept ? result.dataDir : null,
          sync: syncResultJson(result.sync),
          status: storeStatusJson(result.status),
          search: { query: result.query, total: result.search.total, hits: result.search.hits },
        });
        return;
      }
      const hits = result.search.hits.map((h) =>
        `  #${h.id}  ${formatTime(h.updated_at)}  [${h.state}]  ${
          h.title ?? h.source_subject ?? "(no subject)"
        }\n` +
        `      ${h.snippet ?? ""}`
      );
      printOut([
        formatSyncResult(result.sync),
        "",
        formatStoreStatus(result.status, false),
        "",
        `Sample search "${result.query}": ${result.search.total} conversations match; the top ${hits.length}:`,
        ...hits,
        "",
        result.kept
          ? `The store is in ${result.dataDir}. Try: fast-intercom-mcp --data-dir ${result.dataDir} status`
          : "The demo store was temporary. Keep one with: fast-intercom-mcp --data-dir ./demo-data demo",
      ].join("\n"));
    });
}
