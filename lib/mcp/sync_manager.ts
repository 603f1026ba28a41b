/**
 * Keeps the store fresh while the MCP server runs: a periodic incremental sync, one started
 * when a request finds the data older than the allowed age, and the ones `sync_conversations`
 * asks for. At most one runs at a time in this process (single flight; the sync lock does the
 * same across processes), and nothing here ever makes a tool answer wait.
 */
import { getLogger } from "@logtape/logtape";
import { AppError, ConfigError, LockedError } from "../errors.ts";
import type { SyncResult } from "../sync/engine.ts";
import type { SyncRequest } from "../sync/plan.ts";
import { type Clock, systemClock } from "../util/clock.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** Why a sync started. */
export type SyncTrigger = "tool" | "periodic" | "stale" | "startup";

/** How a sync ended. */
export type SyncOutcome =
  | { status: "completed"; result: SyncResult; finishedAt: number }
  | { status: "locked" | "failed" | "interrupted"; message: string; finishedAt: number };

/** A progress report of a running sync. */
export interface SyncProgress {
  /** `progress` as counters advance, `error` for a non-fatal problem the sync went past. */
  type: "progress" | "error";
  message: string;
  current: number | null;
  total: number | null;
}

/** Something about a background sync that connected clients should hear of. */
export interface SyncNotice {
  level: "warning" | "error";
  message: string;
  processId: string | null;
  trigger: SyncTrigger;
}

/** One sync started by the server. */
export interface SyncJob {
  /** The status-tracker process id, once the sync has registered (see {@link SyncJob.registered}). */
  processId: string | null;
  request: SyncRequest;
  trigger: SyncTrigger;
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** Set when the sync ends. */
  outcome: SyncOutcome | null;
  /** Resolves when the sync ends; never rejects. */
  done: Promise<SyncOutcome>;
  /** Resolves with the process id once known, or null if the sync ended without one. */
  registered: Promise<string | null>;
  /** The latest progress report, or null before the first. */
  progress: SyncProgress | null;
  /** Calls `listener` with each progress report until the returned function is called. */
  watch(listener: (progress: SyncProgress) => void): () => void;
  /** How many tool calls are waiting for this sync to end. */
  waiting: number;
}

/** Hooks a runner gets for one sync. */
export interface SyncRunnerHooks {
  /** Aborted when the server shuts down. */
  signal: AbortSignal;
  /** Call once the sync's status-tracker process id is known. */
  onProcessId: (processId: string) => void;
  /** Call with each progress report. */
  onProgress: (progress: SyncProgress) => void;
  trigger: SyncTrigger;
}

/** Runs one sync (normally through `syncWorkspace`). */
export type SyncRunner = (request: SyncRequest, hooks: SyncRunnerHooks) => Promise<SyncResult>;

/** Options of {@link SyncManager}. */
export interface SyncManagerOptions {
  /** How to sync; null when no token is configured (then nothing syncs). */
  runner: SyncRunner | null;
  /** Minutes between periodic incremental syncs; 0 turns them off. */
  intervalMinutes: number;
  /** A request finding the data older than this starts a sync; 0 turns that off. */
  maxAgeMinutes: number;
  /** Seconds since the data was last brought up to date, or null when never synced. */
  dataAgeSeconds: () => number | null;
  /** After a failed sync, stale-data syncs wait this long before retrying. Default 60 000. */
  retryAfterFailureMs?: number;
  /** Told of warnings and errors of every sync (for clients' log notifications). Default: none. */
  onNotice?: (notice: SyncNotice) => void;
  /** Default: the system clock. */
  clock?: Clock;
}

/** The background-sync state, for `get_server_status`. */
export interface SyncManagerState {
  enabled: boolean;
  intervalMinutes: number;
  maxAgeMinutes: number;
  running: SyncJob | null;
  last: SyncJob | null;
}

/** What {@link SyncManager.start} did. */
export interface StartResult {
  job: SyncJob;
  /** False when a sync was already running and `job` is that one. */
  started: boolean;
}

/** Single-flight background syncs; see the module comment. */
export class SyncManager {
  readonly #options: SyncManagerOptions;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  #running: SyncJob | null = null;
  #last: SyncJob | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: SyncManagerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Whether syncs can run (a token is configured). */
  get enabled(): boolean {
    return this.#options.runner !== null && !this.#closed;
  }

  /** The sync running now, if any. */
  get running(): SyncJob | null {
    return this.#running;
  }

  /** State for status reports. */
  state(): SyncManagerState {
    return {
      enabled: this.enabled,
      intervalMinutes: this.#options.intervalMinutes,
      maxAgeMinutes: this.#options.maxAgeMinutes,
      running: this.#running,
      last: this.#last,
    };
  }

  /** Starts a sync, or returns the one already running. Throws when syncs are unavailable. */
  start(request: SyncRequest, trigger: SyncTrigger): StartResult {
    const runner = this.#options.runner;
    if (this.#closed) throw new AppError("the MCP server is shutting down: no new sync starts");
    if (runner === null) {
      throw new ConfigError(
        "no Intercom access token is configured, so the server cannot sync: run " +
          "`fast-intercom-mcp init` or set INTERCOM_ACCESS_TOKEN, then restart the server",
      );
    }
    if (this.#running) return { job: this.#running, started: false };
    const registered = Promise.withResolvers<string | null>();
    const done = Promise.withResolvers<SyncOutcome>();
    const listeners = new Set<(progress: SyncProgress) => void>();
    const job: SyncJob = {
      processId: null,
      request,
      trigger,
      startedAt: this.#clock(),
      outcome: null,
      done: done.promise,
      registered: registered.promise,
      progress: null,
      watch: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      waiting: 0,
    };
    this.#running = job;
    log.info("starting a {mode} sync in the background ({trigger})", {
      mode: request.mode,
      trigger,
      force: request.force ?? false,
    });
    const hooks: SyncRunnerHooks = {
      signal: this.#abort.signal,
      trigger,
      onProcessId: (id) => {
        job.processId = id;
        registered.resolve(id);
      },
      onProgress: (progress) => {
        job.progress = progress;
        for (const listener of listeners) listener(progress);
        if (progress.type === "error") this.#notice(job, "warning", progress.message);
      },
    };
    void this.#run(runner, job, hooks).then((outcome) => {
      job.outcome = outcome;
      listeners.clear();
      if (outcome.status === "failed") {
        this.#notice(job, "error", `sync failed: ${outcome.message}`);
      }
      if (outcome.status === "interrupted") {
        this.#notice(job, "warning", `sync interrupted: ${outcome.message}`);
      }
      registered.resolve(job.processId);
      if (this.#running === job) this.#running = null;
      this.#last = job;
      done.resolve(outcome);
    });
    return { job, started: true };
  }

  #notice(job: SyncJob, level: SyncNotice["level"], message: string): void {
    try {
      this.#options.onNotice?.({ level, message, processId: job.processId, trigger: job.trigger });
    } catch {
      // a listener's failure never touches the sync
    }
  }

  async #run(runner: SyncRunner, job: SyncJob, hooks: SyncRunnerHooks): Promise<SyncOutcome> {
    try {
      // called synchronously, so the sync has begun when start() returns
      const result = await runner(job.request, hooks);
      log.info(
        "background sync {processId} completed: {fetched} conversations fetched, " +
          "{parts} parts in {seconds}s",
        {
          processId: job.processId,
          fetched: result.counts.conversationsFetched,
          parts: result.counts.partsUpserted,
          seconds: Number(result.durationSeconds.toFixed(1)),
          trigger: job.trigger,
        },
      );
      return { status: "completed", result, finishedAt: this.#clock() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const finishedAt = this.#clock();
      if (error instanceof LockedError) {
        log.info("background sync skipped: {message}", { message });
        return { status: "locked", message, finishedAt };
      }
      if (hooks.signal.aborted) {
        log.info("background sync {processId} interrupted by shutdown", {
          processId: job.processId,
        });
        return { status: "interrupted", message, finishedAt };
      }
      log.warning("background sync {processId} failed: {message}", {
        processId: job.processId,
        message,
        trigger: job.trigger,
      });
      return { status: "failed", message, finishedAt };
    }
  }

  /**
   * Starts an incremental sync when the data is older than `maxAgeMinutes` and none runs;
   * returns at once either way. Not retried within `retryAfterFailureMs` of a failure.
   */
  refreshIfStale(trigger: SyncTrigger = "stale"): SyncJob | null {
    const maxAge = this.#options.maxAgeMinutes * 60;
    if (!this.enabled || maxAge <= 0 || this.#running) return null;
    const age = this.#options.dataAgeSeconds();
    if (age !== null && age <= maxAge) return null;
    const last = this.#last?.outcome;
    const retryMs = this.#options.retryAfterFailureMs ?? 60_000;
    if (last && last.status !== "completed" && this.#clock() - last.finishedAt < retryMs) {
      return null;
    }
    return this.start({ mode: "incremental" }, trigger).job;
  }

  /** Starts the periodic timer (unref'd: it never keeps the process alive). */
  startTimer(): void {
    const minutes = this.#options.intervalMinutes;
    if (!this.enabled || minutes <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.enabled && !this.#running) this.start({ mode: "incremental" }, "periodic");
    }, minutes * 60_000);
    Deno.unrefTimer(this.#timer);
  }

  /** Stops the timer, interrupts a running sync and waits for it (at most `waitMs`, default 10 s). */
  async close(waitMs = 10_000): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    const running = this.#running;
    if (!running) return;
    this.#abort.abort(new DOMException("the MCP server is shutting down", "AbortError"));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      running.done,
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }
}
