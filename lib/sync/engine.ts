/**
 * The sync engine: Intercom → store, incremental, resumable, exact.
 *
 * Plan: search conversations by `updated_at` ascending within the window, 150 per page (the
 * next page is requested while the current one is fetched); fetch each new or changed
 * conversation in full with a bounded worker pool, paced by the client's shared rate limiter;
 * store a page's conversations, parts and newly referenced contacts in one transaction together
 * with the checkpoint. A run killed at any moment resumes from the last committed page. On
 * completion the cursor becomes the run's start time (see `plan.ts`).
 */
import { getLogger } from "@logtape/logtape";
import { InterruptedError } from "../errors.ts";
import type { IntercomClient, SearchPage } from "../intercom/client.ts";
import { ApiError, AuthError } from "../intercom/errors.ts";
import type { Conversation, ConversationSummary, SearchQuery } from "../intercom/types.ts";
import type { OperationHandle, ProgressBroadcaster } from "../observe/progress.ts";
import type { Store } from "../store/store.ts";
import type { RunCounts } from "../store/types.ts";
import { type Clock, isoFromSeconds, systemClock } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import { type Checkpoint, nextCursor, planSync, type SyncPlan, type SyncRequest } from "./plan.ts";

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
  /** Aborting stops at the next safe point and throws `InterruptedError`. */
  signal?: AbortSignal;
  /** Where progress is reported. Default: none. */
  progress?: ProgressBroadcaster;
  /** Status-tracker id and session, recorded with the run. */
  processId?: string;
  sessionId?: string;
  /** Default: the system clock. */
  clock?: Clock;
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
  conversationsPerSecond: number;
  /** The incremental cursor after the run. */
  cursor: number | null;
  /** True when `maxConversations` cut the run short. */
  limited: boolean;
}

/** Runs one sync. The caller holds the sync lock. */
export async function runSync(
  deps: { store: Store; client: IntercomClient },
  options: SyncOptions,
): Promise<SyncResult> {
  const { store, client } = deps;
  const clock = options.clock ?? systemClock;
  const nowSeconds = () => Math.floor(clock() / 1000);
  const startMs = clock();
  const abandoned = store.markAbandonedRuns(nowSeconds());
  if (abandoned > 0) {
    log.info("marked {count} abandoned run(s) as interrupted", { count: abandoned });
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

  const apiBase = { ...client.stats };
  const counts: RunCounts = {
    conversationsSeen: 0,
    conversationsFetched: 0,
    conversationsSkipped: 0,
    partsUpserted: 0,
    contactsUpserted: 0,
    apiCalls: 0,
    retries: 0,
    rateLimited: 0,
  };
  const syncApiCounts = () => {
    counts.apiCalls = client.stats.requests - apiBase.requests;
    counts.retries = client.stats.retries - apiBase.retries;
    counts.rateLimited = client.stats.rateLimited - apiBase.rateLimited;
  };
  const run = new PageRunner({
    store,
    client,
    plan,
    runId,
    counts,
    op,
    options,
    clock,
    syncApiCounts,
  });

  try {
    await syncDirectory(store, client, options.signal);
    const limited = await run.all();
    syncApiCounts();
    const cursorBefore = store.syncState().cursor;
    const cursor = limited ? null : nextCursor(plan, cursorBefore);
    store.transaction(() => {
      if (cursor !== null) store.completeCursor(cursor);
      else store.setCheckpoint(null);
      store.finishRun(runId, { status: "completed", finishedAt: nowSeconds(), counts });
    });
    const durationSeconds = (clock() - startMs) / 1000;
    const result: SyncResult = {
      runId,
      mode: plan.mode,
      resumed: plan.resumedRunId !== null,
      windowStart: plan.windowStart,
      windowEnd: plan.windowEnd,
      totalCount: run.total,
      counts: { ...counts },
      durationSeconds,
      conversationsPerSecond: durationSeconds > 0
        ? counts.conversationsFetched / durationSeconds
        : 0,
      cursor: cursor ?? cursorBefore,
      limited,
    };
    const summary =
      `Synced ${counts.conversationsFetched} conversations (${counts.conversationsSkipped} unchanged), ` +
      `${counts.partsUpserted} parts in ${durationSeconds.toFixed(1)}s`;
    op?.complete(summary, { ...snakeCounts(counts), duration_seconds: durationSeconds });
    log.info(
      summary +
        " (run {runId}, {apiCalls} API calls, {retries} retries, {rateLimited} rate-limit waits)",
      {
        runId,
        ...counts,
      },
    );
    return result;
  } catch (error) {
    syncApiCounts();
    const interrupted = options.signal?.aborted === true;
    const reason = interrupted ? "interrupted" : describeFailure(error);
    try {
      store.finishRun(runId, {
        status: interrupted ? "interrupted" : "failed",
        finishedAt: nowSeconds(),
        error: reason,
        counts,
      });
    } catch (recordError) {
      // The store itself may be what failed (locked, full disk); the next sync marks the run
      // abandoned. Report the original failure, not this one.
      log.warning("could not record the end of run {runId}: {recordError}", { runId, recordError });
    }
    op?.fail(interrupted ? new InterruptedError("sync interrupted") : error, snakeCounts(counts));
    const stored =
      `${run.committed} conversations stored by this run; the next \`fast-intercom-mcp sync\` resumes from the last saved page`;
    if (interrupted) {
      log.warning("sync interrupted at a safe point: {stored}", { stored });
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

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function snakeCounts(c: RunCounts): Record<string, number> {
  return {
    conversations_seen: c.conversationsSeen,
    conversations_fetched: c.conversationsFetched,
    conversations_skipped: c.conversationsSkipped,
    parts_upserted: c.partsUpserted,
    contacts_upserted: c.contactsUpserted,
    api_calls: c.apiCalls,
    retries: c.retries,
    rate_limited: c.rateLimited,
  };
}

/** Admins, teams and tags: small, unpaginated, replaced whole every run. */
async function syncDirectory(store: Store, client: IntercomClient, signal?: AbortSignal) {
  const [admins, teams, tags] = await Promise.all([
    client.listAdmins(signal),
    client.listTeams(signal),
    client.listTags(signal),
  ]);
  store.transaction(() => {
    store.replaceAdmins(admins);
    store.replaceTeams(teams);
    store.replaceTags(tags);
  });
  log.debug("stored {admins} admins, {teams} teams, {tags} tags", {
    admins: admins.length,
    teams: teams.length,
    tags: tags.length,
  });
}

/** `updated_at` within [from, to], inclusive, whether Intercom's `>` is strict or not. */
export function windowQuery(from: number, to: number): SearchQuery {
  return {
    operator: "AND",
    value: [
      { field: "updated_at", operator: ">", value: from - 1 },
      { field: "updated_at", operator: "<", value: to + 1 },
    ],
  };
}

interface RunnerDeps {
  store: Store;
  client: IntercomClient;
  plan: SyncPlan;
  runId: number;
  counts: RunCounts;
  op: OperationHandle | undefined;
  options: SyncOptions;
  clock: Clock;
  syncApiCounts: () => void;
}

/** Pages through the window, fetching and committing page by page. */
class PageRunner {
  total: number;
  /** Conversations this run has committed to the store. */
  committed = 0;
  #done: number;
  #pages: number;
  #totalPages: number | null = null;
  readonly #d: RunnerDeps;

  constructor(deps: RunnerDeps) {
    this.#d = deps;
    this.#done = deps.plan.done;
    this.#pages = deps.plan.pagesDone;
    this.total = deps.plan.done;
  }

  /** Runs every page; returns true when `maxConversations` stopped it early. */
  async all(): Promise<boolean> {
    const { client, plan, options } = this.#d;
    const signal = options.signal;
    const pages = client.searchConversations(windowQuery(plan.resumeFrom, plan.windowEnd), {
      perPage: options.perPage ?? 150,
      ...(signal ? { signal } : {}),
    });
    let first = true;
    let pending = pages.next();
    try {
      while (true) {
        const next = await pending;
        if (next.done) return false;
        const page = next.value;
        if (first) {
          first = false;
          this.total = this.#done + page.totalCount;
          this.#totalPages = this.#pages + (page.totalPages ?? Math.ceil(page.totalCount / 150));
          this.#d.op?.update(`Found ${page.totalCount} conversations to check`, {
            current: this.#done,
            total: this.total,
          });
        }
        // Ask for the next page while this one's conversations are fetched.
        pending = page.nextCursor === null
          ? Promise.resolve({ done: true, value: undefined })
          : pages.next();
        pending.catch(() => {}); // handled when awaited
        const limit = options.maxConversations;
        const room = limit === undefined ? page.items.length : Math.max(0, limit - this.#done);
        await this.#runPage(page, page.items.slice(0, room));
        if (limit !== undefined && this.#done >= limit) return true;
        signal?.throwIfAborted();
      }
    } finally {
      await pages.return(undefined).catch(() => {});
    }
  }

  async #runPage(page: SearchPage<ConversationSummary>, items: ConversationSummary[]) {
    const { store, plan, counts, options, runId } = this.#d;
    const signal = options.signal;
    signal?.throwIfAborted();
    const pageNo = this.#pages + 1;
    const stored = store.storedUpdatedAt(items.map((c) => c.id));
    const wanted = items.filter((c) => plan.force || (stored.get(c.id) ?? -1) < c.updated_at);
    const skipped = items.length - wanted.length;
    counts.conversationsSeen += items.length;
    counts.conversationsSkipped += skipped;
    this.#done += skipped;
    this.#report(pageNo);

    const fetched = (await mapPool(wanted, options.concurrency ?? 16, async (summary) => {
      const conversation = await this.#fetch(summary.id, signal);
      this.#done++;
      if (conversation) counts.conversationsFetched++;
      this.#report(pageNo);
      return conversation;
    })).filter((c): c is Conversation => c !== null);

    const contacts = await this.#missingContacts(fetched, signal);
    this.#d.syncApiCounts();
    const syncedAt = Math.floor(this.#d.clock() / 1000);
    const last = items.at(-1);
    const checkpoint: Checkpoint = {
      version: 1,
      runId,
      mode: plan.mode,
      windowStart: plan.windowStart,
      windowEnd: plan.windowEnd,
      startedAt: plan.startedAt,
      resumeFrom: last ? Math.max(plan.resumeFrom, last.updated_at) : plan.resumeFrom,
      done: this.#done,
      pagesDone: pageNo,
      force: plan.force,
    };
    store.transaction(() => {
      for (const conversation of fetched) {
        counts.partsUpserted += store.upsertConversation(conversation, syncedAt).partsUpserted;
      }
      counts.contactsUpserted += store.upsertContacts(contacts);
      store.updateRun(runId, counts);
      store.setCheckpoint(checkpoint);
    });
    this.#pages = pageNo;
    this.committed += fetched.length;
    log.debug(
      "committed page {page}: {fetched} fetched, {skipped} unchanged, {parts} parts so far",
      {
        page: pageNo,
        fetched: fetched.length,
        skipped,
        parts: counts.partsUpserted,
        totalCount: page.totalCount,
      },
    );
    this.#report(pageNo);
  }

  async #fetch(id: string, signal: AbortSignal | undefined): Promise<Conversation | null> {
    try {
      return await this.#d.client.getConversation(id, signal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        log.warning("conversation {id} disappeared before it could be fetched (404); skipped", {
          id,
        });
        return null;
      }
      throw error;
    }
  }

  async #missingContacts(conversations: Conversation[], signal: AbortSignal | undefined) {
    const { store, client, plan } = this.#d;
    const ids = [...new Set(conversations.flatMap((c) => c.contacts.map((x) => x.id)))];
    const wanted = plan.force ? ids : store.missingContactIds(ids);
    const contacts = [];
    for (let i = 0; i < wanted.length; i += 100) {
      const chunk = wanted.slice(i, i + 100);
      const query: SearchQuery = { field: "id", operator: "IN", value: chunk };
      for await (
        const page of client.searchContacts(query, { perPage: 150, ...(signal ? { signal } : {}) })
      ) {
        contacts.push(...page.items);
      }
    }
    return contacts;
  }

  #report(pageNo: number) {
    const { op, counts } = this.#d;
    if (!op) return;
    this.#d.syncApiCounts();
    if (this.#done > this.total) this.total = this.#done;
    const batches = this.#totalPages
      ? `batch ${pageNo}/${Math.max(this.#totalPages, pageNo)}`
      : `batch ${pageNo}`;
    op.update(
      `${batches}: ${counts.conversationsFetched} fetched, ${counts.conversationsSkipped} unchanged`,
      {
        current: this.#done,
        total: this.total,
        batch: pageNo,
        batches: this.#totalPages,
        fetched: counts.conversationsFetched,
        skipped: counts.conversationsSkipped,
        parts: counts.partsUpserted,
        api_calls: counts.apiCalls,
        retries: counts.retries,
        rate_limited: counts.rateLimited,
      },
    );
  }
}
