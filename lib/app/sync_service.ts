/**
 * A sync as a whole process: lock, store, client, progress sinks, status tracker and logging
 * around {@link runSync}. The CLI's `sync`, `demo` and the MCP server's background syncs all go
 * through here, so every sync is visible the same way.
 */
import { join } from "node:path";
import type { Settings } from "../config/config.ts";
import { clientFromSettings } from "../config/client.ts";
import { LOG_FILES, setLogProcess } from "../logging/logging.ts";
import { ProgressBroadcaster, type ProgressSink } from "../progress/progress.ts";
import { createConsoleProgressSink } from "../progress/console_sink.ts";
import { createJsonlProgressSink, PROGRESS_FILE } from "../progress/jsonl_sink.ts";
import { StatusTracker, statusTrackerSink } from "../registry/status_tracker.ts";
import { getStderrTerminal } from "../logging/terminal.ts";
import { Store } from "../store/store.ts";
import { runSync, type SyncOptions, type SyncResult } from "../sync/engine.ts";
import { type Checkpoint, isCheckpoint } from "../sync/plan.ts";
import { countsJson } from "../sync/run_record.ts";
import { acquireSyncLock } from "../sync/sync_lock.ts";

/** Options for {@link syncWorkspace}. */
export interface SyncWorkspaceOptions
  extends Omit<SyncOptions, "progress" | "processId" | "sessionId" | "clock"> {
  sessionId: string;
  /** Show progress on stderr. Default: true. */
  console?: boolean;
  /** Register this process's log lines in the status tracker's aggregated log. Default: true. */
  tapLogs?: boolean;
  /** Description for the status tracker. Default: derived from the mode. */
  description?: string;
  /** Told the status-tracker id as soon as the sync is registered. */
  onProcessId?: (processId: string) => void;
  /** More observers of the sync's progress (the MCP server's). Default: none. */
  progressSinks?: ProgressSink[];
}

/** Runs one sync of the configured workspace, reporting through every observer. */
export async function syncWorkspace(
  settings: Settings,
  options: SyncWorkspaceOptions,
): Promise<SyncResult> {
  // the sync's API calls log as `sync.api`: `logs show --component sync` shows its retries
  const client = clientFromSettings(settings, { logCategory: ["fast-intercom", "sync", "api"] });
  using lock = await acquireSyncLock(settings.paths.syncLockFile);
  // A writer touches each page once per commit: a small cache keeps the sync's memory flat.
  using store = Store.open(settings.paths.storeFile, { cacheKiB: 4096 });
  const tracker = new StatusTracker({
    dir: settings.paths.statusDir,
    stallAfterSeconds: settings.stallAfterSeconds,
    retentionDays: settings.statusRetentionDays,
  });
  // A plain `sync` resumes an interrupted run: describe the run it continues, not the request.
  const checkpoint = options.mode === "incremental" ? store.syncState().checkpoint : null;
  const resumed = isCheckpoint(checkpoint) ? checkpoint : null;
  const tracked = await tracker.start("sync", options.description ?? describe(options, resumed), {
    sessionId: options.sessionId,
    logFiles: Object.values(LOG_FILES).map((f) => join(settings.paths.logDir, f)),
    metadata: {
      data_dir: settings.paths.dataDir,
      mode: resumed?.mode ?? options.mode,
      ...(resumed ? { resumes_run: resumed.runId } : {}),
    },
  });
  await lock.setProcessId(tracked.id);
  options.onProcessId?.(tracked.id);
  if (options.tapLogs !== false) {
    setLogProcess({ processId: tracked.id, write: (line) => tracked.logLine(line) });
  }
  const sinks: ProgressSink[] = [
    createJsonlProgressSink({
      path: join(settings.paths.logDir, PROGRESS_FILE),
      sessionId: options.sessionId,
    }),
    statusTrackerSink(tracked),
    ...options.progressSinks ?? [],
  ];
  if (options.console !== false) {
    sinks.push(createConsoleProgressSink({ terminal: getStderrTerminal() }));
  }
  const progress = new ProgressBroadcaster({
    sessionId: options.sessionId,
    sinks,
    heartbeatIntervalMs: 1000,
  });
  try {
    const result = await runSync({ store, client }, {
      ...options,
      progress,
      processId: tracked.id,
      sessionId: options.sessionId,
      tookOverFrom: lock.tookOverFrom,
    });
    await tracked.complete({ run_id: result.runId, ...countsJson(result.counts) });
    return result;
  } catch (error) {
    if (options.signal?.aborted) await tracked.interrupt("interrupted by the user");
    else await tracked.fail(error);
    throw error;
  } finally {
    progress.close();
    if (options.tapLogs !== false) setLogProcess(null);
  }
}

/** What the status tracker shows for this sync: its mode, or the interrupted run it resumes. */
export function describe(
  request: Pick<SyncWorkspaceOptions, "mode" | "days">,
  resumed: Checkpoint | null = null,
): string {
  if (resumed !== null) {
    const what = describe({ mode: resumed.mode, days: daysOf(resumed) });
    return `Resuming run ${resumed.runId}: ${what[0]!.toLowerCase()}${what.slice(1)}`;
  }
  switch (request.mode) {
    case "incremental":
      return "Incremental sync of conversations";
    case "days":
      return `Sync of the last ${request.days} days of conversations`;
    case "since":
      return "Sync of conversations since a given time";
    case "all":
      return "Full sync of every conversation";
  }
}

function daysOf(c: Checkpoint): number {
  return Math.round((c.windowEnd - c.windowStart) / 86400);
}
