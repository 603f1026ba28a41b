/**
 * The MCP server: every tool of the tool table registered on one `McpServer`, whatever the
 * transport, with the logging capability (background-sync warnings and errors) and the
 * spec's error codes for malformed requests.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
// @ts-types="@modelcontextprotocol/sdk/validation/ajv"
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { PROGRAM_NAME, VERSION } from "../version.ts";
import type { McpContext } from "./context.ts";
import { fastOutputSchema } from "./output_validation.ts";
import { enforceProtocolErrors } from "./protocol_errors.ts";
import { installFastGuards } from "./sdk_guards.ts";
import { registerConversationResources } from "./resources.ts";
import type { ToolCall, ToolDefinition } from "./tool_definition.ts";
import { runTool } from "./tool_result.ts";
import { TOOL_NAMES, TOOLS } from "./tool_table.ts";

const INSTRUCTIONS =
  "Answers questions about an Intercom workspace from a local copy that syncs in the " +
  "background. Find conversations with search_conversations (words, timeframe, customer, " +
  "state, tag, assignee), then read one with get_conversation. Every result says how fresh " +
  "the data is; check_coverage tells whether a period is fully synced, get_server_status " +
  "shows counts and running syncs, and sync_conversations fetches newer data on demand.";

/** The request details the SDK hands a tool callback that tools use. */
interface RequestExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

function toolCall(extra: RequestExtra): ToolCall {
  const token = extra._meta?.progressToken;
  return {
    signal: extra.signal,
    progress: async (update) => {
      if (token === undefined) return;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, ...update },
      }).catch(() => {});
    },
  };
}

function register(
  server: McpServer,
  ctx: McpContext,
  tool: ToolDefinition,
  validator: AjvJsonSchemaValidator,
): void {
  const callback = async (args: Record<string, unknown>, extra: RequestExtra) => {
    const started = performance.now();
    const result = await runTool(tool.name, () => tool.run(ctx, args, toolCall(extra)));
    const seconds = (performance.now() - started) / 1000;
    ctx.onToolCall?.(tool.name, result.isError ? "error" : "ok", seconds);
    return result;
  };
  server.registerTool(tool.name, {
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: fastOutputSchema(tool.outputSchema, validator) } : {}),
    annotations: tool.annotations,
  }, callback as unknown as (args: Record<string, unknown>) => Promise<CallToolResult>);
}

/**
 * One JSON Schema validator for every server: the SDK otherwise builds an Ajv instance (with
 * its formats) per server, which over HTTP is per session, about half a megabyte each.
 */
let validator: AjvJsonSchemaValidator | null = null;

/** A new `McpServer` with every tool bound to `ctx`. */
export function createMcpServer(ctx: McpContext): McpServer {
  validator ??= new AjvJsonSchemaValidator();
  installFastGuards();
  const server = new McpServer(
    { name: PROGRAM_NAME, version: VERSION },
    {
      instructions: INSTRUCTIONS,
      capabilities: { tools: {}, logging: {}, resources: {} },
      jsonSchemaValidator: validator,
    },
  );
  for (const tool of TOOLS) register(server, ctx, tool, validator);
  registerConversationResources(server, ctx);
  enforceProtocolErrors(server, TOOL_NAMES);
  ctx.notifier.attach(server);
  return server;
}
