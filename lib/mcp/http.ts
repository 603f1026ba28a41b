/**
 * `serve`: MCP over Streamable HTTP. The connection guard (`connection_guard.ts`) owns the
 * TCP port, with connection limits and timeouts; it relays each connection to `Deno.serve`
 * on a Unix socket in a private temporary directory, where the route table
 * (`http_routes.ts`) answers: `POST /mcp` carries JSON-RPC, `GET /health` answers probes
 * without auth. A bearer key is required whenever one is set, and always beyond loopback.
 * The key is never logged.
 */
import { getLogger } from "@logtape/logtape";
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../logging/redact.ts";
import type { McpApp } from "./app.ts";
import type { ConnectionLimits } from "./connection_guard.ts";
import { listenGuarded } from "./guarded_listener.ts";
import { apiKeyProblem, isLoopbackHost } from "./http_guard.ts";
import { openIoTurn } from "./io_turn.ts";
import { McpSessions } from "./mcp_endpoint.ts";
import { createHttpHandler, type HttpRoute, MCP_PATH, rpcErrorResponse } from "./http_routes.ts";

export { createHttpHandler, type HttpRoute, MCP_PATH } from "./http_routes.ts";

const log = getLogger(["fast-intercom", "mcp", "http"]);

/** Options of {@link serveHttp}. */
export interface ServeHttpOptions {
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Bearer key clients must send; required beyond loopback. Default: none. */
  apiKey?: string | null;
  /** Browser origins allowed besides this machine's (`http://localhost:*`). Default: none. */
  allowedOrigins?: string[];
  /** Connection limits and timeouts. Default: `DEFAULT_LIMITS` (connection_guard.ts), the cap from `ulimit -n`. */
  limits?: Partial<ConnectionLimits>;
  /** More routes (e.g. `/metrics`). Default: none. */
  routes?: readonly HttpRoute[];
  /** Stops the server when aborted. Default: none. */
  signal?: AbortSignal;
}

/** A listening HTTP server. */
export interface HttpServer extends AsyncDisposable {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8000/mcp`. */
  url: string;
  port: number;
  /** The connection limits in force. */
  limits: ConnectionLimits;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops listening and closes the app. Safe twice. */
  close(): Promise<void>;
}

/**
 * Refuses a configuration that would expose the store: no key beyond loopback, and any key
 * that is blank, unsendable or (beyond loopback) weak. `apiKey` null means none was given.
 */
export function assertSafeBinding(host: string, apiKey: string | null | undefined): void {
  const loopback = isLoopbackHost(host);
  const make = "make one with `openssl rand -hex 32`";
  if (apiKey === null || apiKey === undefined) {
    if (loopback) return;
    throw new ConfigError(
      `refusing to serve on "${host}" without an API key: anyone who can reach it could read ` +
        `your Intercom data. Set FASTINTERCOM_API_KEY (${make}; or pass --api-key), or bind ` +
        "to 127.0.0.1",
    );
  }
  const problem = apiKeyProblem(apiKey, { loopback });
  if (problem !== null) {
    throw new ConfigError(
      `refusing to serve on "${host}": the API key (FASTINTERCOM_API_KEY or --api-key) ` +
        `${problem}. Use a random key: ${make}`,
    );
  }
}

/** Starts the Streamable HTTP server for `app`. */
export async function serveHttp(app: McpApp, options: ServeHttpOptions = {}): Promise<HttpServer> {
  const host = options.host ?? "127.0.0.1";
  const apiKey = options.apiKey ?? null;
  assertSafeBinding(host, apiKey);
  registerSecret(apiKey);
  const socketDir = await Deno.makeTempDir({ prefix: "fast-intercom-mcp-" });
  const turn = await openIoTurn(socketDir);
  const sessions = new McpSessions(app, { nextTurn: turn.next });
  const handler = createHttpHandler(app, {
    sessions,
    apiKey,
    loopback: isLoopbackHost(host),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.routes ? { routes: options.routes } : {}),
  });
  const removeDir = () => Deno.remove(socketDir, { recursive: true }).catch(() => {});
  let listener;
  try {
    listener = await listenGuarded(handler, {
      hostname: host,
      port: options.port ?? 8000,
      ...(options.limits ? { limits: options.limits } : {}),
      socketDir,
      log,
      onError: () => rpcErrorResponse(500, "Internal server error; see the server's errors.log"),
      // open SSE streams would keep the inner server waiting
      beforeStop: () => sessions.close(),
    });
  } catch (error) {
    turn.close();
    await removeDir();
    throw error;
  }
  const { limits } = listener;
  const port = listener.addr.port;
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}${MCP_PATH}`;
  log.info(
    "serving MCP over HTTP at {url} (API key {auth}; at most {max} connections)",
    {
      url,
      auth: apiKey === null ? "not required" : "required",
      max: limits.maxConnections,
      headers_timeout_ms: limits.headersTimeoutMs,
      idle_timeout_ms: limits.idleTimeoutMs,
    },
  );
  const { promise: finished, resolve: done } = Promise.withResolvers<void>();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await listener.close();
      turn.close();
      await app.close();
      await removeDir();
      done();
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return { url, port, limits, finished, close, [Symbol.asyncDispose]: close };
}
