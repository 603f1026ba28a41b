/**
 * The server's real {@link SyncRunner}: one in-process `syncWorkspace()` with nothing on the
 * console (stdout belongs to the protocol) and no log tap (the server does other work at the
 * same time). The status-tracker id is learned from the sync lock's holder file, which the
 * sync writes as soon as it has registered.
 */
import type { Settings } from "../config/config.ts";
import { Store } from "../store/store.ts";
import { realSleep, type Sleep } from "../util/clock.ts";
import type { SyncRunner, SyncTrigger } from "./sync_manager.ts";

/** Options of {@link createSyncRunner}. */
export interface SyncRunnerOptions {
  sessionId: string;
  /** How often the lock holder file is read while waiting for the process id. Default 20 ms. */
  pollMs?: number;
  /** Default: the real sleep. */
  sleep?: Sleep;
}

const DESCRIPTIONS: Record<SyncTrigger, string> = {
  tool: "requested by an MCP client",
  periodic: "periodic, MCP server",
  stale: "data older than max_sync_age_minutes, MCP server",
  startup: "MCP server start",
};

/** The holder's process id in `<lock>.json` when this process holds the lock, else null. */
export async function ownLockProcessId(infoPath: string): Promise<string | null> {
  try {
    const holder = JSON.parse(await Deno.readTextFile(infoPath));
    return holder?.pid === Deno.pid && typeof holder.process_id === "string"
      ? holder.process_id
      : null;
  } catch {
    return null; // not written yet, or being replaced
  }
}

function runProcessId(storeFile: string, runId: number): string | null {
  try {
    using store = Store.open(storeFile, { readOnly: true });
    return store.lastRuns(20).find((r) => r.id === runId)?.processId ?? null;
  } catch {
    return null;
  }
}

/** A runner that syncs the configured workspace in this process. */
export function createSyncRunner(settings: Settings, options: SyncRunnerOptions): SyncRunner {
  const pollMs = options.pollMs ?? 20;
  const sleep = options.sleep ?? realSleep;
  return async (request, hooks) => {
    const { syncWorkspace } = await import("../sync/service.ts");
    const finished = new AbortController();
    let found = false;
    const watch = (async () => {
      const infoPath = `${settings.paths.syncLockFile}.json`;
      while (!finished.signal.aborted) {
        const id = await ownLockProcessId(infoPath);
        if (id !== null && !finished.signal.aborted) {
          found = true;
          return hooks.onProcessId(id);
        }
        await sleep(pollMs, finished.signal).catch(() => {});
      }
    })();
    try {
      const base = request.mode === "days"
        ? `Sync of the last ${request.days} days of conversations`
        : "Incremental sync of conversations";
      const result = await syncWorkspace(settings, {
        ...request,
        concurrency: settings.syncConcurrency,
        initialSyncDays: settings.initialSyncDays,
        sessionId: options.sessionId,
        console: false,
        tapLogs: false,
        signal: hooks.signal,
        description: `${base} (${DESCRIPTIONS[hooks.trigger]})`,
      });
      if (!found) {
        // finished between two polls: the run row remembers its process id
        const id = runProcessId(settings.paths.storeFile, result.runId);
        if (id !== null) hooks.onProcessId(id);
      }
      return result;
    } finally {
      finished.abort();
      await watch;
    }
  };
}
