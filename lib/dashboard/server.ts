/**
 * `monitor serve`: a small HTTP server for operators and Prometheus, separate from the MCP
 * server. Routes are a table of `"METHOD /path"` → handler; `GET /health` answers without a
 * key (probes), everything else passes {@link guardRequest}. Binding beyond loopback without
 * a key is refused, as for `serve`.
 */
import { getLogger } from "@logtape/logtape";
import { registerSecret } from "../logging/redact.ts";
import { assertSafeBinding } from "../mcp/http.ts";
import { isLoopbackHost } from "../mcp/http_guard.ts";
import { VERSION } from "../version.ts";
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
  /** Stops the server when aborted. Default: none. */
  signal?: AbortSignal;
}

/** A listening monitor server. */
export interface MonitorServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  url: string;
  port: number;
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
    const key = `${request.method === "HEAD" ? "GET" : request.method} ${url.pathname}`;
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
    const refused = guardRequest(request, key in open ? { ...options, apiKey: null } : options);
    if (refused !== null) return refused;
    try {
      return await route(request, url);
    } catch (error) {
      log.error("{route} failed: {error}", {
        route: url.pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      return json(500, { error: "internal error; see the logs (`fast-intercom-mcp logs errors`)" });
    }
  };
}

/** Starts the monitor server with `routes`. */
export function serveMonitor(routes: Routes, options: ServeMonitorOptions = {}): MonitorServer {
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
  const stop = new AbortController();
  const server = Deno.serve({
    hostname: host,
    port: options.port ?? DEFAULT_MONITOR_PORT,
    signal: stop.signal,
    onListen: () => {},
  }, handler);
  const port = server.addr.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info("monitor serving at {url} (API key {auth})", {
    url,
    auth: apiKey === null ? "not required" : "required",
  });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      stop.abort();
      await server.finished;
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return { url, port, finished: server.finished, close, [Symbol.asyncDispose]: close };
}
