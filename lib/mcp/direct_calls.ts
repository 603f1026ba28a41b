/**
 * Tool calls that have nothing to stream, answered as one JSON response. The SDK's Streamable
 * HTTP transport answers every request of a session as an SSE stream: a `ReadableStream`, a
 * keep-alive timer and zod checks of the envelope per call, and a streamed body for the HTTP
 * server; at 200 concurrent clients that was a tenth of each call's CPU and ~25 MB of memory.
 * The specification lets a server answer any POST with either `application/json` or a stream.
 *
 * A `tools/call` of a read-only tool without a progress token is handed straight to the
 * session's own `tools/call` handler (the SDK's, so arguments, results and errors are checked
 * and shaped exactly as before) and its answer sent as JSON, as the SDK's JSON mode would.
 * Everything else (initialize, notifications, other methods, batches, progress, cancellable
 * syncs, unusual headers, bodies that are not one JSON-RPC request) goes through the
 * transport unchanged.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/shared/mediaType"
import { isJsonContentType } from "@modelcontextprotocol/sdk/shared/mediaType.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { requestHandler } from "./protocol_errors.ts";

/** A JSON-RPC `tools/call` request that can be answered directly. */
export interface DirectCall {
  jsonrpc: "2.0";
  id: string | number;
  method: "tools/call";
  params: Record<string, unknown> & { name: string };
}

const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether the headers are ones the transport accepts for a POST of a session (else it is left
 * to answer them: 406, 415, 400).
 */
export function directHeaders(request: Request): boolean {
  const accept = request.headers.get("accept");
  const version = request.headers.get("mcp-protocol-version");
  return request.method === "POST" && accept !== null && accept.includes("application/json") &&
    accept.includes("text/event-stream") &&
    isJsonContentType(request.headers.get("content-type")) &&
    (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version));
}

/** `body` as a call of one of `tools` that can be answered directly, else null. */
export function directCall(body: unknown, tools: ReadonlySet<string>): DirectCall | null {
  if (!isPlainObject(body) || body.jsonrpc !== "2.0" || body.method !== "tools/call") return null;
  if (Object.keys(body).some((key) => !REQUEST_KEYS.has(key))) return null;
  const { id, params } = body;
  if (typeof id !== "string" && !Number.isSafeInteger(id)) return null;
  if (!isPlainObject(params) || typeof params.name !== "string" || !tools.has(params.name)) {
    return null;
  }
  if (params.task !== undefined) return null;
  const meta = params._meta;
  if (meta !== undefined && (!isPlainObject(meta) || meta.progressToken !== undefined)) return null;
  return body as unknown as DirectCall;
}

/** Answers `call` with `server`'s own `tools/call` handler, as one JSON response. */
export async function answerDirectly(
  server: McpServer,
  call: DirectCall,
  context: { sessionId: string; request: Request },
): Promise<Response> {
  const handler = requestHandler(server, "tools/call");
  const { sessionId, request } = context;
  // what the SDK's protocol layer hands a request handler; nothing is streamed back (as in
  // the SDK's JSON mode), and a read-only call never asks the client anything
  const extra = {
    signal: new AbortController().signal,
    sessionId,
    _meta: call.params._meta,
    sendNotification: () => Promise.resolve(),
    sendRequest: () => Promise.reject(new Error("a direct tool call cannot send requests")),
    authInfo: undefined,
    requestId: call.id,
    // what the transport passes, made when asked for (no tool reads it)
    get requestInfo() {
      const value = { headers: Object.fromEntries(request.headers), url: new URL(request.url) };
      Object.defineProperty(this, "requestInfo", { value, enumerable: true });
      return value;
    },
  };
  let message: Record<string, unknown>;
  try {
    message = { result: await handler(call, extra), jsonrpc: "2.0", id: call.id };
  } catch (thrown) {
    // as the SDK's Protocol answers a handler's failure
    const error = (thrown ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
    message = {
      jsonrpc: "2.0",
      id: call.id,
      error: {
        code: Number.isSafeInteger(error.code) ? error.code : ErrorCode.InternalError,
        message: typeof error.message === "string" ? error.message : "Internal error",
        ...(error.data !== undefined ? { data: error.data } : {}),
      },
    };
  }
  return new Response(JSON.stringify(message), {
    status: 200,
    headers: { "content-type": "application/json", "mcp-session-id": sessionId },
  });
}
