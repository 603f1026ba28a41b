/**
 * Log notifications to connected MCP clients (`notifications/message`): every server that
 * declares the logging capability is attached here while it is connected, and warnings and
 * errors of background syncs go to each. A client lowers or raises what it receives with
 * `logging/setLevel`; a client that never connected a stream for server messages simply gets
 * none. Delivery is best effort and never holds up the sync.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { redactText } from "../logging/redact.ts";
import type { SyncNotice } from "./sync_manager.ts";

/** The logger name clients see on sync notices. */
export const SYNC_LOGGER = "fast-intercom.sync";

/** The connected servers, and the notices sent to them. */
export class ClientNotifier {
  readonly #servers = new Set<McpServer>();

  /** Connected servers (tests, status). */
  get size(): number {
    return this.#servers.size;
  }

  /** Sends notices to `server` until it closes. */
  attach(server: McpServer): void {
    this.#servers.add(server);
    const previous = server.server.onclose;
    server.server.onclose = () => {
      this.#servers.delete(server);
      previous?.();
    };
  }

  /** Sends `notice` to every attached server's client. */
  notify(notice: SyncNotice): void {
    const params = {
      level: notice.level,
      logger: SYNC_LOGGER,
      data: {
        message: redactText(notice.message),
        process_id: notice.processId,
        trigger: notice.trigger,
      },
    };
    for (const server of this.#servers) {
      if (!server.isConnected()) continue;
      // the SDK keeps each session's `logging/setLevel` under its session id
      const sessionId = server.server.transport?.sessionId;
      server.sendLoggingMessage(params, sessionId).catch(() => {
        // a client that went away meanwhile
      });
    }
  }
}
