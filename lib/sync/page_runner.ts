/**
 * One run's paging: search the window page by page (asking for the next page while the current
 * one's conversations are fetched), fetch new or changed conversations with a bounded worker
 * pool, and commit each page with its checkpoint and the run's counters in one transaction.
 *
 * The runner owns its state, in three parts:
 * - the run's counters (`RunCounts`): what it has committed, and its API calls (the client's
 *   stats read at every commit, minus a snapshot taken when the runner is created);
 * - one progress counter, `done`: conversations of the window processed (skipped, or fetched
 *   whatever the outcome) by this run and the interrupted runs it continues, against `total`;
 * - `pagesDone`: committed pages, for "batch n/m" and the checkpoint.
 */
import { getLogger } from "@logtape/logtape";
import type { ClientStats, IntercomClient } from "../intercom/client.ts";
import { ApiError } from "../intercom/errors.ts";
import type { Conversation, ConversationSummary, SearchQuery } from "../intercom/types.ts";
import { type OperationHandle, RATE_CEILING } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import { storedCopyIsCurrent } from "./freshness.ts";
import type { PhaseReporter } from "./phase_reporter.ts";
import { checkpointOf, type SyncPlan } from "./plan.ts";
import { type ApiRequestCounts, countsJson, type RunCounts, zeroCounts } from "./run_record.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Searches larger than this are split into `updated_at` slices. */
export const DEFAULT_MAX_PER_SEARCH = 10_000;
/** The narrowest slice: one busy second could hold more, and cannot be split further usefully. */
const MIN_SLICE_SECONDS = 60;

/** A conversation as fetched, with the second its request started. */
interface Fetched {
  conversation: Conversation;
  fetchedAt: number;
}

/** How the runner pages. */
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
export interface PageRunnerDeps {
  store: Store;
  /** API calls are counted from the runner's creation on. */
  client: IntercomClient;
  plan: SyncPlan;
  /** The `sync_runs` row this run updates with every page. */
  runId: number;
  /** Where progress goes; none without one. */
  op: OperationHandle | undefined;
  clock: Clock;
  /** Names the work between conversations (fetching contacts, storing a batch). Default: none. */
  phases?: PhaseReporter;
}

/** What {@link PageRunner.run} did. */
export interface PageRunResult {
  counts: RunCounts;
  /** The window's conversations: the first search's total, plus what resumed runs had done. */
  total: number;
  /** True when `maxConversations` stopped it early. */
  limited: boolean;
}

/** Pages through the window, fetching and committing page by page. */
export class PageRunner {
  readonly #deps: PageRunnerDeps;
  readonly #options: PageRunnerOptions;
  readonly #apiBase: ClientStats;
  readonly #requestBase: ApiRequestCounts;
  #counts: RunCounts = zeroCounts();
  #done: number;
  #total: number;
  #pagesDone: number;
  #totalPages: number | null = null;
  #announced = false;

  constructor(deps: PageRunnerDeps, options: PageRunnerOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.#apiBase = { ...deps.client.stats };
    this.#requestBase = structuredClone(deps.client.stats.byEndpoint);
    this.#done = deps.plan.done;
    this.#total = deps.plan.done;
    this.#pagesDone = deps.plan.pagesDone;
  }

  /** The run's API requests by endpoint and outcome until now (see `ClientStats.byEndpoint`). */
  apiRequests(): ApiRequestCounts {
    const requests: ApiRequestCounts = {};
    for (const [endpoint, byStatus] of Object.entries(this.#deps.client.stats.byEndpoint)) {
      for (const [status, n] of Object.entries(byStatus)) {
        const made = n - (this.#requestBase[endpoint]?.[status] ?? 0);
        if (made > 0) (requests[endpoint] ??= {})[status] = made;
      }
    }
    return requests;
  }

  /** The run's counters: what it has committed, and its API calls until now. */
  counts(): RunCounts {
    return { ...this.#counts, ...this.#apiCalls() };
  }

  /**
   * Runs every page of the window.
   *
   * A window whose search matches more than `maxPerSearch` conversations is split into
   * consecutive `updated_at` slices (Intercom's search slows down and times out on very large
   * result sets, and a shorter cursor chain drifts less); the first, whole-window search gives
   * the true total for progress.
   */
  async run(): Promise<PageRunResult> {
    const { plan } = this.#deps;
    const maxPerSearch = this.#options.maxPerSearch ?? DEFAULT_MAX_PER_SEARCH;
    let from = plan.resumeFrom;
    let span = plan.windowEnd - from + 1;
    let limited = false;
    while (from <= plan.windowEnd) {
      const to = Math.min(plan.windowEnd, from + span - 1);
      const slice = await this.#runSearch(from, to, maxPerSearch);
      if (slice.tooMany !== null) {
        // Narrow the slice so that it should hold about half the limit, and try again.
        span = Math.max(MIN_SLICE_SECONDS, Math.floor(span * maxPerSearch / slice.tooMany / 2));
        continue;
      }
      if (slice.limited) {
        limited = true;
        break;
      }
      from = to + 1;
      if (slice.count < maxPerSearch / 4) span *= 2;
    }
    return { counts: this.counts(), total: this.#total, limited };
  }

  /** Pages through one search; reports `tooMany` (its total) instead when it must be split. */
  async #runSearch(
    from: number,
    to: number,
    maxPerSearch: number,
  ): Promise<{ tooMany: number | null; limited: boolean; count: number }> {
    const signal = this.#options.signal;
    const perPage = this.#options.perPage ?? 150;
    const pages = this.#deps.client.searchConversations(windowQuery(from, to), {
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
        const limit = this.#options.maxConversations;
        const room = limit === undefined ? page.items.length : Math.max(0, limit - this.#done);
        await this.#runPage(page.items.slice(0, room), page.totalCount);
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
    this.#deps.phases?.work(null); // the search answered: counting conversations from here
    this.#total = this.#done + totalCount;
    this.#totalPages = this.#pagesDone + Math.ceil(totalCount / perPage);
    this.#deps.op?.update(`Found ${totalCount} conversations to check`, {
      current: this.#done,
      total: this.#total,
    });
  }

  /** Fetches what changed among `items` and commits them as the next page. */
  async #runPage(items: ConversationSummary[], searchTotal: number) {
    const { store, plan, runId } = this.#deps;
    const signal = this.#options.signal;
    signal?.throwIfAborted();
    const pageNo = this.#pagesDone + 1;
    const stored = store.storedCopies(items.map((c) => c.id));
    const wanted = items.filter((c) =>
      plan.force || !storedCopyIsCurrent(stored.get(c.id), c.updated_at)
    );
    const skipped = items.length - wanted.length;
    this.#advance(skipped, pageNo);

    const fetched = (await mapPool(wanted, this.#options.concurrency ?? 16, async (summary) => {
      const conversation = await this.#fetch(summary.id, signal);
      this.#advance(1, pageNo);
      return conversation;
    })).filter((c): c is Fetched => c !== null);
    const contacts = await this.#missingContacts(
      fetched.map((f) => f.conversation),
      signal,
      pageNo,
    );

    const syncedAt = unixSeconds(this.#deps.clock);
    const last = items.at(-1);
    const checkpoint = checkpointOf(plan, runId, {
      resumeFrom: last ? Math.max(plan.resumeFrom, last.updated_at) : plan.resumeFrom,
      done: this.#done,
      pagesDone: pageNo,
    });
    const before = this.#counts;
    const counts: RunCounts = {
      ...before,
      ...this.#apiCalls(),
      conversationsSeen: before.conversationsSeen + items.length,
      conversationsSkipped: before.conversationsSkipped + skipped,
      conversationsFetched: before.conversationsFetched + fetched.length,
    };
    this.#deps.phases?.work(`storing batch ${pageNo}`);
    store.transaction(() => {
      for (const { conversation, fetchedAt } of fetched) {
        counts.partsUpserted += store.upsertConversation(conversation, syncedAt, { fetchedAt })
          .partsUpserted;
      }
      counts.contactsUpserted += store.upsertContacts(contacts);
      store.updateRun(runId, counts, this.apiRequests());
      store.setCheckpoint(checkpoint);
    });
    this.#counts = counts;
    this.#pagesDone = pageNo;
    this.#deps.phases?.work(null);
    log.debug(
      "committed page {page}: {fetched} fetched, {skipped} unchanged, {parts} parts so far",
      {
        page: pageNo,
        fetched: fetched.length,
        skipped,
        parts: counts.partsUpserted,
        totalCount: searchTotal,
      },
    );
    this.#report(pageNo);
  }

  async #fetch(id: string, signal: AbortSignal | undefined): Promise<Fetched | null> {
    // Taken before the request (and any wait for the rate limit): the copy holds at least
    // every change made before this second.
    const fetchedAt = unixSeconds(this.#deps.clock);
    try {
      return { conversation: await this.#deps.client.getConversation(id, signal), fetchedAt };
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

  async #missingContacts(
    conversations: Conversation[],
    signal: AbortSignal | undefined,
    pageNo: number,
  ) {
    const { store, client, plan } = this.#deps;
    const ids = [...new Set(conversations.flatMap((c) => c.contacts.map((x) => x.id)))];
    const wanted = plan.force ? ids : store.missingContactIds(ids);
    if (wanted.length > 0) {
      this.#deps.phases?.work(`fetching ${wanted.length} contacts for batch ${pageNo}`);
    }
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

  /** API calls since the runner was created, from the client's stats now. */
  #apiCalls(): Pick<RunCounts, "apiCalls" | "retries" | "rateLimited"> {
    const now = this.#deps.client.stats;
    const base = this.#apiBase;
    return {
      apiCalls: now.requests - base.requests,
      retries: now.retries - base.retries,
      rateLimited: now.rateLimited - base.rateLimited,
    };
  }

  /** Moves the progress counter by `n` processed conversations. */
  #advance(n: number, pageNo: number) {
    this.#done += n;
    // Conversations changed while paging can make the window larger than its first total.
    if (this.#done > this.#total) this.#total = this.#done;
    this.#report(pageNo);
  }

  #report(pageNo: number) {
    const op = this.#deps.op;
    if (!op) return;
    const c = this.#counts;
    const ceiling = this.#deps.client.requestsPerSecond;
    const batches = this.#totalPages
      ? `batch ${pageNo}/${Math.max(this.#totalPages, pageNo)}`
      : `batch ${pageNo}`;
    op.update(
      `${batches}: ${c.conversationsFetched} fetched, ${c.conversationsSkipped} unchanged`,
      {
        current: this.#done,
        total: this.#total,
        batch: pageNo,
        batches: this.#totalPages,
        ...countsJson(c),
        // the budget left in the rate-limit window, for `/metrics` (via the status record)
        ...(this.#deps.client.rateLimit.available !== null
          ? { rate_limit_remaining: this.#deps.client.rateLimit.available }
          : {}),
        // One request per fetched conversation: the API's rate limit caps items/s and the ETA.
        ...(ceiling !== null ? { [RATE_CEILING]: ceiling } : {}),
      },
    );
  }
}
