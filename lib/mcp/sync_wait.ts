/**
 * A tool call waiting for a sync: until it ends, the wait times out, or the client cancels
 * the request (`notifications/cancelled`, or the connection going away), whichever is first.
 * Meanwhile the sync's progress goes to the client as `notifications/progress` when it asked
 * for them: strictly increasing values (conversations checked so far), at most one per
 * `intervalMs`, and a last one when the sync ends. Cancelling stops the wait, not the sync.
 */
import type { ToolCall } from "./tool_definition.ts";
import type { SyncJob, SyncProgress } from "./sync_manager.ts";

/** How a wait ended. */
export type WaitEnd = "done" | "timeout" | "cancelled";

/** Options of {@link waitForSync}. */
export interface WaitForSyncOptions {
  timeoutMs: number;
  /** The waiting call: its signal and progress channel. */
  call: ToolCall;
  /** Least time between two progress notifications. Default 500 ms. */
  intervalMs?: number;
  /** Default: `Date.now`. */
  clock?: () => number;
}

/** Waits for `job` as the module comment says. */
export async function waitForSync(job: SyncJob, options: WaitForSyncOptions): Promise<WaitEnd> {
  const { call } = options;
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? 500;
  if (call.signal.aborted) return "cancelled";
  let sent = 0;
  let sentAt = -Infinity;
  let pending: SyncProgress | null = null;
  const send = (progress: number, total: number | null, message: string) => {
    sent = progress;
    sentAt = clock();
    void call.progress({ progress, ...(total !== null ? { total } : {}), message });
  };
  const onProgress = (p: SyncProgress) => {
    if (p.type !== "progress" || p.current === null || p.current <= sent) return;
    if (clock() - sentAt < intervalMs) {
      pending = p;
      return;
    }
    pending = null;
    send(p.current, p.total, p.message);
  };
  send(0, job.progress?.total ?? null, "Waiting for the sync to finish");
  if (job.progress) onProgress(job.progress);
  const unwatch = job.watch(onProgress);
  job.waiting++;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const { promise: stopped, resolve: stop } = Promise.withResolvers<WaitEnd>();
  const onAbort = () => stop("cancelled");
  call.signal.addEventListener("abort", onAbort, { once: true });
  timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  try {
    const end = await Promise.race([job.done.then(() => "done" as const), stopped]);
    if (end === "done") {
      const last: SyncProgress | null = pending ?? job.progress;
      const total = last?.total ?? null;
      const final = Math.max(sent + 1, last?.current ?? 0, total ?? 0);
      send(final, total !== null ? Math.max(total, final) : final, "Sync ended");
    }
    return end;
  } finally {
    clearTimeout(timer);
    timer = undefined;
    call.signal.removeEventListener("abort", onAbort);
    unwatch();
    job.waiting--;
  }
}
