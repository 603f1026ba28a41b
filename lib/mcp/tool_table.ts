/**
 * Every tool the server offers, in the order `tools/list` shows them. The server registers
 * from this table, and every list of tool names (tests, `scripts/integration/mcp_check.ts`)
 * derives from it: adding a tool here is the one step that publishes it.
 */
import type { ToolDefinition } from "./tool_definition.ts";
import { checkCoverageTool } from "./tools/check_coverage.ts";
import { getCompanyTool, searchCompaniesTool } from "./tools/companies.ts";
import { getContactTool, searchContactsTool } from "./tools/contacts.ts";
import { getConversationTool } from "./tools/get_conversation.ts";
import { searchConversationsTool } from "./tools/search_conversations.ts";
import { fetchTool, searchTool } from "./tools/search_fetch.ts";
import { serverStatusTool } from "./tools/server_status.ts";
import { syncConversationsTool } from "./tools/sync_conversations.ts";
import { getTicketTool, searchTicketsTool } from "./tools/tickets.ts";

/** The tool definitions, in listing order. */
export const TOOLS: readonly ToolDefinition[] = [
  searchConversationsTool,
  getConversationTool,
  searchContactsTool,
  getContactTool,
  searchTicketsTool,
  getTicketTool,
  searchCompaniesTool,
  getCompanyTool,
  serverStatusTool,
  checkCoverageTool,
  syncConversationsTool,
  searchTool,
  fetchTool,
];

/** The names of {@link TOOLS}, in listing order. */
export const TOOL_NAMES: readonly string[] = TOOLS.map((tool) => tool.name);
