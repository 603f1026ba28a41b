/**
 * What every command shares: the global flags, resolved settings, logging and the interrupt
 * signal. Commands call {@link prepare} first.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { resolveSettings, type SettingFlags, type Settings } from "../config/config.ts";
import { resolvePaths } from "../config/paths.ts";
import { setupLogging } from "../logging/logging.ts";
import { registerSecret } from "../logging/redact.ts";
import { getSessionId } from "../logging/session.ts";
import { interruptSignal } from "./interrupt.ts";

/** The flags every command accepts (declared on the root command). */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  dataDir?: string;
  apiUrl?: string;
  region?: string;
}

/** Reads the root command's options from any subcommand. */
export function globalsOf(cmd: CommandUnknownOpts): GlobalOptions {
  let root: CommandUnknownOpts = cmd;
  while (root.parent) root = root.parent;
  return root.opts() as GlobalOptions;
}

/** Whether console output should be silenced: `--quiet` or `FASTINTERCOM_QUIET=true`. */
export function isQuiet(globals: GlobalOptions): boolean {
  const env = Deno.env.get("FASTINTERCOM_QUIET")?.toLowerCase();
  return globals.quiet === true || env === "true" || env === "1";
}

/** The environment of one command run. */
export interface CommandContext {
  globals: GlobalOptions;
  settings: Settings;
  sessionId: string;
  quiet: boolean;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** Options for {@link prepare}. */
export interface PrepareOptions {
  /** A `--token` given to this command. */
  token?: string | undefined;
  /** Set up the log files and console logging. Default: true. */
  logging?: boolean;
}

/** Resolves settings from flags, environment and config file, and configures logging. */
export async function prepare(
  cmd: CommandUnknownOpts,
  options: PrepareOptions = {},
): Promise<CommandContext> {
  const globals = globalsOf(cmd);
  registerSecret(options.token);
  registerSecret(Deno.env.get("INTERCOM_ACCESS_TOKEN"));
  registerSecret(Deno.env.get("FASTINTERCOM_API_KEY"));
  const paths = resolvePaths({ dataDir: globals.dataDir });
  const flags: SettingFlags = {
    token: options.token,
    apiUrl: globals.apiUrl,
    region: globals.region,
  };
  const settings = await resolveSettings(paths, flags);
  registerSecret(settings.token);
  // chat webhooks carry their token in the URL
  registerSecret(settings.alertWebhookUrl);
  const sessionId = getSessionId();
  const quiet = isQuiet(globals);
  if (options.logging !== false) {
    await setupLogging({
      logDir: paths.logDir,
      level: globals.verbose ? "debug" : settings.logLevel,
      consoleLevel: quiet ? "off" : globals.verbose ? "debug" : "warning",
      sessionId,
      maxBytes: settings.logMaxBytes,
      maxFiles: settings.logMaxFiles,
      archive: { maxFiles: settings.logArchiveMaxFiles, maxDays: settings.logArchiveMaxDays },
    });
  }
  return { globals, settings, sessionId, quiet, signal: interruptSignal() };
}
