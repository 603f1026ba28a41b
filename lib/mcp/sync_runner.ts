/**
 * The server's real {@link SyncRunner}: one in-process `syncWorkspace()` with nothing on the
 * console (stdout belongs to the protocol) and no log tap (the server does other work at the
 * same time). The sync reports its status-tracker id as soon as it has registered.
 */
import type { Settings } from "../config/config.ts";
import type { ProgressSink } from "../progress/types.ts";
import type { SyncRunner, SyncRunnerHooks, SyncTrigger } from "./sync_manager.ts";

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

/** Passes a sync's progress and non-fatal errors to the manager. */
function hookSink(onProgress: SyncRunnerHooks["onProgress"]): ProgressSink {
  return {
    onEvent(event) {
      if (event.type !== "progress" && event.type !== "error") return;
      onProgress({
        type: event.type,
        message: event.message,
        current: event.current,
        total: event.total,
      });
    },
  };
}

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
      progressSinks: [hookSink(hooks.onProgress)],
    });
  };
}
