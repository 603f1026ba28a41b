/**
 * The HTTP routes of `serve`, as a table: each route names its path, its methods, whether it
 * is open (probes) or guarded, and its handler. A guarded route gets the checks the MCP
 * specification asks of a local server, in this order: Host (DNS rebinding), Origin, CORS
 * preflight, the bearer key; its answers carry CORS headers for allowed browser origins.
 * Another route (say `/metrics`) is one more entry in `routes`.
 */
import { getLogger } from "@logtape/logtape";
import type { McpApp } from "./app.ts";
import { corsHeaders, isPreflight, preflightResponse, withCorsHeaders } from "./cors.ts";
import { bearerMatches, hostAllowed, originAllowed } from "./http_guard.ts";
import { McpSessions } from "./mcp_endpoint.ts";

const log = getLogger(["fast-intercom", "mcp", "http"]);

/** The path of the MCP endpoint. */
export const MCP_PATH = "/mcp";
/** The path of the health probe. */
export const HEALTH_PATH = "/health";

/** One route of the table. */
export interface HttpRoute {
  path: string;
  /** Methods answered; any other gets 405 with `Allow`. */
  methods: readonly string[];
  /** `open`: answered to anyone, unchecked (probes). `guarded`: Host, Origin, key, CORS. */
  access: "open" | "guarded";
  handle(request: Request): Response | Promise<Response>;
}

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Bearer key guarded routes require; null = none. Default: none. */
  apiKey?: string | null;
  /** Browser origins allowed besides this machine's. Default: none. */
  allowedOrigins?: readonly string[];
  /** Whether the server is bound to loopback (then only loopback Host names are accepted). */
  loopback: boolean;
  /** Routes added to the built-in ones (`/health`, `/mcp`). Default: none. */
  routes?: readonly HttpRoute[];
  /** The MCP sessions (the caller closes them). Default: new ones over `app`. */
  sessions?: McpSessions;
}

/** A JSON answer. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A JSON-RPC error answer outside any request (id null), as the MCP transport gives them. */
export function rpcErrorResponse(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { jsonrpc: "2.0", error: { code: -32000, message }, id: null }, {
    ...headers,
  });
}

/** The built-in routes for `app`. */
export function builtInRoutes(app: McpApp, sessions: McpSessions): HttpRoute[] {
  return [
    {
      path: HEALTH_PATH,
      methods: ["GET"],
      access: "open",
      handle: () => jsonResponse(200, { status: "ok", version: app.ctx.server.version }),
    },
    {
      path: MCP_PATH,
      methods: ["GET", "POST", "DELETE"],
      access: "guarded",
      handle: (request) => sessions.handle(request),
    },
  ];
}

/** The checks of a guarded route; an answer when the request is refused, else null. */
function refusal(
  request: Request,
  options: HttpHandlerOptions,
  cors: Record<string, string>,
): Response | null {
  const host = request.headers.get("host");
  // a refused client gets no keep-alive connection to hold on to
  const close = { connection: "close" };
  if (!hostAllowed(host, options.loopback)) {
    log.warning("refused a request with Host {host} (DNS rebinding protection)", { host });
    return rpcErrorResponse(403, "Host not allowed", close);
  }
  const origin = request.headers.get("origin");
  if (!originAllowed(origin, options.allowedOrigins)) {
    log.warning("refused a request from Origin {origin}", { origin });
    return rpcErrorResponse(403, "Origin not allowed", close);
  }
  if (isPreflight(request)) return preflightResponse(request, origin ?? "*");
  const apiKey = options.apiKey ?? null;
  if (apiKey !== null && !bearerMatches(request.headers.get("authorization"), apiKey)) {
    log.info("refused an MCP request without a valid API key");
    return rpcErrorResponse(401, "Unauthorized: send Authorization: Bearer <API key>", {
      ...cors,
      ...close,
      "www-authenticate": 'Bearer realm="fast-intercom-mcp"',
    });
  }
  return null;
}

/** The request handler of `serve`; exported for tests that drive it without a socket. */
export function createHttpHandler(
  app: McpApp,
  options: HttpHandlerOptions,
): (request: Request) => Promise<Response> {
  const routes = new Map<string, HttpRoute>();
  const sessions = options.sessions ?? new McpSessions(app);
  for (const route of [...builtInRoutes(app, sessions), ...(options.routes ?? [])]) {
    routes.set(route.path, route);
  }
  return async (request) => {
    const path = new URL(request.url).pathname;
    const route = routes.get(path);
    if (route === undefined) {
      return jsonResponse(404, { error: `not found: use ${MCP_PATH}` });
    }
    const guarded = route.access === "guarded";
    const cors = guarded ? corsHeaders(request.headers.get("origin")) : {};
    if (guarded) {
      const refused = refusal(request, options, cors);
      if (refused !== null) return refused;
    }
    if (!route.methods.includes(request.method)) {
      return withCorsHeaders(
        rpcErrorResponse(405, `Method not allowed: use ${route.methods.join(" or ")}`, {
          allow: route.methods.join(", "),
        }),
        cors,
      );
    }
    return withCorsHeaders(await route.handle(request), cors);
  };
}
