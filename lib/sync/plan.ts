/**
 * Which window a sync covers, and whether it resumes an interrupted run. Pure functions: the
 * engine passes in the stored state and the time.
 */

/** How the window was chosen. */
export type SyncMode = "incremental" | "days" | "since" | "all";

/** What the user asked for. */
export interface SyncRequest {
  mode: SyncMode;
  /** With `days`: how many days back. */
  days?: number;
  /** With `since`: Unix seconds. */
  since?: number;
  /** Re-fetch conversations even when the stored copy is as new. Default: false. */
  force?: boolean;
}

/** Saved after every committed page; the next `sync` resumes from it. */
export interface Checkpoint {
  version: 1;
  runId: number;
  mode: SyncMode;
  windowStart: number;
  windowEnd: number;
  /** When the interrupted run started: becomes the cursor when the window completes. */
  startedAt: number;
  /** Every conversation updated before this is stored; the search restarts here. */
  resumeFrom: number;
  /** Conversations processed so far (for progress totals). */
  done: number;
  pagesDone: number;
  force: boolean;
}

/** The window one run will search: a checkpoint without its run, plus the run it continues. */
export interface SyncPlan extends Omit<Checkpoint, "version" | "runId"> {
  /** The run this one continues, when resuming. */
  resumedRunId: number | null;
}

/** Where run `runId` of `plan` stands after a committed page: what the next `sync` resumes. */
export function checkpointOf(
  plan: SyncPlan,
  runId: number,
  position: Pick<Checkpoint, "resumeFrom" | "done" | "pagesDone">,
): Checkpoint {
  const { resumedRunId: _, ...window } = plan;
  return { version: 1, runId, ...window, ...position };
}

/** Settings {@link planSync} needs. */
export interface PlanOptions {
  /** Unix seconds. */
  now: number;
  /** Days the first incremental sync covers. */
  initialSyncDays: number;
  /** Seconds subtracted from the cursor, to catch late writes. */
  overlapSeconds: number;
}

/** Whether `value` is a checkpoint this program wrote (and can resume). */
export function isCheckpoint(value: unknown): value is Checkpoint {
  const c = value as Partial<Checkpoint> | null;
  return c !== null && typeof c === "object" && c.version === 1 &&
    typeof c.windowStart === "number" && typeof c.windowEnd === "number" &&
    typeof c.resumeFrom === "number" && typeof c.startedAt === "number";
}

/**
 * Plans a run. A plain `sync` resumes an interrupted run's checkpoint; otherwise incremental
 * starts at the cursor minus the overlap (or `initialSyncDays` back on the first run), and the
 * explicit modes start where they say. Every window ends at the run's start time.
 */
export function planSync(
  request: SyncRequest,
  state: { cursor: number | null; checkpoint: unknown },
  options: PlanOptions,
): SyncPlan {
  const force = request.force ?? false;
  if (request.mode === "incremental" && isCheckpoint(state.checkpoint)) {
    const c = state.checkpoint;
    return {
      mode: c.mode,
      windowStart: c.windowStart,
      windowEnd: c.windowEnd,
      startedAt: c.startedAt,
      resumeFrom: c.resumeFrom,
      done: c.done,
      pagesDone: c.pagesDone,
      force: force || c.force,
      resumedRunId: c.runId,
    };
  }
  const now = options.now;
  let windowStart: number;
  switch (request.mode) {
    case "incremental":
      windowStart = state.cursor !== null
        ? Math.max(0, state.cursor - options.overlapSeconds)
        : now - options.initialSyncDays * 86400;
      break;
    case "days":
      windowStart = now - (request.days ?? options.initialSyncDays) * 86400;
      break;
    case "since":
      windowStart = request.since ?? now;
      break;
    case "all":
      windowStart = 0;
      break;
  }
  windowStart = Math.min(windowStart, now);
  return {
    mode: request.mode,
    windowStart,
    windowEnd: now,
    startedAt: now,
    resumeFrom: windowStart,
    done: 0,
    pagesDone: 0,
    force,
    resumedRunId: null,
  };
}

/**
 * The cursor after a completed window, or null to keep the current one: a window that starts
 * after the current cursor would leave a gap, so it does not move it.
 */
export function nextCursor(plan: SyncPlan, currentCursor: number | null): number | null {
  if (currentCursor !== null && plan.windowStart > currentCursor) return null;
  return Math.max(plan.startedAt, currentCursor ?? 0);
}
