/** `reset`: delete the local store and sync state (not the config, not the logs). */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { prepare } from "./context.ts";
import { printJson, printOut } from "./output.ts";

/** Registers `reset` on the root command. */
export function registerReset(program: Command): void {
  program
    .command("reset")
    .description("delete the local store and sync state; the config and logs stay")
    .option("-y, --yes", "do not ask for confirmation (required when stdin is not a terminal)")
    .option("--json", "print what was removed as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  fast-intercom-mcp reset --yes && fast-intercom-mcp sync --days 30",
    )
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd);
      const store = ctx.settings.paths.storeFile;
      if (!options.yes) {
        if (!Deno.stdin.isTerminal()) {
          throw new UsageError(`refusing to delete ${store} without confirmation: pass --yes`);
        }
        const answer = prompt(`Delete ${store} and its sync state? [y/N]`);
        if (!answer || !/^y(es)?$/i.test(answer.trim())) {
          printOut("Nothing deleted.");
          return;
        }
      }
      const { resetStore } = await import("../app/reset.ts");
      const removed = await resetStore(ctx.settings.paths);
      if (options.json) printJson({ removed });
      else if (removed.length === 0) printOut(`No store at ${store}; nothing to delete.`);
      else printOut(`Deleted ${removed.join(", ")}.\nNext: fast-intercom-mcp sync`);
    });
}
