/**
 * The MCP endpoint of `serve` (Streamable HTTP): each POST is answered by a fresh server and
 * transport (stateless), as JSON.
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { McpApp } from "./app.ts";
import { createMcpServer } from "./server.ts";

/** Answers one request to the MCP endpoint. */
export async function handleMcpRequest(app: McpApp, request: Request): Promise<Response> {
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
}
