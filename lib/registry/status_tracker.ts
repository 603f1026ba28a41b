/**
 * Records this process's work in the shared status directory so that `monitor status`,
 * `debug health` and MCP can answer "is it running, finished, crashed or stuck?". The tracker
 * is the status directory's one writer (through status_writer.ts, under the directory lock).
 *
 * Progress updates are kept in memory and written at most once per `updateIntervalMs`, plus a
 * heartbeat timer.
 */

import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../util/clock.ts";
import type { FileLockOptions } from "./file_lock.ts";
import { hostName, ownStartTime } from "./process_info.ts";
import type { ProgressEvent, ProgressSink } from "../progress/progress.ts";
import { getSessionId, newProcessId } from "../logging/session.ts";
import {
  type ProcessProgress,
  type ProcessRecord,
  readStatus,
  STATUS_FILES,
  type StatusReport,
} from "./status_reader.ts";
import { mutateStatus, prune, reconcile } from "./status_writer.ts";
import { ensurePrivateDir, openPrivateAppendSync } from "../util/private_files.ts";

const logger = getLogger(["fast-intercom", "status"]);

/** Options for {@link StatusTracker}. */
export interface StatusTrackerOptions {
  /** The status directory; see `defaultStatusDir()`. */
  dir: string;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Running without a heartbeat this long reads as `stalled`. Default: 60. */
  stallAfterSeconds?: number;
  /** Completed records and logs are pruned after this many days. Default: 7. */
  retentionDays?: number;
  /** Heartbeat timer period for running processes (unref'd); 0 disables it. Default: 15000. */
  heartbeatIntervalMs?: number;
  /** Minimum time between writes caused by `update()`. Default: 1000 ms. */
  updateIntervalMs?: number;
  /** Lock tuning. Default: see `FileLockOptions`. */
  lock?: FileLockOptions;
}

/** Options for {@link StatusTracker.start}. */
export interface StartProcessOptions {
  /** Default: `{}`. */
  metadata?: Record<string, unknown>;
  /** Log files worth looking at for this process. Default: only its aggregated log. */
  logFiles?: string[];
  /** Default: {@link getSessionId}(). */
  sessionId?: string;
}

/** A process recorded in the status directory. */
export interface TrackedProcess {
  readonly id: string;
  /** A copy of the record as this process sees it. */
  record(): ProcessRecord;
  /** Merges progress and metadata; written at most once per interval (cheap to call often). */
  update(progress: Partial<ProcessProgress>, metadata?: Record<string, unknown>): void;
  /** Records that the process is alive and writes pending changes. */
  heartbeat(): Promise<void>;
  /** Ends the process as `completed`; `result` is stored in `metadata.result`. */
  complete(result?: Record<string, unknown>): Promise<void>;
  /** Ends the process as `failed` with the error's message. */
  fail(error: unknown): Promise<void>;
  /** Ends the process as `interrupted` (Ctrl-C, SIGTERM). */
  interrupt(reason?: string): Promise<void>;
  /** Appends a line to `aggregated_logs/<id>.log`. */
  logLine(line: string): void;
  /** Waits for pending writes. */
  flush(): Promise<void>;
}

/** Starts and records processes in a status directory. */
export class StatusTracker {
  readonly dir: string;
  readonly #clock: Clock;
  readonly #options: StatusTrackerOptions;
  #housekeeping: Promise<void> | undefined;

  constructor(options: StatusTrackerOptions) {
    this.dir = options.dir;
    this.#clock = options.clock ?? systemClock;
    this.#options = options;
  }

  /** Records a new running process and returns its handle. */
  async start(
    type: string,
    description: string,
    options: StartProcessOptions = {},
  ): Promise<TrackedProcess> {
    await ensurePrivateDir(join(this.dir, STATUS_FILES.logs));
    this.#housekeeping ??= this.#tidy();
    await this.#housekeeping;
    const now = new Date(this.#clock()).toISOString();
    const id = newProcessId(type, this.#clock);
    const logPath = join(this.dir, STATUS_FILES.logs, `${id}.log`);
    const record: ProcessRecord = {
      process_id: id,
      process_type: type,
      status: "running",
      pid: Deno.pid,
      pid_start_time: await ownStartTime(),
      hostname: hostName(),
      start_time: now,
      end_time: null,
      last_heartbeat: now,
      last_progress: null,
      description,
      log_files: [...(options.logFiles ?? []), logPath],
      progress: {
        current: null,
        total: null,
        percentage: null,
        message: null,
        rate: null,
        eta_seconds: null,
      },
      metadata: { ...options.metadata },
      session_id: options.sessionId ?? getSessionId(),
      error: null,
    };
    await mutateStatus(this.dir, (state) => {
      state.active[id] = record;
    }, this.#mutateOptions());
    return new Tracked(this.dir, record, logPath, this.#clock, this.#options);
  }

  /** Reads the directory with derived `crashed` / `stalled` states. */
  read(): Promise<StatusReport> {
    return readStatus(this.dir, {
      clock: this.#clock,
      stallAfterSeconds: this.#options.stallAfterSeconds ?? 60,
    });
  }

  #mutateOptions() {
    return { clock: this.#clock, ...(this.#options.lock ? { lock: this.#options.lock } : {}) };
  }

  /** Once per tracker: move crashed records to completed and prune old ones. Never fails. */
  async #tidy(): Promise<void> {
    try {
      await reconcile(this.dir, {
        clock: this.#clock,
        stallAfterSeconds: this.#options.stallAfterSeconds ?? 60,
      });
      await prune(this.dir, {
        clock: this.#clock,
        retentionDays: this.#options.retentionDays ?? 7,
      });
    } catch (error) {
      logger.warn("Status housekeeping in {dir} failed: {error}", {
        dir: this.dir,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

class Tracked implements TrackedProcess {
  readonly id: string;
  readonly #dir: string;
  readonly #record: ProcessRecord;
  readonly #logPath: string;
  readonly #clock: Clock;
  readonly #lock: FileLockOptions | undefined;
  readonly #intervalMs: number;
  #chain: Promise<void> = Promise.resolve();
  #queued = false;
  #lastWrite: number;
  #heartbeatMs: number;
  #progressMs: number | null = null;
  #finished = false;
  #log: Deno.FsFile | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #warned = false;

  constructor(
    dir: string,
    record: ProcessRecord,
    logPath: string,
    clock: Clock,
    options: StatusTrackerOptions,
  ) {
    this.id = record.process_id;
    this.#dir = dir;
    this.#record = record;
    this.#logPath = logPath;
    this.#clock = clock;
    this.#lock = options.lock;
    this.#intervalMs = options.updateIntervalMs ?? 1000;
    this.#lastWrite = clock();
    this.#heartbeatMs = Date.parse(record.last_heartbeat);
    const heartbeatMs = options.heartbeatIntervalMs ?? 15_000;
    if (heartbeatMs > 0) {
      const timer = setInterval(() => void this.heartbeat(), heartbeatMs);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  record(): ProcessRecord {
    this.#record.last_heartbeat = new Date(this.#heartbeatMs).toISOString();
    if (this.#progressMs !== null) {
      this.#record.last_progress = new Date(this.#progressMs).toISOString();
    }
    return structuredClone(this.#record);
  }

  update(progress: Partial<ProcessProgress>, metadata?: Record<string, unknown>): void {
    if (this.#finished) return;
    const now = this.#clock();
    // Progress is items done: a new message (a phase, a rate-limit wait) is a sign of life, not
    // progress, so "no progress for 1m43s" stays true while a sync only waits or retries.
    const moved = progress.current !== undefined && progress.current !== null &&
      progress.current !== this.#record.progress.current;
    Object.assign(this.#record.progress, progress);
    if (metadata !== undefined) Object.assign(this.#record.metadata, metadata);
    this.#heartbeatMs = now;
    if (moved || this.#progressMs === null) this.#progressMs = now;
    if (now - this.#lastWrite >= this.#intervalMs) this.#schedule(now);
  }

  heartbeat(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    const now = this.#clock();
    this.#heartbeatMs = now;
    this.#schedule(now);
    return this.#chain;
  }

  complete(result?: Record<string, unknown>): Promise<void> {
    return this.#finish("completed", null, result === undefined ? {} : { result });
  }

  fail(error: unknown): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return this.#finish("failed", message, {});
  }

  interrupt(reason = "interrupted"): Promise<void> {
    return this.#finish("interrupted", reason, {});
  }

  logLine(line: string): void {
    if (this.#finished) return;
    this.#log ??= openPrivateAppendSync(this.#logPath);
    let bytes = new TextEncoder().encode(line.endsWith("\n") ? line : line + "\n");
    while (bytes.length > 0) bytes = bytes.subarray(this.#log.writeSync(bytes));
  }

  flush(): Promise<void> {
    return this.#chain;
  }

  /** Queues one write of the current record, coalescing with a write already queued. */
  #schedule(now: number): void {
    this.#lastWrite = now;
    if (this.#queued) return;
    this.#queued = true;
    this.#chain = this.#chain.then(async () => {
      this.#queued = false;
      if (this.#finished) return;
      const record = this.record();
      try {
        await mutateStatus(this.#dir, (state) => {
          if (!(record.process_id in state.completed)) state.active[record.process_id] = record;
        }, this.#mutateOptions());
      } catch (error) {
        if (this.#warned) return;
        this.#warned = true;
        logger.warn("Cannot update status of {id} in {dir}: {error}", {
          id: this.id,
          dir: this.#dir,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }

  async #finish(
    status: "completed" | "failed" | "interrupted",
    error: string | null,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    if (this.#finished) return await this.#chain;
    this.#finished = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#log?.close();
    this.#log = null;
    const now = this.#clock();
    this.#heartbeatMs = now;
    Object.assign(this.#record, { status, error, end_time: new Date(now).toISOString() });
    Object.assign(this.#record.metadata, metadata);
    if (status === "completed") this.#record.progress.eta_seconds = null;
    const record = this.record();
    const previous = this.#chain;
    this.#chain = previous.then(() =>
      mutateStatus(this.#dir, (state) => {
        delete state.active[record.process_id];
        state.completed[record.process_id] = record;
      }, this.#mutateOptions())
    );
    await this.#chain;
  }

  #mutateOptions() {
    return { clock: this.#clock, ...(this.#lock ? { lock: this.#lock } : {}) };
  }
}

/** Options for {@link statusTrackerSink}. */
export interface StatusTrackerSinkOptions {
  /** Only events of this operation update the record. Default: every operation's events. */
  operationId?: string;
  /** End the tracked process when the operation completes or fails. Default: false. */
  finishWithOperation?: boolean;
}

/** A progress sink that mirrors an operation's progress into its status record. */
export function statusTrackerSink(
  tracked: TrackedProcess,
  options: StatusTrackerSinkOptions = {},
): ProgressSink {
  const warn = (error: unknown) =>
    logger.warn("Cannot write status record {id}: {error}", {
      id: tracked.id,
      error: error instanceof Error ? error.message : String(error),
    });
  return {
    onEvent(event: ProgressEvent, op) {
      if (options.operationId !== undefined && event.operation_id !== options.operationId) return;
      if (event.type === "error") return;
      if (event.type === "heartbeat") {
        tracked.heartbeat().catch(warn);
        return;
      }
      const remaining = event.metadata?.rate_limit_remaining;
      tracked.update(
        {
          current: event.current,
          total: event.total,
          percentage: event.percentage,
          message: event.message,
          rate: event.rate,
          eta_seconds: event.eta_seconds,
          phase: event.phase,
        },
        // `/metrics` exports the budget a running sync last saw (api_rate_limit_remaining)
        typeof remaining === "number" ? { rate_limit_remaining: remaining } : undefined,
      );
      if (!options.finishWithOperation) return;
      if (event.type === "operation_complete") tracked.complete(event.metadata).catch(warn);
      if (event.type === "operation_failed") tracked.fail(op.error ?? event.message).catch(warn);
    },
  };
}
