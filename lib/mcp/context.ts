/**
 * What every tool works with: the read store, the background syncs, the workspace id for
 * inbox links, the status directory and the time. Built once per server by `openMcpApp()`;
 * tests build it directly with fakes.
 */
import type { LockHolder } from "../registry/file_lock.ts";
import type { StatusReport } from "../registry/status_reader.ts";
import { type Clock, isoFromSeconds, unixSeconds } from "../util/clock.ts";
import { formatSeconds } from "../util/format.ts";
import type { ClientNotifier } from "./client_notifier.ts";
import type { ReadStore } from "./read_store.ts";
import type { SyncManager } from "./sync_manager.ts";
import type { WorkspaceId } from "./workspace.ts";

/** The shared state of one MCP server. */
export interface McpContext {
  store: ReadStore;
  sync: SyncManager;
  workspace: WorkspaceId;
  /** The connected clients, for log notifications. */
  notifier: ClientNotifier;
  /** Reads what the syncs of the data directory are doing (status directory and sync lock). */
  readActivity: () => Promise<SyncActivity>;
  clock: Clock;
  /** A request-triggered sync starts when the data is older than this; 0 = never. */
  maxSyncAgeMinutes: number;
  /** Told of every tool call as it ends (for `/metrics`). Default: nothing. */
  onToolCall?: (tool: string, outcome: "ok" | "error", seconds: number) => void;
  /** Information shown by `get_server_status`. */
  server: {
    version: string;
    transport: "stdio" | "http" | "memory";
    startedAt: number;
    /** Whether clients may see this machine's details (store path, pid): not over a network. */
    revealLocalDetails: boolean;
  };
}

/** The witnesses of the sync's state besides the store (see `health/sync_verdict.ts`). */
export interface SyncActivity {
  /** The data directory whose syncs count (status records of others are left out). */
  dataDir: string;
  /** Running and finished processes of every program instance using the status directory. */
  report: StatusReport;
  /** Who holds the sync lock now; null when no sync is alive. */
  lock: LockHolder | null;
}

/** How current the answer is, included in every data tool's result. */
export interface Freshness {
  /** Every conversation updated before this time is stored (ISO), or null before any sync. */
  synced_until: string | null;
  data_age_seconds: number | null;
  stale: boolean;
  sync_running: boolean;
  sync_process_id: string | null;
  note: string;
}

/** The current time as Unix seconds. */
export function nowSeconds(ctx: McpContext): number {
  return unixSeconds(ctx.clock);
}

/** Seconds since the store was last brought up to date, or null when never synced. */
export function dataAgeSeconds(ctx: McpContext): number | null {
  const cursor = ctx.store.tryGet()?.syncState().cursor ?? null;
  return cursor === null ? null : Math.max(0, nowSeconds(ctx) - cursor);
}

/** The freshness of the data now; starting no sync. */
export function freshness(ctx: McpContext): Freshness {
  const cursor = ctx.store.tryGet()?.syncState().cursor ?? null;
  const age = cursor === null ? null : Math.max(0, nowSeconds(ctx) - cursor);
  const running = ctx.sync.running;
  const maxAge = ctx.maxSyncAgeMinutes * 60;
  const stale = age === null || (maxAge > 0 && age > maxAge);
  let note = age === null
    ? "No sync has completed yet, so the store may be empty."
    : `Data is current up to ${isoFromSeconds(cursor!)} (${formatSeconds(age)} ago).`;
  if (running) note += " A sync is running in the background; newer data will appear soon.";
  else if (!ctx.sync.enabled && stale) {
    note += " Background sync is off (no access token configured).";
  }
  return {
    synced_until: cursor === null ? null : isoFromSeconds(cursor),
    data_age_seconds: age,
    stale,
    sync_running: running !== null,
    sync_process_id: running?.processId ?? null,
    note,
  };
}

/**
 * Called at the start of every data tool: starts a background sync when the data is older
 * than allowed. Never waits for it and never fails the tool.
 */
export function touchFreshness(ctx: McpContext): void {
  try {
    ctx.sync.refreshIfStale("stale");
  } catch {
    // a sync that cannot start is reported by get_server_status, not by every tool
  }
}
