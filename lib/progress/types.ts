/**
 * The shapes of progress reporting: events, operation snapshots and handles, sinks and the
 * broadcaster's options. The broadcaster itself is in `progress.ts`.
 */
import type { Clock } from "../util/clock.ts";

/** Kinds of progress events. */
export type ProgressEventType =
  | "operation_start"
  | "progress"
  | "operation_complete"
  | "operation_failed"
  | "info"
  | "error"
  | "heartbeat";

/** Lifecycle state of an operation. */
export type OperationStatus = "running" | "completed" | "failed";

/** One progress event, as written to progress.jsonl. */
export interface ProgressEvent {
  /** UTC ISO 8601 with `Z`. */
  timestamp: string;
  type: ProgressEventType;
  operation_id: string;
  operation: string;
  session_id: string;
  message: string;
  current: number | null;
  total: number | null;
  /** 0–100, one decimal, only when `total` > 0; never above 100. */
  percentage: number | null;
  /** Smoothed items per second. */
  rate: number | null;
  eta_seconds: number | null;
  /**
   * What the operation is doing besides counting items, or null: "waiting for rate limit,
   * resets in 7s", "fetching 340 contacts", "finishing".
   */
  phase: string | null;
  elapsed_seconds: number;
  metadata: Record<string, unknown>;
}

/** The state of an operation. Sinks receive a live read-only view; `snapshot()` gives a copy. */
export interface OperationSnapshot {
  readonly id: string;
  readonly type: string;
  readonly description: string;
  readonly session_id: string;
  readonly status: OperationStatus;
  readonly message: string;
  readonly current: number | null;
  readonly total: number | null;
  readonly percentage: number | null;
  readonly rate: number | null;
  readonly eta_seconds: number | null;
  /** What it is doing besides counting items (see {@link ProgressEvent.phase}). */
  readonly phase: string | null;
  /** Clock time (ms) the operation started. */
  readonly started_ms: number;
  /** Clock time (ms) `current` last changed, or the start. */
  readonly progressed_ms: number;
  /** Clock time (ms) the operation completed or failed. */
  readonly ended_ms: number | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly error: string | null;
}

/**
 * The `update()` key for a ceiling on the rate, in items per second (for example what an API
 * rate limit allows): the reported rate and the ETA never assume more.
 */
export const RATE_CEILING = "rate_ceiling";

/** Counters for {@link OperationHandle.update}; other keys are kept as event metadata. */
export interface ProgressUpdate {
  current?: number;
  total?: number;
  [key: string]: unknown;
}

/** One running operation. Calls after `complete()`/`fail()` are ignored. */
export interface OperationHandle {
  readonly id: string;
  readonly type: string;
  /** Sets the message and counters; cheap enough for every item. */
  update(message: string, data?: ProgressUpdate): void;
  /**
   * Names what the operation is doing besides counting items (null: back to counting), and
   * emits it. `rateLimited`: it waits for an API rate limit, so for a while its rate and ETA
   * are the rate limit's ceiling (the pace it can keep), not the bursts between waits.
   */
  phase(phase: string | null, options?: { rateLimited?: boolean }): void;
  /** Reports a notable step without changing counters. */
  info(message: string, metadata?: Record<string, unknown>): void;
  /** Reports a non-fatal error; the operation keeps running. */
  error(message: string, metadata?: Record<string, unknown>): void;
  /** Ends the operation successfully. */
  complete(message: string, metadata?: Record<string, unknown>): void;
  /** Ends the operation with an error. */
  fail(error: unknown, metadata?: Record<string, unknown>): void;
  /** A copy of the current state. */
  snapshot(): OperationSnapshot;
}

/** A consumer of progress events. `op` is a live read-only view of the operation. */
export interface ProgressSink {
  onEvent(event: ProgressEvent, op: OperationSnapshot): void;
  close?(): void;
}

/** Options for {@link ProgressBroadcaster}. */
export interface ProgressBroadcasterOptions {
  /** Default: env `FASTINTERCOM_PROGRESS_ENABLED` is not `"false"`. */
  enabled?: boolean;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: {@link getSessionId}(). */
  sessionId?: string;
  /** Default: none. */
  sinks?: ProgressSink[];
  /** Emit heartbeat events this often while operations run (unref'd timer). Default: off. */
  heartbeatIntervalMs?: number;
}

/** Options for {@link ProgressBroadcaster.startOperation}. */
export interface StartOperationOptions {
  /** The caller's known or estimated total; never guessed otherwise. Default: unknown. */
  estimatedItems?: number;
  /** Default: `{}`. */
  metadata?: Record<string, unknown>;
}
