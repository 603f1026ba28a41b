/**
 * One run's paging: search the window page by page, fetch new or changed conversations with a
 * worker pool shared by every page, look up their contacts, and commit each page with its
 * checkpoint and the run's counters in one transaction — pages worked on together, committed in
 * order (`page_pipeline.ts`), so there is no barrier at a page boundary.
 *
 * Before the window, the run retries what earlier runs could not store: missing and
 * quarantined contacts (`contacts.ts`), quarantined conversations, and conversations naming a
 * contact that has gone (merged away). A conversation or search item that cannot be read is
 * quarantined, not fatal: everything else is stored and the run completes.
 *
 * The runner owns its state: the run's counters (`RunCounts`: what it has committed, and its
 * API calls since it was created, `api_usage.ts`) and its progress (`run_progress.ts`).
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient, UnreadableItem } from "../intercom/client.ts";
import { updatedBetween } from "../intercom/query.ts";
import type { ConversationSummary } from "../intercom/types.ts";
import type { OperationHandle } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { TaskPool } from "../util/pool.ts";
import { ApiUsage } from "./api_usage.ts";
import { commitContacts, ContactResolver } from "./contacts.ts";
import { storedCopyIsCurrent } from "./freshness.ts";
import { PagePipeline } from "./page_pipeline.ts";
import type { PhaseReporter } from "./phase_reporter.ts";
import {
  emptyWork,
  fetchConversation,
  type PageJob,
  type PageWork,
  type SearchState,
  storePageWork,
} from "./page_work.ts";
import { checkpointOf, type SyncPlan } from "./plan.ts";
import { RunProgress } from "./run_progress.ts";
import { type ApiRequestCounts, type RunCounts, zeroCounts } from "./run_record.ts";
import { SearchOrder } from "./search_order.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Searches larger than this are split into `updated_at` slices. */
export const DEFAULT_MAX_PER_SEARCH = 10_000;
/** The narrowest slice: one busy second could hold more, and cannot be split further usefully. */
const MIN_SLICE_SECONDS = 60;

/** How the runner pages. */
export interface PageRunnerOptions {
  /** Conversations fetched in parallel. Default 16. */
  concurrency?: number | undefined;
  /** Search page size, 1…150. Default 150. */
  perPage?: number | undefined;
  /** Stop after this run has processed this many conversations of the window. Default: none. */
  maxConversations?: number | undefined;
  /** A search matching more conversations is split into time slices. Default 10,000. */
  maxPerSearch?: number | undefined;
  /**
   * Also refresh the stored contacts changed since then (Unix seconds), after the window.
   * Default: none (every contact the run needs is looked up as its conversations are).
   */
  contactsChangedSince?: number | null | undefined;
  signal?: AbortSignal | undefined;
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
  readonly #api: ApiUsage;
  readonly #progress: RunProgress;
  readonly #pool: TaskPool;
  readonly #contacts: ContactResolver;
  #counts: RunCounts = zeroCounts();
  /** Conversations of the window this run has taken on (for `maxConversations`). */
  #taken = 0;
  /** A search came back out of order (now, or in an earlier run): resume only at a search's start. */
  #unsorted: boolean;

  constructor(deps: PageRunnerDeps, options: PageRunnerOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.#api = new ApiUsage(deps.client);
    this.#progress = new RunProgress({
      op: deps.op,
      plan: deps.plan,
      counts: () => this.#counts,
      ceiling: () => deps.client.requestsPerSecond,
    });
    this.#pool = new TaskPool(options.concurrency ?? 16);
    this.#contacts = new ContactResolver(deps, { force: deps.plan.force });
    this.#unsorted = deps.store.syncState().searchUnsortedAt !== null;
  }

  /** The run's counters: what it has committed, and its API calls until now. */
  counts(): RunCounts {
    return { ...this.#counts, ...this.#api.calls() };
  }

  /** The run's API requests by endpoint and outcome until now (see `ClientStats.byEndpoint`). */
  apiRequests(): ApiRequestCounts {
    return this.#api.requests();
  }

  /**
   * Runs every page of the window, after retrying what earlier runs could not store.
   *
   * A window whose search matches more than `maxPerSearch` conversations is split into
   * consecutive `updated_at` slices (Intercom's search slows down and times out on very large
   * result sets, and a shorter cursor chain drifts less); the first, whole-window search gives
   * the true total for progress.
   */
  async run(): Promise<PageRunResult> {
    const perPage = this.#options.perPage ?? 150;
    const concurrency = this.#pool.size;
    const pipeline = new PagePipeline({
      maxInFlight: Math.max(3, Math.ceil((2 * concurrency) / perPage) + 1),
      signal: this.#options.signal,
    });
    try {
      await this.#retryEarlierGaps(pipeline, perPage);
      const limited = await this.#runWindow(pipeline);
      await pipeline.finish();
      const since = this.#options.contactsChangedSince;
      if (since !== null && since !== undefined && !limited) {
        this.#deps.phases?.work("refreshing contacts changed since the last sync");
        const changed = await this.#contacts.changedSince(since, pipeline.signal);
        const { store } = this.#deps;
        store.transaction(() => {
          const contactsUpserted = this.#counts.contactsUpserted + commitContacts(store, changed);
          this.#counts = { ...this.#counts, ...this.#api.calls(), contactsUpserted };
          store.updateRun(this.#deps.runId, this.#counts, this.apiRequests());
        });
      }
      return { counts: this.counts(), total: this.#progress.total, limited };
    } catch (error) {
      await pipeline.fail(error);
      throw pipeline.failure;
    }
  }

  async #runWindow(pipeline: PagePipeline): Promise<boolean> {
    const { plan } = this.#deps;
    const maxPerSearch = this.#options.maxPerSearch ?? DEFAULT_MAX_PER_SEARCH;
    let from = plan.resumeFrom;
    let span = plan.windowEnd - from + 1;
    while (from <= plan.windowEnd) {
      const to = Math.min(plan.windowEnd, from + span - 1);
      const slice = await this.#runSearch(pipeline, from, to, maxPerSearch);
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

  /** Missing and quarantined contacts, then quarantined conversations and those naming gone contacts. */
  async #retryEarlierGaps(pipeline: PagePipeline, perPage: number) {
    const { store } = this.#deps;
    if (store.gapCounts().missingContacts + store.quarantined("contact").length > 0) {
      this.#deps.phases?.work("retrying contacts earlier syncs could not fetch");
    }
    const retry = await this.#contacts.retry(pipeline.signal);
    store.transaction(() => {
      this.#counts = {
        ...this.#counts,
        contactsUpserted: this.#counts.contactsUpserted + commitContacts(store, retry.batch),
      };
    });
    const quarantined = store.quarantined("conversation").map((q) => q.id);
    const ids = [...new Set([...quarantined, ...retry.revisit])];
    if (ids.length === 0) return;
    log.info(
      "fetching {count} conversation(s) again: {quarantined} quarantined, {revisit} " +
        "naming a contact that has gone",
      {
        count: ids.length,
        quarantined: quarantined.length,
        revisit: retry.revisit.length,
      },
    );
    this.#progress.addToTotal(ids.length);
    for (let i = 0; i < ids.length; i += perPage) {
      const chunk = ids.slice(i, i + perPage);
      await this.#addPage(pipeline, {
        search: null,
        resumeAt: null,
        items: chunk.length,
        skipped: 0,
        fetchIds: chunk,
      });
    }
  }

  /** Pages through one search; reports `tooMany` (its total) instead when it must be split. */
  async #runSearch(
    pipeline: PagePipeline,
    from: number,
    to: number,
    maxPerSearch: number,
  ): Promise<{ tooMany: number | null; limited: boolean; count: number }> {
    const perPage = this.#options.perPage ?? 150;
    const pages = this.#deps.client.searchConversations(updatedBetween(from, to), {
      perPage,
      skipUnreadable: true,
      signal: pipeline.signal,
    });
    const search: SearchState = { from, order: new SearchOrder() };
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
          // the search answered: counting conversations from here
          if (!this.#progress.announced) this.#deps.phases?.work(null);
          this.#progress.announce(page.totalCount, perPage);
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
        const room = limit === undefined ? Infinity : Math.max(0, limit - this.#taken);
        const items = page.items.slice(0, room);
        const unreadable = page.unreadable.slice(0, Math.max(0, room - items.length));
        this.#taken += items.length + unreadable.length;
        await this.#addPage(pipeline, this.#searchJob(search, items, unreadable));
        if (limit !== undefined && this.#taken >= limit) {
          return { tooMany: null, limited: true, count };
        }
      }
    } finally {
      await pages.return(undefined).catch(() => {});
    }
  }

  /** A search page's job: what to fetch, and where a resumed run could restart. */
  #searchJob(
    search: SearchState,
    items: ConversationSummary[],
    unreadable: UnreadableItem[],
  ): PageJob {
    const { store, plan } = this.#deps;
    search.order.observe(items.map((c) => c.updated_at));
    if (search.order.unsorted && !this.#unsorted) {
      this.#unsorted = true;
      log.warning(
        "conversation search answered out of updated_at order (its sort is not in Intercom's " +
          "2.11 description): paging on to the end of each search, and an interrupted sync " +
          "will restart a search from its start rather than from the middle",
      );
      store.markSearchUnsorted(search.from);
    }
    const stored = store.storedCopies(items.map((c) => c.id));
    const wanted = items.filter((c) =>
      plan.force || !storedCopyIsCurrent(stored.get(c.id), c.updated_at)
    );
    const fetchIds = wanted.map((c) => c.id);
    for (const item of unreadable) {
      if (item.id !== null) {
        log.warning(
          "search listed conversation {id} in a shape that cannot be read " +
            "({reason}); fetching it by id",
          { id: item.id, reason: item.reason },
        );
        fetchIds.push(item.id);
      } else {
        log.warning("search listed a conversation without a readable id ({reason}): skipped", {
          reason: item.reason,
        });
      }
    }
    const skipped = items.length - wanted.length;
    this.#progress.advance(skipped + unreadable.filter((u) => u.id === null).length);
    return {
      search,
      resumeAt: search.order.resumePoint(),
      items: items.length + unreadable.length,
      skipped,
      fetchIds,
    };
  }

  async #addPage(pipeline: PagePipeline, job: PageJob) {
    await pipeline.add((signal) => this.#work(job, signal), (work) => this.#commit(job, work));
  }

  /** Fetches a page's conversations in the shared pool, then looks up their contacts. */
  async #work(job: PageJob, signal: AbortSignal): Promise<PageWork> {
    const work = emptyWork();
    await Promise.all(job.fetchIds.map((id) =>
      this.#pool.run(async () => {
        await fetchConversation(this.#deps, id, work, signal);
        this.#progress.advance(1);
      }, signal)
    ));
    // Once nothing else is fetched, the contacts lookup is what the run is doing.
    if (this.#pool.active === 0) this.#deps.phases?.work("fetching contacts");
    work.contacts = await this.#contacts.resolve(work.fetched.map((f) => f.conversation), signal);
    return work;
  }

  /** Stores a page with its checkpoint and the run's counters, in one transaction. */
  #commit(job: PageJob, work: PageWork) {
    const { store, plan, runId } = this.#deps;
    const syncedAt = unixSeconds(this.#deps.clock);
    const position = this.#progress.nextCommit(job.search !== null, job.items);
    const { pageNo, done } = position;
    const before = this.#counts;
    const counts: RunCounts = {
      ...before,
      ...this.#api.calls(),
      conversationsSeen: before.conversationsSeen + job.items,
      conversationsSkipped: before.conversationsSkipped + job.skipped,
      conversationsFetched: before.conversationsFetched + work.fetched.length,
    };
    this.#deps.phases?.work(`storing batch ${pageNo}`);
    store.transaction(() => {
      const written = storePageWork(store, work, syncedAt);
      counts.partsUpserted += written.partsUpserted;
      counts.contactsUpserted += written.contactsUpserted;
      store.updateRun(runId, counts, this.apiRequests());
      if (job.search !== null) {
        const resumeFrom = this.#unsorted ? job.search.from : job.resumeAt ?? job.search.from;
        store.setCheckpoint(checkpointOf(plan, runId, { resumeFrom, done, pagesDone: pageNo }));
      }
    });
    this.#counts = counts;
    this.#deps.phases?.work(null);
    log.debug(
      "committed page {page}: {fetched} fetched, {skipped} unchanged, {parts} parts so far",
      {
        page: pageNo,
        fetched: work.fetched.length,
        skipped: job.skipped,
        parts: counts.partsUpserted,
      },
    );
    this.#progress.committed(position);
  }
}
