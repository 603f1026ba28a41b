/**
 * One run's paging: search the window page by page (asking for the next page while the current
 * one's conversations are fetched), fetch new or changed conversations with a bounded worker
 * pool, and commit each page with its checkpoint in one transaction.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient, SearchPage } from "../intercom/client.ts";
import { ApiError } from "../intercom/errors.ts";
import type { Conversation, ConversationSummary, SearchQuery } from "../intercom/types.ts";
import { type OperationHandle, RATE_CEILING } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import type { RunCounts } from "../store/types.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import type { Checkpoint, SyncPlan } from "./plan.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Searches larger than this are split into `updated_at` slices. */
export const DEFAULT_MAX_PER_SEARCH = 10_000;
/** The narrowest slice: one busy second could hold more, and cannot be split further usefully. */
const MIN_SLICE_SECONDS = 60;

/** What the runner needs from the run around it. */
export interface PageRunnerOptions {
  /** Conversations fetched in parallel. Default 16. */
  concurrency?: number | undefined;
  /** Search page size, 1…150. Default 150. */
  perPage?: number | undefined;
  /** Stop after this many conversations. Default: no limit. */
  maxConversations?: number | undefined;
  /** A search matching more conversations is split into time slices. Default 10,000. */
  maxPerSearch?: number | undefined;
  signal?: AbortSignal | undefined;
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

/** The run a {@link PageRunner} works for. */
export interface RunnerDeps {
  store: Store;
  client: IntercomClient;
  plan: SyncPlan;
  runId: number;
  counts: RunCounts;
  op: OperationHandle | undefined;
  options: PageRunnerOptions;
  clock: Clock;
  syncApiCounts: () => void;
}

/** Pages through the window, fetching and committing page by page. */
export class PageRunner {
  total: number;
  /** Conversations this run has committed to the store. */
  committed = 0;
  #done: number;
  #pages: number;
  #totalPages: number | null = null;
  #announced = false;
  readonly #d: RunnerDeps;

  constructor(deps: RunnerDeps) {
    this.#d = deps;
    this.#done = deps.plan.done;
    this.#pages = deps.plan.pagesDone;
    this.total = deps.plan.done;
  }

  /**
   * Runs every page of the window; returns true when `maxConversations` stopped it early.
   *
   * A window whose search matches more than `maxPerSearch` conversations is split into
   * consecutive `updated_at` slices (Intercom's search slows down and times out on very large
   * result sets, and a shorter cursor chain drifts less); the first, whole-window search gives
   * the true total for progress.
   */
  async all(): Promise<boolean> {
    const { plan, options } = this.#d;
    const maxPerSearch = options.maxPerSearch ?? DEFAULT_MAX_PER_SEARCH;
    let from = plan.resumeFrom;
    let span = plan.windowEnd - from + 1;
    while (from <= plan.windowEnd) {
      const to = Math.min(plan.windowEnd, from + span - 1);
      const slice = await this.#runSearch(from, to, maxPerSearch);
      if (slice.tooMany !== null) {
        // Narrow the slice so that it should hold about half the limit, and try again.
        span = Math.max(MIN_SLICE_SECONDS, Math.floor(span * maxPerSearch / slice.tooMany / 2));
        continue;
      }
      if (slice.limited) return true;
      from = to + 1;
      if (slice.count < maxPerSearch / 4) span *= 2;
    }
    return false;
  }

  /** Pages through one search; reports `tooMany` (its total) instead when it must be split. */
  async #runSearch(
    from: number,
    to: number,
    maxPerSearch: number,
  ): Promise<{ tooMany: number | null; limited: boolean; count: number }> {
    const { client, options } = this.#d;
    const signal = options.signal;
    const perPage = options.perPage ?? 150;
    const pages = client.searchConversations(windowQuery(from, to), {
      perPage,
      ...(signal ? { signal } : {}),
    });
    try {
      let pending = pages.next();
      let first = true;
      let count = 0;
      while (true) {
        const next = await pending;
        if (next.done) return { tooMany: null, limited: false, count };
        const page = next.value;
        if (first) {
          first = false;
          count = page.totalCount;
          this.#announce(page.totalCount, perPage);
          if (page.totalCount > maxPerSearch && to - from + 1 > MIN_SLICE_SECONDS) {
            log.debug("search of {count} conversations split into smaller time slices", {
              count: page.totalCount,
            });
            return { tooMany: page.totalCount, limited: false, count };
          }
        }
        // Ask for the next page while this one's conversations are fetched.
        pending = page.nextCursor === null
          ? Promise.resolve({ done: true, value: undefined })
          : pages.next();
        pending.catch(() => {}); // handled when awaited
        const limit = options.maxConversations;
        const room = limit === undefined ? page.items.length : Math.max(0, limit - this.#done);
        await this.#runPage(page, page.items.slice(0, room));
        if (limit !== undefined && this.#done >= limit) {
          return { tooMany: null, limited: true, count };
        }
        signal?.throwIfAborted();
      }
    } finally {
      await pages.return(undefined).catch(() => {});
    }
  }

  /** The first search of the run tells the whole window's total: progress gets a true total. */
  #announce(totalCount: number, perPage: number) {
    if (this.#announced) return;
    this.#announced = true;
    this.total = this.#done + totalCount;
    this.#totalPages = this.#pages + Math.ceil(totalCount / perPage);
    this.#d.op?.update(`Found ${totalCount} conversations to check`, {
      current: this.#done,
      total: this.total,
    });
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
    const syncedAt = unixSeconds(this.#d.clock);
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
    const ceiling = this.#d.client.requestsPerSecond;
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
        // One request per fetched conversation: the API's rate limit caps items/s and the ETA.
        ...(ceiling !== null ? { [RATE_CEILING]: ceiling } : {}),
      },
    );
  }
}
