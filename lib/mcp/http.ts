/**
 * `serve`: MCP over Streamable HTTP. The connection guard (`connection_guard.ts`) owns the
 * TCP port, with connection limits and timeouts; it relays each connection to `Deno.serve`
 * on a Unix socket in a private temporary directory, where the route table
 * (`http_routes.ts`) answers: `POST /mcp` carries JSON-RPC, `GET /health` answers probes
 * without auth. A bearer key is required whenever one is set, and always beyond loopback.
 * The key is never logged.
 */
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../logging/redact.ts";
import { openFileLimit } from "../util/fd_limit.ts";
import type { McpApp } from "./app.ts";
import {
  type ConnectionLimits,
  DEFAULT_LIMITS,
  guardConnections,
  isDescriptorShortage,
} from "./connection_guard.ts";
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
  /** Connection limits and timeouts. Default: {@link DEFAULT_LIMITS}, the cap from `ulimit -n`. */
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

/** File descriptors kept for everything but connections: the store, logs, syncs, children. */
const RESERVED_DESCRIPTORS = 96;
/** Descriptors one relayed connection holds: the client's, and both ends of the relay socket. */
const DESCRIPTORS_PER_CONNECTION = 3;
/** The connection cap when the descriptor limit allows more. */
export const MAX_CONNECTIONS = 1024;

/** The default connection cap for a descriptor limit (null: unknown, assume 1024). */
export function connectionCap(descriptorLimit: number | null): number {
  const limit = descriptorLimit ?? 1024;
  const cap = Math.floor((limit - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_CONNECTION);
  return Math.max(4, Math.min(MAX_CONNECTIONS, cap));
}

/** Starts the Streamable HTTP server for `app`. */
export async function serveHttp(app: McpApp, options: ServeHttpOptions = {}): Promise<HttpServer> {
  const host = options.host ?? "127.0.0.1";
  const apiKey = options.apiKey ?? null;
  assertSafeBinding(host, apiKey);
  registerSecret(apiKey);
  const limits: ConnectionLimits = {
    ...DEFAULT_LIMITS,
    maxConnections: connectionCap(await openFileLimit()),
    ...options.limits,
  };
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
  const stop = new AbortController();
  let generation = 0;
  let stopping = false;
  // The HTTP server behind the guard; started again should it ever fail (it ends its accept
  // loop when descriptors run out, which the guard's cap is meant to prevent).
  const startInner = () => {
    const path = join(socketDir, `http-${generation++}.sock`);
    const server = Deno.serve({
      path,
      signal: stop.signal,
      onListen: () => {},
      onError: (error) => {
        log.error("HTTP request failed: {error}", { error: String(error) });
        return rpcErrorResponse(500, "Internal server error; see the server's errors.log");
      },
    }, handler);
    server.finished.catch((error) => {
      if (stopping) return;
      log.error("the HTTP server stopped ({error}); starting it again", {
        error: isDescriptorShortage(error) ? "out of file descriptors" : String(error),
      });
      restart();
    });
    return { path, server };
  };
  const restart = () => {
    try {
      inner = startInner();
    } catch {
      // out of descriptors for the new socket too: try again shortly
      if (!stopping) setTimeout(restart, 100);
    }
  };
  let inner = startInner();
  const guard = guardConnections({
    hostname: host,
    port: options.port ?? 8000,
    upstream: () => inner.path,
    limits,
  });
  const port = guard.addr.port;
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
      stopping = true;
      await guard.close();
      await sessions.close();
      turn.close();
      stop.abort();
      await inner.server.finished.catch(() => {});
      await app.close();
      await Deno.remove(socketDir, { recursive: true }).catch(() => {});
      done();
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return { url, port, limits, finished, close, [Symbol.asyncDispose]: close };
}
