/**
 * The progress broadcaster: operations report counters, sinks receive events.
 *
 * `update()` only changes counters and hands one event to each sink; sinks that do
 * I/O (console, progress.jsonl, status files) throttle themselves. A throwing sink is
 * isolated and logged once. Disabled, every call is a no-op on a shared handle.
 */

import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../util/clock.ts";
import { RateEstimator } from "./eta.ts";
import { getSessionId, newProcessId } from "../logging/session.ts";
import {
  type OperationHandle,
  type OperationSnapshot,
  type ProgressBroadcasterOptions,
  type ProgressEvent,
  type ProgressEventType,
  type ProgressSink,
  type ProgressUpdate,
  RATE_CEILING,
  type StartOperationOptions,
} from "./types.ts";

const logger = getLogger(["fast-intercom", "progress"]);

// The types live in types.ts; callers import them from here together with the broadcaster.
export * from "./types.ts";

type MutableSnapshot = { -readonly [K in keyof OperationSnapshot]: OperationSnapshot[K] };

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** After a rate-limit wait, the rate and ETA follow the ceiling this long (three 10 s windows). */
const RATE_BOUND_MS = 30_000;

function envEnabled(): boolean {
  try {
    return Deno.env.get("FASTINTERCOM_PROGRESS_ENABLED") !== "false";
  } catch {
    return true;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NOOP_SNAPSHOT: OperationSnapshot = Object.freeze({
  id: "",
  type: "",
  description: "",
  session_id: "",
  status: "running",
  message: "",
  current: null,
  total: null,
  percentage: null,
  rate: null,
  eta_seconds: null,
  phase: null,
  started_ms: 0,
  progressed_ms: 0,
  ended_ms: null,
  metadata: EMPTY,
  error: null,
});

const noop = () => {};
const NOOP_HANDLE: OperationHandle = Object.freeze({
  id: "",
  type: "",
  update: noop,
  phase: noop,
  info: noop,
  error: noop,
  complete: noop,
  fail: noop,
  snapshot: () => NOOP_SNAPSHOT,
});

class Operation implements OperationHandle {
  readonly state: MutableSnapshot;
  readonly #owner: ProgressBroadcaster;
  readonly #emit: Emit;
  readonly #estimator = new RateEstimator();
  #ceiling: number | null = null;
  /** When the operation last waited for a rate limit (ms), or null. */
  #rateLimitedMs: number | null = null;

  constructor(owner: ProgressBroadcaster, emit: Emit, state: MutableSnapshot) {
    this.#owner = owner;
    this.#emit = emit;
    this.state = state;
    this.#estimator.record(0, state.started_ms);
  }

  get id(): string {
    return this.state.id;
  }

  get type(): string {
    return this.state.type;
  }

  update(message: string, data?: ProgressUpdate): void {
    const s = this.state;
    if (s.status !== "running") return;
    const now = this.#owner.clock();
    let extra: Record<string, unknown> | undefined;
    if (data !== undefined) {
      for (const key in data) {
        const value = data[key];
        if (key === "current") {
          if (typeof value === "number" && value >= 0) {
            if (value !== s.current) {
              s.current = value;
              s.progressed_ms = now;
            }
            this.#estimator.record(value, now); // an unchanged count is a zero-rate sample
          }
        } else if (key === "total") {
          if (typeof value === "number" && value >= 0) s.total = value;
        } else if (key === RATE_CEILING) {
          // The most items/s the work can go (e.g. an API rate limit): bursts above it do not
          // make the rate and ETA promise more than the ceiling allows.
          if (typeof value === "number" && value > 0) this.#ceiling = value;
          (extra ??= {})[key] = value;
        } else {
          (extra ??= {})[key] = value;
        }
      }
      if (extra !== undefined) Object.assign(s.metadata, extra);
    }
    s.message = message;
    this.#recompute();
    this.#emit("progress", this, message, extra ?? EMPTY, now);
  }

  phase(phase: string | null, options: { rateLimited?: boolean } = {}): void {
    const s = this.state;
    if (s.status !== "running") return;
    const now = this.#owner.clock();
    if (options.rateLimited) this.#rateLimitedMs = now;
    if (phase === s.phase && !options.rateLimited) return;
    s.phase = phase;
    this.#recompute(now);
    this.#emit("progress", this, s.message, EMPTY, now);
  }

  info(message: string, metadata?: Record<string, unknown>): void {
    if (this.state.status !== "running") return;
    this.state.message = message;
    this.#emit("info", this, message, metadata ?? EMPTY, this.#owner.clock());
  }

  error(message: string, metadata?: Record<string, unknown>): void {
    if (this.state.status !== "running") return;
    this.#emit("error", this, message, metadata ?? EMPTY, this.#owner.clock());
  }

  complete(message: string, metadata?: Record<string, unknown>): void {
    if (this.state.status !== "running") return;
    this.#finish("completed", message, null, metadata ?? EMPTY);
  }

  fail(error: unknown, metadata?: Record<string, unknown>): void {
    if (this.state.status !== "running") return;
    const message = errorMessage(error);
    const name = error instanceof Error ? error.name : "Error";
    this.#finish("failed", message, message, { error_name: name, ...metadata });
  }

  snapshot(): OperationSnapshot {
    return { ...this.state, metadata: { ...this.state.metadata } };
  }

  #finish(
    status: "completed" | "failed",
    message: string,
    error: string | null,
    metadata: Record<string, unknown>,
  ): void {
    const s = this.state;
    const now = this.#owner.clock();
    s.status = status;
    s.message = message;
    s.error = error;
    s.ended_ms = now;
    s.eta_seconds = null;
    s.phase = null;
    this.#owner.forget(this);
    const type = status === "completed" ? "operation_complete" : "operation_failed";
    this.#emit(type, this, message, metadata, now);
  }

  #recompute(now = this.#owner.clock()): void {
    const s = this.state;
    const { current, total } = s;
    const observed = this.#estimator.rate();
    // Paced by a rate limit, work goes in bursts and waits: the pace kept is the ceiling, and
    // an ETA from it does not jump at every window (bursts) and between them (waits).
    const rateBound = this.#ceiling !== null && this.#rateLimitedMs !== null &&
      now - this.#rateLimitedMs < RATE_BOUND_MS;
    const rate = rateBound
      ? this.#ceiling
      : observed === null || this.#ceiling === null
      ? observed
      : Math.min(observed, this.#ceiling);
    if (current !== null && total !== null && total > 0) {
      s.percentage = Math.min(100, Math.floor((current * 1000) / total) / 10);
      const remaining = Math.max(0, total - current);
      // nothing left to count: what remains is a phase ("finishing"), not "ETA 0s"
      // and a last item or two is "1s", not "0s"
      s.eta_seconds = rate === null || remaining === 0
        ? null
        : rate > 0
        ? Math.max(1, Math.round(remaining / rate))
        : null;
    } else {
      s.percentage = null;
      s.eta_seconds = null;
    }
    s.rate = rate === null ? null : Math.round(rate * 100) / 100;
  }
}

type Emit = (
  type: ProgressEventType,
  op: Operation,
  message: string,
  metadata: Record<string, unknown>,
  now: number,
) => void;

/** Fans progress events of any number of concurrent operations out to sinks. */
export class ProgressBroadcaster {
  /** The injected clock (ms). */
  readonly clock: Clock;
  readonly enabled: boolean;
  readonly sessionId: string;
  readonly #sinks = new Set<ProgressSink>();
  readonly #running: Operation[] = [];
  readonly #reported = new WeakSet<ProgressSink>();
  readonly #heartbeatMs: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #isoMs = Number.NaN;
  #iso = "";

  constructor(options: ProgressBroadcasterOptions = {}) {
    this.enabled = options.enabled ?? envEnabled();
    this.clock = options.clock ?? systemClock;
    this.sessionId = options.sessionId ?? getSessionId();
    this.#heartbeatMs = options.heartbeatIntervalMs;
    for (const sink of options.sinks ?? []) this.addSink(sink);
  }

  /** Starts tracking an operation; several may run at once. */
  startOperation(
    type: string,
    description: string,
    options: StartOperationOptions = {},
  ): OperationHandle {
    if (!this.enabled) return NOOP_HANDLE;
    const now = this.clock();
    const total = options.estimatedItems !== undefined && options.estimatedItems > 0
      ? options.estimatedItems
      : null;
    const op = new Operation(this, this.#emit, {
      id: newProcessId(type, this.clock),
      type,
      description,
      session_id: this.sessionId,
      status: "running",
      message: description,
      current: total === null ? null : 0,
      total,
      percentage: total === null ? null : 0,
      rate: null,
      eta_seconds: null,
      phase: null,
      started_ms: now,
      progressed_ms: now,
      ended_ms: null,
      metadata: { ...options.metadata },
      error: null,
    });
    this.#running.push(op);
    this.#startTimer();
    this.#emit("operation_start", op, description, options.metadata ?? EMPTY, now);
    return op;
  }

  /** Adds a sink; returns a function that removes it (without closing it). */
  addSink(sink: ProgressSink): () => void {
    if (!this.enabled) return () => {};
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  /** Emits a heartbeat event for every running operation. */
  heartbeat(): void {
    const now = this.clock();
    for (const op of [...this.#running]) {
      this.#emit("heartbeat", op, op.state.message, EMPTY, now);
    }
  }

  /** Stops the heartbeat timer and closes every sink. Safe twice. */
  close(): void {
    this.#stopTimer();
    for (const sink of this.#sinks) {
      try {
        sink.close?.();
      } catch (error) {
        this.#reportFailure(sink, error);
      }
    }
    this.#sinks.clear();
  }

  /** @internal Called by an operation when it ends. */
  forget(op: Operation): void {
    const index = this.#running.indexOf(op);
    if (index >= 0) this.#running.splice(index, 1);
    if (this.#running.length === 0) this.#stopTimer();
  }

  readonly #emit: Emit = (type, op, message, metadata, now) => {
    if (this.#sinks.size === 0) return;
    const s = op.state;
    const event: ProgressEvent = {
      timestamp: this.#timestamp(now),
      type,
      operation_id: s.id,
      operation: s.type,
      session_id: s.session_id,
      message,
      current: s.current,
      total: s.total,
      percentage: s.percentage,
      rate: s.rate,
      eta_seconds: s.eta_seconds,
      phase: s.phase,
      elapsed_seconds: Math.round(now - s.started_ms) / 1000,
      metadata,
    };
    for (const sink of this.#sinks) {
      try {
        sink.onEvent(event, s);
      } catch (error) {
        this.#reportFailure(sink, error);
      }
    }
  };

  #timestamp(now: number): string {
    if (now !== this.#isoMs) {
      this.#isoMs = now;
      this.#iso = new Date(now).toISOString();
    }
    return this.#iso;
  }

  #reportFailure(sink: ProgressSink, error: unknown): void {
    if (this.#reported.has(sink)) return;
    this.#reported.add(sink);
    logger.error(
      "A progress sink threw and was skipped; later failures of it are not logged: {error}",
      { error: errorMessage(error) },
    );
  }

  #startTimer(): void {
    if (this.#heartbeatMs === undefined || this.#heartbeatMs <= 0 || this.#timer !== undefined) {
      return;
    }
    const timer = setInterval(() => this.heartbeat(), this.#heartbeatMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
