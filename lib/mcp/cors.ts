/**
 * CORS for browser-based MCP clients (the MCP Inspector's web UI, web apps on an
 * `--allow-origin`): pages from an allowed origin may call `/mcp` with `Authorization`,
 * read the `Mcp-Session-Id` and `MCP-Protocol-Version` response headers the Streamable HTTP
 * transport needs, and send the preflight (OPTIONS) a browser makes first. Other origins get
 * no CORS headers, so the browser keeps the answer from the page. Pure functions.
 */

/** Methods of the MCP endpoint. */
const METHODS = "GET, POST, DELETE, OPTIONS";
/** Request headers MCP clients send, allowed when a preflight does not list its own. */
const REQUEST_HEADERS =
  "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID";
/** Response headers a page may read. */
const EXPOSED_HEADERS = "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate";
/** How long a browser may cache a preflight answer, in seconds. */
const MAX_AGE = "600";

/** The CORS headers of an answer to a request from `origin` (already checked as allowed). */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": EXPOSED_HEADERS,
    vary: "Origin",
  };
}

/**
 * `response` with the `cors` headers added (a `Vary` it already has is extended, not
 * replaced); `response` itself when there are none.
 */
export function withCorsHeaders(response: Response, cors: Record<string, string>): Response {
  if (Object.keys(cors).length === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(cors)) {
    if (name === "vary" && headers.has("vary")) headers.append("vary", value);
    else headers.set(name, value);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Whether `request` is a CORS preflight (OPTIONS with `Access-Control-Request-Method`). */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" &&
    request.headers.has("access-control-request-method");
}

/**
 * The answer to a preflight from an allowed `origin`: the methods, the requested headers when
 * they are plain header names (else the ones MCP clients use), and a cache lifetime.
 */
export function preflightResponse(request: Request, origin: string): Response {
  const asked = request.headers.get("access-control-request-headers");
  const headers = asked !== null && /^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$/.test(asked.trim())
    ? asked.trim()
    : REQUEST_HEADERS;
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "access-control-allow-methods": METHODS,
      "access-control-allow-headers": headers,
      "access-control-max-age": MAX_AGE,
    },
  });
}
