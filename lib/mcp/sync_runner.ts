/**
 * The server's real {@link SyncRunner}: one in-process `syncWorkspace()` with nothing on the
 * console (stdout belongs to the protocol) and no log tap (the server does other work at the
 * same time). The sync reports its status-tracker id as soon as it has registered.
 */
import type { Settings } from "../config/config.ts";
import type { SyncRunner, SyncTrigger } from "./sync_manager.ts";

/** Options of {@link createSyncRunner}. */
export interface SyncRunnerOptions {
  sessionId: string;
}

const DESCRIPTIONS: Record<SyncTrigger, string> = {
  tool: "requested by an MCP client",
  periodic: "periodic, MCP server",
  stale: "data older than max_sync_age_minutes, MCP server",
  startup: "MCP server start",
};

/** A runner that syncs the configured workspace in this process. */
export function createSyncRunner(settings: Settings, options: SyncRunnerOptions): SyncRunner {
  return async (request, hooks) => {
    const { syncWorkspace } = await import("../app/sync_service.ts");
    const base = request.mode === "days"
      ? `Sync of the last ${request.days} days of conversations`
      : "Incremental sync of conversations";
    return await syncWorkspace(settings, {
      ...request,
      concurrency: settings.syncConcurrency,
      initialSyncDays: settings.initialSyncDays,
      sessionId: options.sessionId,
      console: false,
      tapLogs: false,
      signal: hooks.signal,
      description: `${base} (${DESCRIPTIONS[hooks.trigger]})`,
      onProcessId: hooks.onProcessId,
    });
  };
}
