/** `init`: save and validate the Intercom access token. */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";
import { printJson, printOut } from "./output.ts";

/** Registers `init` on the root command. */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description(
      "validate an Intercom access token with GET /me and save it (config.json, mode 0600)",
    )
    .option(
      "--token <token>",
      "access token (default: $INTERCOM_ACCESS_TOKEN, else a hidden prompt)",
    )
    .option(
      "--sync-days <days>",
      "days the first sync covers (default 7)",
      integerFlag("--sync-days", { min: 1, max: 3650 }),
    )
    .option("--json", "print the result as JSON")
    .addHelpText("after", '\nExample:\n  fast-intercom-mcp init --token "$INTERCOM_ACCESS_TOKEN"')
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd, { token: options.token });
      let token = options.token?.trim() || Deno.env.get("INTERCOM_ACCESS_TOKEN")?.trim();
      if (!token) {
        const { promptSecret } = await import("./prompt.ts");
        token = await promptSecret("Intercom access token: ");
      }
      if (!token) {
        throw new UsageError("the token is empty: pass --token or set INTERCOM_ACCESS_TOKEN");
      }
      const { initialize } = await import("../config/init.ts");
      const result = await initialize(ctx.settings, token, {
        syncDays: options.syncDays,
        signal: ctx.signal,
      });
      if (options.json) {
        printJson({
          ok: true,
          workspace: { id: result.workspaceId, name: result.workspaceName },
          admin: result.admin,
          config_file: result.configFile,
          api_url: result.apiUrl,
        });
      } else {
        printOut(
          `Connected to ${
            result.workspaceId === null
              ? "Intercom (it did not name the workspace)"
              : `workspace "${result.workspaceName}" (id ${result.workspaceId})`
          } as ${
            result.admin.name ?? result.admin.email ?? result.admin.id
          }.\nSaved the token to ${result.configFile} (mode 0600).\nNext: fast-intercom-mcp sync`,
        );
      }
    });
}
