/**
 * The sync engine: Intercom → store, incremental, resumable, exact.
 *
 * Plan: search conversations by `updated_at` ascending within the window, 150 per page (the
 * next page is requested while the current one is fetched); fetch each new or changed
 * conversation in full with a bounded worker pool, paced by the client's shared rate limiter;
 * store a page's conversations, parts and newly referenced contacts in one transaction together
 * with the checkpoint. A run killed at any moment resumes from the last committed page. On
 * completion the cursor becomes the run's start time (see `plan.ts`). Then the streams beyond
 * conversations — ticket types, data attributes, companies, tickets — each with its own cursor
 * and checkpoint (`support_streams.ts`); the run completes when they have.
 */
import { getLogger } from "@logtape/logtape";
import { InterruptedError } from "../errors.ts";
import type { IntercomClient } from "../intercom/client.ts";
import { AuthError } from "../intercom/errors.ts";
import type { ProgressBroadcaster } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import type { QuarantineEntry } from "../store/sync_gaps.ts";
import { type Clock, isoFromSeconds, type Sleep, systemClock, unixSeconds } from "../util/clock.ts";
import { syncDirectory } from "./directory.ts";
import { PageRunner } from "./page_runner.ts";
import { PhaseReporter } from "./phase_reporter.ts";
import { nextCursor, planSync, type SyncPlan, type SyncRequest } from "./plan.ts";
import { countsJson, type RunCounts } from "./run_record.ts";
import type { StreamResult } from "./stream_context.ts";
import { syncSupportStreams } from "./support_streams.ts";
import type { LockHolder } from "./sync_lock.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Options for {@link runSync}. */
export interface SyncOptions extends SyncRequest {
  /** Conversations fetched in parallel. Default 16. */
  concurrency?: number;
  /** Seconds subtracted from the cursor on incremental runs. Default 300. */
  overlapSeconds?: number;
  /** Days the first incremental run covers. Default 7. */
  initialSyncDays?: number;
  /** Search page size, 1…150. Default 150. */
  perPage?: number;
  /** Stop after this many conversations (tests, trial runs); the cursor then stays. */
  maxConversations?: number;
  /** A search matching more conversations is split into `updated_at` slices. Default 10,000. */
  maxPerSearch?: number;
  /** Aborting stops at the next safe point and throws `InterruptedError`. */
  signal?: AbortSignal;
  /** Where progress is reported. Default: none. */
  progress?: ProgressBroadcaster;
  /** Status-tracker id and session, recorded with the run. */
  processId?: string;
  sessionId?: string;
  /** Who held the sync lock before and died holding it (its pid names a crashed run). */
  tookOverFrom?: LockHolder | null;
  /** Also sync ticket types, data attributes, companies and tickets. Default true. */
  supportStreams?: boolean;
  /** Default: the system clock. */
  clock?: Clock;
  /** Waits of the streams (an open company scroll). Default a real timer. */
  sleep?: Sleep;
}

/** What a completed run did. */
export interface SyncResult {
  runId: number;
  mode: SyncPlan["mode"];
  resumed: boolean;
  windowStart: number;
  windowEnd: number;
  /** The search's total for the window (plus what a resumed run had done). */
  totalCount: number;
  counts: RunCounts;
  durationSeconds: number;
  /**
   * Seconds of the conversation phase (directory, conversations, their contacts), before the
   * streams of tickets and companies: what a conversations-only sync would have taken.
   */
  conversationSeconds: number;
  conversationsPerSecond: number;
  /** The incremental cursor after the run. */
  cursor: number | null;
  /** True when `maxConversations` cut the run short. */
  limited: boolean;
  /** Seconds during which requests waited for the rate limit (pacing and 429 pauses). */
  rateLimitWaitSeconds: number;
  /** Records that cannot be read, set aside and retried by every sync (oldest first). */
  quarantined: QuarantineEntry[];
  /** Contacts named by stored conversations that could not be fetched yet (retried). */
  missingContacts: number;
  /** What the companies and tickets streams did (none when `maxConversations` cut the run). */
  streams: StreamResult[];
}

/** Runs one sync. The caller holds the sync lock. */
export async function runSync(
  deps: { store: Store; client: IntercomClient },
  options: SyncOptions,
): Promise<SyncResult> {
  const { store, client } = deps;
  const clock = options.clock ?? systemClock;
  const nowSeconds = () => unixSeconds(clock);
  const startMs = clock();
  // Under the lock no other sync is alive: a run still `running` lost its process.
  for (const run of store.markAbandonedRuns(nowSeconds())) {
    const holder = options.tookOverFrom;
    const pid = holder && (holder.process_id === null || holder.process_id === run.processId)
      ? holder.pid
      : null;
    // property names apart from the line's own `pid` and `process_id` (this process)
    log.warning(
      "run {runId} ({crashedProcessId}, pid {crashedPid}, started {started}) ended without " +
        "finishing (killed or crashed): recorded as crashed; this sync resumes its work",
      {
        runId: run.id,
        crashedProcessId: run.processId ?? "untracked",
        crashedPid: pid ?? "unknown",
        started: isoFromSeconds(run.startedAt),
      },
    );
  }

  const state = store.syncState();
  const plan = planSync(options, state, {
    now: nowSeconds(),
    initialSyncDays: options.initialSyncDays ?? 7,
    overlapSeconds: options.overlapSeconds ?? 300,
  });
  const runId = store.startRun({
    mode: plan.resumedRunId !== null ? `${plan.mode} (resumed)` : plan.mode,
    windowStart: plan.windowStart,
    windowEnd: plan.windowEnd,
    startedAt: nowSeconds(),
    ...(options.processId ? { processId: options.processId } : {}),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
  });
  const description = plan.resumedRunId !== null
    ? `Resuming sync of conversations updated ${isoFromSeconds(plan.resumeFrom)} … ${
      isoFromSeconds(plan.windowEnd)
    }`
    : `Syncing conversations updated ${isoFromSeconds(plan.windowStart)} … ${
      isoFromSeconds(plan.windowEnd)
    }`;
  const op = options.progress?.startOperation("sync", description, {
    metadata: {
      run_id: runId,
      mode: plan.mode,
      window_start: plan.windowStart,
      window_end: plan.windowEnd,
    },
  });
  log.info(description + " (run {runId})", { runId, mode: plan.mode, resumed: plan.resumedRunId });

  const waitBaseMs = client.stats.rateLimitWaitMs;
  // Says what the run does between conversations, and when it waits for the rate limit.
  using phases = new PhaseReporter(op, client, { clock });
  // Created before the directory sync: the run's API calls include the directory's.
  // An incremental run after a completed one also refreshes the contacts changed since its
  // window's start; other runs look up every contact they need as they go.
  const contactsChangedSince = plan.mode === "incremental" && state.cursor !== null
    ? plan.windowStart
    : null;
  const runner = new PageRunner({ store, client, plan, runId, op, clock, phases }, {
    ...options,
    contactsChangedSince,
  });

  try {
    phases.work("fetching admins, teams and tags");
    await syncDirectory(store, client, options.signal);
    phases.work("searching conversations");
    const { total, limited } = await runner.run();
    const conversationSeconds = (clock() - startMs) / 1000;
    // A trial run cut short by maxConversations leaves the other streams alone.
    const streams = limited || options.supportStreams === false ? [] : await syncSupportStreams({
      store,
      client,
      clock,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      progress: options.progress,
      signal: options.signal,
    }, {
      ...options,
      now: plan.startedAt,
      runId,
    });
    // Every request of the run counts, the streams' too.
    const counts = runner.counts();
    phases.work("finishing: saving the sync position");
    const cursorBefore = store.syncState().cursor;
    const cursor = limited ? null : nextCursor(plan, cursorBefore);
    store.transaction(() => {
      if (cursor !== null) store.completeCursor(cursor);
      else store.setCheckpoint(null);
      store.finishRun(runId, {
        status: "completed",
        finishedAt: nowSeconds(),
        counts,
        apiRequests: runner.apiRequests(),
      });
    });
    const durationSeconds = (clock() - startMs) / 1000;
    const result: SyncResult = {
      runId,
      mode: plan.mode,
      resumed: plan.resumedRunId !== null,
      windowStart: plan.windowStart,
      windowEnd: plan.windowEnd,
      totalCount: total,
      counts,
      durationSeconds,
      conversationSeconds,
      conversationsPerSecond: durationSeconds > 0
        ? counts.conversationsFetched / durationSeconds
        : 0,
      cursor: cursor ?? cursorBefore,
      limited,
      rateLimitWaitSeconds: (client.stats.rateLimitWaitMs - waitBaseMs) / 1000,
      quarantined: store.quarantined(),
      missingContacts: store.gapCounts().missingContacts,
      streams,
    };
    if (result.quarantined.length > 0) {
      log.warning(
        "{count} record(s) cannot be read and are quarantined (everything else is stored; " +
          "every sync retries them): {records}",
        {
          count: result.quarantined.length,
          records: result.quarantined.slice(0, 5).map((q) => `${q.kind} ${q.id}: ${q.reason}`)
            .join("; "),
        },
      );
    }
    const summary =
      `Synced ${counts.conversationsFetched} conversations (${counts.conversationsSkipped} unchanged), ` +
      `${counts.partsUpserted} parts${streamSummary(streams)} in ${durationSeconds.toFixed(1)}s`;
    op?.complete(summary, { ...countsJson(counts), duration_seconds: durationSeconds });
    log.info(
      summary +
        " (run {runId}, {apiCalls} API calls, {retries} retries, {rateLimited} 429 responses, " +
        "{waitSeconds}s waiting for the rate limit)",
      {
        runId,
        ...counts,
        waitSeconds: Math.round(result.rateLimitWaitSeconds),
      },
    );
    return result;
  } catch (error) {
    const counts = runner.counts();
    const interrupted = options.signal?.aborted === true;
    const reason = interrupted ? "interrupted by the user" : describeFailure(error);
    try {
      store.finishRun(runId, {
        status: interrupted ? "interrupted" : "failed",
        finishedAt: nowSeconds(),
        error: reason,
        counts,
        apiRequests: runner.apiRequests(),
      });
    } catch (recordError) {
      // The store itself may be what failed (locked, full disk); the next sync marks the run
      // abandoned. Report the original failure, not this one.
      log.warning("could not record the end of run {runId}: {recordError}", { runId, recordError });
    }
    op?.fail(interrupted ? new InterruptedError("sync interrupted") : error, countsJson(counts));
    const stored = `${counts.conversationsFetched} conversations stored by this run; ` +
      "the next `fast-intercom-mcp sync` resumes from the last saved page";
    if (interrupted) {
      // Ctrl-C or SIGTERM: asked for, not a fault
      log.info("sync interrupted by the user at a safe point (run {runId}): {stored}", {
        runId,
        stored,
      });
      throw new InterruptedError(`sync interrupted: ${stored}`, { cause: error });
    }
    log.error("sync failed: {reason}", { reason, runId });
    if (error instanceof AuthError) {
      throw new AuthError(
        `token rejected by Intercom (401) during the sync — run \`fast-intercom-mcp init\` with a valid token (${stored})`,
        { cause: error, status: 401 },
      );
    }
    throw error;
  }
}

/** ", 12 tickets (40 unchanged), 3 companies (97 unchanged)", or "" without streams. */
function streamSummary(streams: readonly StreamResult[]): string {
  return streams.map((s) => `, ${s.stored} ${s.stream} (${s.skipped} unchanged)`).join("");
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
