/**
 * JSON-RPC error codes as the MCP specification gives them, where the SDK falls short:
 *
 * - a request whose params do not fit the method (`tools/call` without a name,
 *   `logging/setLevel` with an unknown level) is `-32602 Invalid params` with a one-line
 *   reason; the SDK answers `-32603 Internal error` with a dump of the schema errors;
 * - `tools/call` of a tool that does not exist is `-32602` (a protocol error), not a tool
 *   result the model would read as the tool failing;
 * - `resources/read` of a URI no resource matches is `-32002 Resource not found`, not
 *   `-32602`.
 *
 * The SDK offers no hook for this, so the request handlers it registered are wrapped after
 * registration; `wrapRequestHandlers` fails loudly if a new SDK version moves them.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";

type Handler = (request: { method: string; params?: unknown }, extra: unknown) => Promise<unknown>;

interface Issue {
  path?: readonly (string | number)[];
  message?: string;
}

/** The issues of a schema validation error (zod 3 `ZodError`, zod 4 core `$ZodError`), else null. */
function issuesOf(error: unknown): Issue[] | null {
  if (error === null || typeof error !== "object") return null;
  const name = (error as { name?: unknown }).name;
  const issues = (error as { issues?: unknown }).issues;
  return typeof name === "string" && /ZodError$/.test(name) && Array.isArray(issues)
    ? issues as Issue[]
    : null;
}

/** Whether `error` is the SDK's answer to a URI that no resource or template matches. */
function isUnknownResource(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === ErrorCode.InvalidParams && typeof message === "string" &&
    /Resource .* not found/.test(message);
}

/** A one-line account of schema issues: `params.name: Required; params.arguments: …`. */
export function describeIssues(issues: readonly Issue[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const path = (issue.path ?? []).join(".");
    return path ? `${path}: ${issue.message ?? "invalid"}` : issue.message ?? "invalid";
  });
  if (issues.length > 3) parts.push(`and ${issues.length - 3} more`);
  return parts.join("; ");
}

/**
 * An error the SDK sends as a JSON-RPC error with this code and exactly this message (an
 * `McpError` would prefix "MCP error -32602: ", which the client's `McpError` prefixes again).
 */
export class InvalidParamsError extends Error {
  readonly code: number = ErrorCode.InvalidParams;
  constructor(message: string) {
    super(message);
    this.name = "InvalidParamsError";
  }
}

/** JSON-RPC -32002: the specification's code for a resource that does not exist. */
export class ResourceNotFoundError extends Error {
  readonly code: number = -32002;
  constructor(message: string) {
    super(message);
    this.name = "ResourceNotFoundError";
  }
}

/** The SDK's map of request handlers of `server`, by method. */
function requestHandlers(server: McpServer): Map<string, Handler> {
  const handlers = (server.server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map)) {
    throw new Error(
      "the MCP SDK no longer keeps request handlers in Server._requestHandlers: update " +
        "lib/mcp/protocol_errors.ts for this SDK version",
    );
  }
  return handlers as Map<string, Handler>;
}

/** Replaces every request handler of `server` with `wrap(method, handler)`. */
function wrapRequestHandlers(
  server: McpServer,
  wrap: (method: string, handler: Handler) => Handler,
): void {
  const handlers = requestHandlers(server);
  for (const [method, handler] of handlers) handlers.set(method, wrap(method, handler));
}

/** The handler `server` runs for `method` (with the error codes applied); throws if none. */
export function requestHandler(server: McpServer, method: string): Handler {
  const handler = requestHandlers(server).get(method);
  if (handler === undefined) throw new Error(`the MCP server has no handler for ${method}`);
  return handler;
}

/** Applies the error codes of the module comment to `server`; call after registering everything. */
export function enforceProtocolErrors(server: McpServer, toolNames: readonly string[]): void {
  const tools = new Set(toolNames);
  wrapRequestHandlers(server, (method, handler) => async (request, extra) => {
    if (method === "tools/call") {
      const name = (request.params as { name?: unknown } | undefined)?.name;
      if (typeof name === "string" && !tools.has(name)) {
        throw new InvalidParamsError(
          `Unknown tool "${name}": the tools are ${[...tools].join(", ")}`,
        );
      }
    }
    try {
      return await handler(request, extra);
    } catch (error) {
      if (method === "resources/read" && isUnknownResource(error)) {
        const uri = (request.params as { uri?: unknown } | undefined)?.uri;
        throw new ResourceNotFoundError(`Resource not found: ${String(uri)}`);
      }
      const issues = issuesOf(error);
      if (issues === null) throw error;
      throw new InvalidParamsError(`Invalid params for ${method}: ${describeIssues(issues)}`);
    }
  });
}
