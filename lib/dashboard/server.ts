/**
 * `monitor serve`: a small HTTP server for operators and Prometheus, separate from the MCP
 * server. Routes are a table of `"METHOD /path"` → handler; `GET /health` answers without a
 * key (probes), everything else passes {@link guardRequest}. Binding beyond loopback without
 * a key is refused, and connections pass the same guard (cap, header and idle timeouts,
 * running out of file descriptors survived) as for `serve`.
 */
import { getLogger } from "@logtape/logtape";
import { registerSecret } from "../logging/redact.ts";
import type { ConnectionLimits } from "../mcp/connection_guard.ts";
import { listenGuarded } from "../mcp/guarded_listener.ts";
import { assertSafeBinding } from "../mcp/http.ts";
import { isLoopbackHost } from "../mcp/http_guard.ts";
import { VERSION } from "../version.ts";
import { corsHeaders, isPreflight, withCorsHeaders } from "../mcp/cors.ts";
import { guardRequest } from "./guard.ts";

const log = getLogger(["fast-intercom", "monitor"]);

/** A route's handler. */
export type RouteHandler = (request: Request, url: URL) => Response | Promise<Response>;

/** Routes keyed by `"GET /metrics"`. */
export type Routes = Record<string, RouteHandler>;

/** Options for {@link serveMonitor}. */
export interface ServeMonitorOptions {
  /** Routes served without a key (pages holding no data). Default: none. */
  open?: Routes;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 9464. */
  port?: number;
  /** Bearer key; required beyond loopback. Default: none. */
  apiKey?: string | null;
  /** Browser origins allowed besides this machine's. Default: none. */
  allowedOrigins?: string[];
  /** Connection limits and timeouts. Default: as `serve`'s (the cap from `ulimit -n`). */
  limits?: Partial<ConnectionLimits>;
  /** Stops the server when aborted. Default: none. */
  signal?: AbortSignal;
}

/** A listening monitor server. */
export interface MonitorServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  url: string;
  port: number;
  /** The connection limits in force. */
  limits: ConnectionLimits;
  finished: Promise<void>;
  /** Stops listening. Safe twice. */
  close(): Promise<void>;
}

/** The default port: the one commonly used by Prometheus exporters of this kind. */
export const DEFAULT_MONITOR_PORT = 9464;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The request handler over `routes`; exported for tests that drive it without a socket. */
export function createMonitorHandler(
  routes: Routes,
  options: {
    apiKey: string | null;
    loopback: boolean;
    allowedOrigins?: string[];
    open?: Routes;
  },
): (request: Request) => Promise<Response> {
  const open = options.open ?? {};
  const all = { ...open, ...routes };
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/health" && request.method === "GET") {
      return json(200, { status: "ok", version: VERSION });
    }
    const preflight = isPreflight(request);
    const method = preflight || request.method === "HEAD" ? "GET" : request.method;
    const key = `${method} ${url.pathname}`;
    const route = all[key];
    if (route === undefined) {
      const known = Object.keys(all).some((k) => k.endsWith(` ${url.pathname}`));
      return known
        ? json(405, { error: `method ${request.method} not allowed on ${url.pathname}` })
        : json(404, {
          error: `not found: ${url.pathname} (routes: ${
            Object.keys(all).map((k) => k.split(" ")[1]).filter((p) => !p?.includes("/assets/"))
              .join(", ")
          }, /health)`,
        });
    }
    // open routes still pass the Host and Origin checks; only the key is not asked
    const guarded = !(key in open);
    const refused = guardRequest(request, guarded ? options : { ...options, apiKey: null });
    if (refused !== null) return refused;
    const cors = guarded ? corsHeaders(request.headers.get("origin")) : {};
    try {
      return withCorsHeaders(await route(request, url), cors);
    } catch (error) {
      log.error("{route} failed: {error}", {
        route: url.pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      const failed = json(500, {
        error: "internal error; see the logs (`fast-intercom-mcp logs errors`)",
      });
      return withCorsHeaders(failed, cors);
    }
  };
}

/** Starts the monitor server with `routes`. */
export async function serveMonitor(
  routes: Routes,
  options: ServeMonitorOptions = {},
): Promise<MonitorServer> {
  const host = options.host ?? "127.0.0.1";
  const apiKey = options.apiKey || null;
  assertSafeBinding(host, apiKey);
  registerSecret(apiKey);
  const handler = createMonitorHandler(routes, {
    apiKey,
    loopback: isLoopbackHost(host),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.open ? { open: options.open } : {}),
  });
  const server = await listenGuarded(handler, {
    hostname: host,
    port: options.port ?? DEFAULT_MONITOR_PORT,
    ...(options.limits ? { limits: options.limits } : {}),
    onError: () =>
      json(500, { error: "internal error; see the logs (`fast-intercom-mcp logs errors`)" }),
  });
  const port = server.addr.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info("monitor serving at {url} (API key {auth}; at most {max} connections)", {
    url,
    auth: apiKey === null ? "not required" : "required",
    max: server.limits.maxConnections,
    headers_timeout_ms: server.limits.headersTimeoutMs,
    idle_timeout_ms: server.limits.idleTimeoutMs,
  });
  const close = () => server.close();
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return {
    url,
    port,
    limits: server.limits,
    finished: server.finished,
    close,
    [Symbol.asyncDispose]: close,
  };
}
