/**
 * One serving process's shared state, whatever the transport: the store (created and
 * migrated once, then read through a read-only connection), background syncs, the workspace
 * id for inbox links and the status directory.
 */
import { getLogger } from "@logtape/logtape";
import type { Settings } from "../config/config.ts";
import { readStatus } from "../registry/status_reader.ts";
import { Store } from "../store/store.ts";
import { probeSyncLock } from "../sync/sync_lock.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { sharedRead } from "../util/single_flight.ts";
import { VERSION } from "../version.ts";
import { dataAgeSeconds, type McpContext } from "./context.ts";
import { ClientNotifier } from "./client_notifier.ts";
import { ReadStore } from "./read_store.ts";
import { SyncManager, type SyncRunner } from "./sync_manager.ts";
import { createSyncRunner } from "./sync_runner.ts";
import { regionOf, WorkspaceId } from "./workspace.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** Options of {@link openMcpApp}. */
export interface McpAppOptions {
  sessionId: string;
  transport: McpContext["server"]["transport"];
  /** Minutes between periodic syncs, 0 = off. Default: `settings.backgroundSyncIntervalMinutes`. */
  syncIntervalMinutes?: number;
  /** Age that triggers a sync on request, 0 = off. Default: `settings.maxSyncAgeMinutes`. */
  maxSyncAgeMinutes?: number;
  /** How to sync. Default: in-process `syncWorkspace()` when a token is configured, else none. */
  runner?: SyncRunner | null;
  /** Looks up the workspace id. Default: `GET /me` when a token is configured. */
  lookupWorkspaceId?: (() => Promise<string>) | null;
  /** Whether tools may show the store path and pid. Default: true except over HTTP. */
  revealLocalDetails?: boolean;
  /** Default: the system clock. */
  clock?: Clock;
  /** Told of every tool call as it ends (for `/metrics`). Default: nothing. */
  onToolCall?: McpContext["onToolCall"];
}

/** A running server's state; close it when the transport ends. */
export interface McpApp extends AsyncDisposable {
  ctx: McpContext;
  /** Stops background syncs (interrupting a running one) and closes the store. Safe twice. */
  close(): Promise<void>;
}

function defaultLookup(settings: Settings): (() => Promise<string>) | null {
  if (!settings.token) return null;
  return async () => {
    const { clientFromSettings } = await import("../config/client.ts");
    const { app } = await clientFromSettings(settings).me();
    // `app` may be null; a failed lookup is retried later and links are left out meanwhile.
    if (app === null) throw new Error("Intercom's GET /me named no workspace (app: null)");
    return app.id_code;
  };
}

/** Prepares the store and background syncs for serving. */
export function openMcpApp(settings: Settings, options: McpAppOptions): McpApp {
  const clock = options.clock ?? systemClock;
  // creates and migrates the file once, so the read-only connection can always open it
  Store.open(settings.paths.storeFile).close();
  const store = new ReadStore(settings.paths.storeFile);
  const runner = options.runner !== undefined
    ? options.runner
    : settings.token
    ? createSyncRunner(settings, { sessionId: options.sessionId })
    : null;
  const maxSyncAgeMinutes = options.maxSyncAgeMinutes ?? settings.maxSyncAgeMinutes;
  const workspace = new WorkspaceId({
    known: settings.workspaceId,
    region: regionOf(settings.apiUrl, settings.region),
    lookup: options.lookupWorkspaceId !== undefined
      ? options.lookupWorkspaceId
      : defaultLookup(settings),
    clock,
  });
  let ctx: McpContext | null = null;
  const notifier = new ClientNotifier();
  const sync = new SyncManager({
    onNotice: (notice) => notifier.notify(notice),
    runner,
    intervalMinutes: options.syncIntervalMinutes ?? settings.backgroundSyncIntervalMinutes,
    maxAgeMinutes: maxSyncAgeMinutes,
    dataAgeSeconds: () => (ctx === null ? null : dataAgeSeconds(ctx)),
    clock,
  });
  ctx = {
    store,
    sync,
    workspace,
    notifier,
    // Shared by concurrent status calls and kept a second: with a sync running it runs `ps`.
    readActivity: sharedRead(async () => {
      const [report, lock] = await Promise.all([
        readStatus(settings.paths.statusDir, {
          clock,
          stallAfterSeconds: settings.stallAfterSeconds,
        }),
        probeSyncLock(settings.paths.syncLockFile),
      ]);
      return { dataDir: settings.paths.dataDir, report, lock };
    }, { clock }),
    clock,
    maxSyncAgeMinutes,
    ...(options.onToolCall ? { onToolCall: options.onToolCall } : {}),
    server: {
      version: VERSION,
      transport: options.transport,
      startedAt: clock(),
      revealLocalDetails: options.revealLocalDetails ?? options.transport !== "http",
    },
  };
  if (runner === null) {
    log.warning(
      "no Intercom access token configured: serving the local store without background syncs",
    );
  }
  void workspace.prefetch();
  sync.startTimer();
  sync.refreshIfStale("startup");
  log.info("MCP server ready ({transport}); store {path}", {
    transport: options.transport,
    path: settings.paths.storeFile,
    sync_interval_minutes: sync.state().intervalMinutes,
    max_sync_age_minutes: maxSyncAgeMinutes,
  });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await sync.close();
      store.close();
    })();
    return closing;
  };
  return { ctx, close, [Symbol.asyncDispose]: close };
}
