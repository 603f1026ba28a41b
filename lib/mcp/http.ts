/**
 * MCP over Streamable HTTP on `Deno.serve`: `POST /mcp` carries JSON-RPC (stateless: a fresh
 * server and transport per request, answered as JSON), `GET /health` answers probes without
 * auth. A bearer key is required whenever one is set, and always when bound beyond loopback;
 * Origin and Host are checked against DNS rebinding. The key is never logged.
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { getLogger } from "@logtape/logtape";
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../logging/redact.ts";
import type { McpApp } from "./app.ts";
import {
  apiKeyProblem,
  bearerMatches,
  hostAllowed,
  isLoopbackHost,
  originAllowed,
} from "./http_guard.ts";
import { createMcpServer } from "./server.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** The path of the MCP endpoint. */
export const MCP_PATH = "/mcp";

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
  /** Stops the server when aborted. Default: none. */
  signal?: AbortSignal;
  /** Called once listening, with the URL of the MCP endpoint. Default: nothing. */
  onListen?: (url: string) => void;
}

/** A listening HTTP server. */
export interface HttpServer extends AsyncDisposable {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8000/mcp`. */
  url: string;
  port: number;
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

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function rpcError(status: number, message: string, headers: Record<string, string> = {}) {
  return json(status, { jsonrpc: "2.0", error: { code: -32000, message }, id: null }, headers);
}

/** The request handler; exported for tests that drive it without a socket. */
export function createHttpHandler(
  app: McpApp,
  options: { apiKey?: string | null; allowedOrigins?: string[]; loopback: boolean },
): (request: Request) => Promise<Response> {
  const apiKey = options.apiKey ?? null;
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/health" && request.method === "GET") {
      return json(200, { status: "ok", version: app.ctx.server.version });
    }
    if (url.pathname !== MCP_PATH) return json(404, { error: `not found: use ${MCP_PATH}` });
    if (!hostAllowed(request.headers.get("host"), options.loopback)) {
      log.warning("refused a request with Host {host} (DNS rebinding protection)", {
        host: request.headers.get("host"),
      });
      return rpcError(403, "Host not allowed");
    }
    const origin = request.headers.get("origin");
    if (!originAllowed(origin, options.allowedOrigins)) {
      log.warning("refused a request from Origin {origin}", { origin });
      return rpcError(403, "Origin not allowed");
    }
    if (apiKey !== null && !bearerMatches(request.headers.get("authorization"), apiKey)) {
      log.info("refused an MCP request without a valid API key");
      return rpcError(401, "Unauthorized: send Authorization: Bearer <API key>", {
        "www-authenticate": 'Bearer realm="fast-intercom-mcp"',
      });
    }
    if (request.method !== "POST") {
      return rpcError(405, "Method not allowed: this server is stateless, use POST", {
        allow: "POST",
      });
    }
    const server = createMcpServer(app.ctx);
    // no sessionIdGenerator: stateless mode
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request);
    } finally {
      // JSON responses are complete here; closing frees the per-request server
      await server.close().catch(() => {});
    }
  };
}

/** Starts the Streamable HTTP server for `app`. */
export function serveHttp(app: McpApp, options: ServeHttpOptions = {}): HttpServer {
  const host = options.host ?? "127.0.0.1";
  const apiKey = options.apiKey ?? null;
  assertSafeBinding(host, apiKey);
  registerSecret(apiKey);
  const loopback = isLoopbackHost(host);
  const handler = createHttpHandler(app, {
    apiKey,
    loopback,
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  });
  const stop = new AbortController();
  const server = Deno.serve({
    hostname: host,
    port: options.port ?? 8000,
    signal: stop.signal,
    onListen: () => {},
  }, handler);
  const port = server.addr.port;
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}${MCP_PATH}`;
  log.info("serving MCP over HTTP at {url} (API key {auth})", {
    url,
    auth: apiKey === null ? "not required" : "required",
  });
  options.onListen?.(url);
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      stop.abort();
      await server.finished;
      await app.close();
    })();
    return closing;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  const finished = server.finished.then(() => closing ?? close());
  return { url, port, finished, close, [Symbol.asyncDispose]: close };
}
