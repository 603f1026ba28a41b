/**
 * MCP over stdio: JSON-RPC messages on stdin and stdout, and nothing else on stdout (logs and
 * progress go to stderr and the log files). Serves until stdin ends or the signal aborts.
 */
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import process from "node:process";
import { getLogger } from "@logtape/logtape";
import type { McpApp } from "./app.ts";
import { createMcpServer } from "./server.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  /** Stops serving when aborted (Ctrl-C, SIGTERM). Default: none. */
  signal?: AbortSignal;
}

/** Serves `app` on this process's stdin/stdout until the client disconnects. */
export async function serveStdio(app: McpApp, options: ServeStdioOptions = {}): Promise<void> {
  const server = createMcpServer(app.ctx);
  const transport = new StdioServerTransport(process.stdin, process.stdout);
  const { promise: ended, resolve: end } = Promise.withResolvers<string>();
  transport.onclose = () => end("transport closed");
  transport.onerror = (error) => {
    log.warning("stdio transport error: {error}", { error: error.message });
  };
  const onEnd = () => end("stdin closed");
  process.stdin.once("end", onEnd);
  process.stdin.once("close", onEnd);
  const onAbort = () => end("interrupted");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  await server.connect(transport);
  log.info("serving MCP over stdio");
  try {
    const reason = await ended;
    log.info("stdio MCP session ended: {reason}", { reason });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    process.stdin.off("end", onEnd);
    process.stdin.off("close", onEnd);
    await server.close().catch(() => {});
    await app.close();
  }
}
