/**
 * The checks in front of `monitor serve`'s routes, the same rules as `serve`: a bearer key is
 * required whenever one is set (and a key must be set to bind beyond loopback), the Host
 * header must fit a loopback bind (DNS rebinding), and a browser Origin must be this machine
 * or allowed. Answers with the refusal (or a CORS preflight's answer), or null to let the
 * request through. Pages from an allowed origin get CORS headers (`../mcp/cors.ts`) on the
 * 401, so they can ask for the key (`server.ts` adds them to what passes).
 */
import { getLogger } from "@logtape/logtape";
import { corsHeaders, isPreflight, preflightResponse } from "../mcp/cors.ts";
import { bearerMatches, hostAllowed, originAllowed } from "../mcp/http_guard.ts";

const log = getLogger(["fast-intercom", "monitor"]);

/** How a server is bound and protected. */
export interface GuardOptions {
  apiKey: string | null;
  /** Whether the server is bound to a loopback address. */
  loopback: boolean;
  /** Browser origins allowed besides this machine's. Default: none. */
  allowedOrigins?: readonly string[];
}

function refuse(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * The refusal for a request that fails the Host, Origin or key checks, or the answer to a CORS
 * preflight from an allowed origin; null when the request passes.
 */
export function guardRequest(request: Request, options: GuardOptions): Response | null {
  if (!hostAllowed(request.headers.get("host"), options.loopback)) {
    log.warning("refused a request with Host {host} (DNS rebinding protection)", {
      host: request.headers.get("host"),
    });
    return refuse(403, "Host not allowed");
  }
  const origin = request.headers.get("origin");
  if (!originAllowed(origin, options.allowedOrigins ? [...options.allowedOrigins] : [])) {
    log.warning("refused a request from Origin {origin}", { origin });
    return refuse(403, "Origin not allowed");
  }
  // a preflight carries no key: the browser sends it on the request that follows
  if (isPreflight(request)) return preflightResponse(request, origin ?? "*");
  if (
    options.apiKey !== null && !bearerMatches(request.headers.get("authorization"), options.apiKey)
  ) {
    return refuse(401, "Unauthorized: send Authorization: Bearer <API key>", {
      ...corsHeaders(origin),
      "www-authenticate": 'Bearer realm="fast-intercom-mcp"',
    });
  }
  return null;
}
