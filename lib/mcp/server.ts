/** The MCP server: every tool registered on one `McpServer`, whatever the transport. */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { PROGRAM_NAME, VERSION } from "../version.ts";
import type { McpContext } from "./context.ts";
import { registerCheckCoverage } from "./tools/check_coverage.ts";
import { registerContactTools } from "./tools/contacts.ts";
import { registerGetConversation } from "./tools/get_conversation.ts";
import { registerSearchConversations } from "./tools/search_conversations.ts";
import { registerServerStatus } from "./tools/server_status.ts";
import { registerSyncConversations } from "./tools/sync_conversations.ts";

/** Every tool the server offers, in the order it lists them. */
export const TOOL_NAMES = [
  "search_conversations",
  "get_conversation",
  "search_contacts",
  "get_contact",
  "get_server_status",
  "check_coverage",
  "sync_conversations",
] as const;

const INSTRUCTIONS =
  "Answers questions about an Intercom workspace from a local copy that syncs in the " +
  "background. Find conversations with search_conversations (words, timeframe, customer, " +
  "state, tag, assignee), then read one with get_conversation. Every result says how fresh " +
  "the data is; check_coverage tells whether a period is fully synced, get_server_status " +
  "shows counts and running syncs, and sync_conversations fetches newer data on demand.";

/** A new `McpServer` with every tool bound to `ctx`. */
export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: PROGRAM_NAME, version: VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {} } },
  );
  registerSearchConversations(server, ctx);
  registerGetConversation(server, ctx);
  registerContactTools(server, ctx);
  registerServerStatus(server, ctx);
  registerCheckCoverage(server, ctx);
  registerSyncConversations(server, ctx);
  return server;
}
