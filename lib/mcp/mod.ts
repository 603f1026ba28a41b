/** The MCP server: tools over the local store, served on stdio or Streamable HTTP. */
export { type McpApp, type McpAppOptions, openMcpApp } from "./app.ts";
export { type Freshness, freshness, type McpContext } from "./context.ts";
export {
  assertSafeBinding,
  createHttpHandler,
  type HttpServer,
  MCP_PATH,
  serveHttp,
  type ServeHttpOptions,
} from "./http.ts";
export { createMcpServer } from "./server.ts";
export { TOOL_NAMES, TOOLS } from "./tool_table.ts";
export { serveStdio, type ServeStdioOptions } from "./stdio.ts";
export {
  type SyncJob,
  SyncManager,
  type SyncManagerOptions,
  type SyncOutcome,
  type SyncRunner,
  type SyncTrigger,
} from "./sync_manager.ts";
export { inboxUrl, WorkspaceId } from "./workspace.ts";
