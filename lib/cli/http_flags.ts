/**
 * Flags both HTTP servers (`serve`, `monitor serve`) share: `--host`, `--api-key` and the
 * connection limits (`--max-connections`, `--headers-timeout`, `--idle-timeout`), with the
 * same defaults, validation and help, and the start both servers make with them. Light to
 * import: the command tree loads it for `--help`.
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import type { ConnectionLimits } from "../mcp/connection_guard.ts";
import { MIN_REMOTE_KEY_LENGTH } from "../mcp/http_guard.ts";
import { registerSecret } from "../logging/redact.ts";
import { type CommandContext, prepare } from "./context.ts";
import { integerFlag } from "./flag_types.ts";

/** `--host <host>`: its help, for `.option(...HOST)`. */
export const HOST = ["--host <host>", "address to bind (default 127.0.0.1)"] as const;

/** `--api-key <key>`. */
export const API_KEY = [
  "--api-key <key>",
  "bearer key clients must send (default: $FASTINTERCOM_API_KEY); required beyond loopback",
] as const;

/** `--max-connections <n>`: its help and parser, for `.option(...MAX_CONNECTIONS)`. */
export const MAX_CONNECTIONS = [
  "--max-connections <n>",
  "connections open at once; more are answered 503 (default: what `ulimit -n` allows, " +
  "at most 1024)",
  integerFlag("--max-connections", { min: 1, max: 100000 }),
] as const;

/** `--headers-timeout <seconds>`. */
export const HEADERS_TIMEOUT = [
  "--headers-timeout <seconds>",
  "a connection must send a complete request head within this (default 10)",
  integerFlag("--headers-timeout", { min: 1, max: 3600 }),
] as const;

/** `--idle-timeout <seconds>`. */
export const IDLE_TIMEOUT = [
  "--idle-timeout <seconds>",
  "close connections idle between requests this long (default 60)",
  integerFlag("--idle-timeout", { min: 1, max: 86400 }),
] as const;

/** The help text on keys and connections, the same for both servers. */
export const KEY_AND_CONNECTIONS_HELP =
  `Binding to anything but loopback needs a key of at least ${MIN_REMOTE_KEY_LENGTH} characters
(openssl rand -hex 32). Prefer FASTINTERCOM_API_KEY to --api-key: command lines are visible
to other users of the machine. Connections must send a request head within 10 s
(--headers-timeout) and are closed after 60 s idle (--idle-timeout); past --max-connections
new ones are answered 503.`;

/** The connection flags as parsed by commander. */
export interface ConnectionFlags {
  maxConnections?: number | undefined;
  headersTimeout?: number | undefined;
  idleTimeout?: number | undefined;
}

/** The limits the flags set (the rest keep their defaults). */
export function connectionLimits(flags: ConnectionFlags): Partial<ConnectionLimits> {
  return {
    ...(flags.maxConnections !== undefined ? { maxConnections: flags.maxConnections } : {}),
    ...(flags.headersTimeout !== undefined
      ? { headersTimeoutMs: flags.headersTimeout * 1000 }
      : {}),
    ...(flags.idleTimeout !== undefined ? { idleTimeoutMs: flags.idleTimeout * 1000 } : {}),
  };
}

/**
 * The start of both servers: the key kept out of every log line, the command prepared, the
 * host (default 127.0.0.1) and the API key resolved for it (`resolveApiKey`).
 */
export async function prepareServer(
  flags: { host?: string | undefined; apiKey?: string | undefined },
  cmd: CommandUnknownOpts,
): Promise<{ ctx: CommandContext; host: string; apiKey: string | null }> {
  registerSecret(flags.apiKey);
  const ctx = await prepare(cmd);
  const host = flags.host ?? "127.0.0.1";
  // An empty variable counts as unset; a blank or weak key is refused, never taken for
  // "no key".
  const { resolveApiKey } = await import("./api_key.ts");
  return { ctx, host, apiKey: resolveApiKey(flags.apiKey, host) };
}
