/** The Intercom API client that the settings describe: the one place settings become a client. */
import { ConfigError } from "../errors.ts";
import { type ClientOptions, IntercomClient } from "../intercom/client.ts";
import type { Settings } from "./config.ts";

/** Checks that a token is configured, or says how to configure one. */
export function requireToken(settings: Settings): string {
  if (!settings.token) {
    throw new ConfigError(
      "no Intercom access token: run `fast-intercom-mcp init`, or set INTERCOM_ACCESS_TOKEN",
    );
  }
  return settings.token;
}

/**
 * A client for the configured workspace: its API URL, token, `Intercom-Version` and timeout,
 * with `overrides` on top (a token being validated, fewer attempts, a recording fetch…).
 * Throws `ConfigError` when no token is configured and none is given.
 */
export function clientFromSettings(
  settings: Settings,
  overrides: Partial<ClientOptions> = {},
): IntercomClient {
  return new IntercomClient({
    baseUrl: settings.apiUrl,
    version: settings.intercomVersion,
    timeoutMs: settings.apiTimeoutSeconds * 1000,
    ...overrides,
    token: overrides.token ?? requireToken(settings),
  });
}
