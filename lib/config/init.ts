/** `init`: validate a token against Intercom and save it with the workspace to the config file. */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient } from "../intercom/client.ts";
import { clientFromSettings } from "./client.ts";
import type { Me } from "../intercom/types.ts";
import { type FileConfig, loadConfigFile, saveConfigFile, type Settings } from "./config.ts";

/** What `init` saved. */
export interface InitResult {
  /** Null when Intercom's `/me` names no app (the description allows `app: null`). */
  workspaceId: string | null;
  workspaceName: string | null;
  admin: { id: string; name: string | null; email: string | null };
  configFile: string;
  apiUrl: string;
}

/** Options for {@link initialize}. */
export interface InitOptions {
  /** Days the first sync covers, saved as `initial_sync_days`. Default: keep the current value. */
  syncDays?: number | undefined;
  signal?: AbortSignal;
  /** Default: a client built from `settings`. */
  client?: Pick<IntercomClient, "me">;
}

/**
 * Validates `token` with `GET /me`; on success writes the config file (mode 0600, directory
 * 0700), keeping keys already there. A rejected token throws `AuthError` and writes nothing.
 */
export async function initialize(
  settings: Settings,
  token: string,
  options: InitOptions = {},
): Promise<InitResult> {
  const client = options.client ?? clientFromSettings(settings, { token, maxAttempts: 3 });
  const me: Me = await client.me(options.signal);
  const existing = await loadConfigFile(settings.paths.configFile);
  const config: FileConfig = { ...existing, access_token: token };
  if (me.app !== null) {
    config.workspace_id = me.app.id_code;
    config.workspace_name = me.app.name;
  }
  if (options.syncDays !== undefined) config.initial_sync_days = options.syncDays;
  if (settings.apiUrl !== defaultUrlFor(settings)) config.api_url = settings.apiUrl;
  await saveConfigFile(settings.paths.configFile, config);
  getLogger(["fast-intercom", "cli"]).info("initialised for workspace {workspace} ({id})", {
    workspace: me.app?.name ?? "(not named by Intercom)",
    id: me.app?.id_code ?? "unknown",
  });
  return {
    workspaceId: me.app?.id_code ?? null,
    workspaceName: me.app?.name ?? null,
    admin: { id: me.id, name: me.name, email: me.email },
    configFile: settings.paths.configFile,
    apiUrl: settings.apiUrl,
  };
}

function defaultUrlFor(settings: Settings): string {
  return {
    us: "https://api.intercom.io",
    eu: "https://api.eu.intercom.io",
    au: "https://api.au.intercom.io",
  }[settings.region];
}
