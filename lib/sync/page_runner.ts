/**
 * One run's paging: search the window page by page (asking for the next page while the current
 * one's conversations are fetched), fetch new or changed conversations with a bounded worker
 * pool, and commit each page with its checkpoint in one transaction.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient, SearchPage } from "../intercom/client.ts";
import { ApiError } from "../intercom/errors.ts";
import type { Conversation, ConversationSummary, SearchQuery } from "../intercom/types.ts";
import { type OperationHandle, RATE_CEILING } from "../observe/progress.ts";
import type { Store } from "../store/store.ts";
import type { RunCounts } from "../store/types.ts";
import type { Clock } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import type { Checkpoint, SyncPlan } from "./plan.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** What the runner needs from the run around it. */
export interface PageRunnerOptions {
  /** Conversations fetched in parallel. Default 16. */
  concurrency?: number | undefined;
  /** Search page size, 1…150. Default 150. */
  perPage?: number | undefined;
  /** Stop after this many conversations. Default: no limit. */
  maxConversations?: number | undefined;
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
