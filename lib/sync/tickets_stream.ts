/**
 * The tickets stream: Intercom → store with the conversations' guarantees.
 *
 * - Window: its own cursor in `sync_streams` (planned like conversations by `plan.ts`: the
 *   cursor less the overlap, or the requested days/since/all), ending at the run's start.
 * - Search tickets by `updated_at` ascending, 150 a page (the next page is requested while this
 *   one's tickets are fetched); skip a stored ticket only when its copy was requested in a later
 *   second than its `updated_at` (`freshness.ts`); fetch the rest with `GET /tickets/{id}` (a
 *   bounded pool, paced by the client's shared rate limiter); commit a page's tickets with the
 *   stream's checkpoint in one transaction.
 * - Resumable: a run stopped at any point resumes from the last committed page — from the
 *   `updated_at` of its last ticket when every page so far came in ascending order (the 2.11
 *   description documents no `sort` for ticket search), from the window's start otherwise.
 * - A ticket that cannot be read is quarantined (retried next run), one that vanished (404)
 *   skipped; the rest of the page is stored. A search item that cannot be read is fetched by
 *   id whatever its age (its full copy may read).
 */
import { getLogger } from "@logtape/logtape";
import { MalformedRecordError } from "../intercom/errors.ts";
import type { UnreadableItem } from "../intercom/paging.ts";
import { getTicket, searchTickets } from "../intercom/support_api.ts";
import type { Ticket, TicketSummary } from "../intercom/support_types.ts";
import { updatedBetween } from "../intercom/query.ts";
import { unixSeconds } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import { storedCopyIsCurrent } from "./freshness.ts";
import {
  checkpointOf,
  isCheckpoint,
  nextCursor,
  planSync,
  type SyncPlan,
  type SyncRequest,
} from "./plan.ts";
import {
  newStreamResult,
  pageLabel,
  quarantineEntry,
  type StreamContext,
  type StreamQuarantine,
  type StreamResult,
} from "./stream_context.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** The stream's name in `sync_streams`, progress and logs. */
export const TICKETS_STREAM = "tickets";

/** How the tickets stream runs. */
export interface TicketStreamOptions extends SyncRequest {
  /** The run's start (Unix seconds): the window's end and the next cursor. */
  now: number;
  /** Seconds subtracted from the cursor. Default 300. */
  overlapSeconds?: number;
  /** Days the first incremental run covers. Default 7. */
  initialSyncDays?: number;
  /** Tickets fetched in parallel. Default 16. */
  concurrency?: number;
  /** Search page size, 1…150. Default 150. */
  perPage?: number;
  /** The engine's run id, kept in the checkpoint. Default 0. */
  runId?: number;
}

/** The window of this run: the checkpoint's (resume) or a new one. */
function planTickets(ctx: StreamContext, options: TicketStreamOptions): SyncPlan {
  const state = ctx.store.support.stream(TICKETS_STREAM);
  const checkpoint = isCheckpoint(state.checkpoint) ? state.checkpoint : null;
  return planSync(options, { cursor: state.cursor, checkpoint }, {
    now: options.now,
    initialSyncDays: options.initialSyncDays ?? 7,
    overlapSeconds: options.overlapSeconds ?? 300,
  });
}

/** Syncs the tickets of the window; see the module comment. */
export async function syncTickets(
  ctx: StreamContext,
  options: TicketStreamOptions,
): Promise<StreamResult> {
  const plan = planTickets(ctx, options);
  const perPage = options.perPage ?? 150;
  const result = newStreamResult("tickets", {
    windowStart: plan.windowStart,
    windowEnd: plan.windowEnd,
    resumed: plan.resumedRunId !== null,
    cursor: null,
  });
  let done = plan.done;
  let total = plan.done;
  let pagesDone = plan.pagesDone;
  let totalPages: number | null = null;
  let resumeFrom = plan.resumeFrom;
  let ordered = true;
  let lastUpdated = -Infinity;
  const report = (page: number) =>
    ctx.op?.update(
      `${pageLabel(TICKETS_STREAM, page, totalPages)}: ${result.stored} fetched, ` +
        `${result.skipped} unchanged`,
      { current: done, total, stream: TICKETS_STREAM, page, pages: totalPages },
    );
  log.info("Syncing tickets updated {from} … {to}{resumed}", {
    from: new Date(plan.resumeFrom * 1000).toISOString(),
    to: new Date(plan.windowEnd * 1000).toISOString(),
    resumed: result.resumed ? " (resuming)" : "",
  });
  const pages = searchTickets(ctx.client, updatedBetween(plan.resumeFrom, plan.windowEnd), {
    perPage,
    skipUnreadable: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  try {
    let pending = pages.next();
    let first = true;
    for (;;) {
      const next = await pending;
      if (next.done) break;
      const page = next.value;
      result.pages++;
      if (first) {
        first = false;
        total = done + page.totalCount;
        totalPages = pagesDone + Math.ceil(page.totalCount / perPage);
      }
      pending = page.nextCursor === null
        ? Promise.resolve({ done: true, value: undefined })
        : pages.next();
      pending.catch(() => {}); // handled when awaited
      const pageNo = pagesDone + 1;
      for (const item of page.items) {
        if (item.updated_at < lastUpdated) ordered = false;
        lastUpdated = Math.max(lastUpdated, item.updated_at);
      }
      const fetched = await fetchPage(ctx, page.items, plan.force, {
        unreadable: page.unreadable,
        concurrency: options.concurrency ?? 16,
        onItem: () => {
          done++;
          if (done > total) total = done;
          report(pageNo);
        },
      });
      done += fetched.skipped;
      const syncedAt = unixSeconds(ctx.clock);
      if (ordered && page.items.length > 0) resumeFrom = Math.max(resumeFrom, lastUpdated);
      const checkpoint = checkpointOf(plan, options.runId ?? 0, {
        resumeFrom: ordered ? resumeFrom : plan.resumeFrom,
        done,
        pagesDone: pageNo,
      });
      ctx.store.transaction(() => {
        for (const { ticket, fetchedAt } of fetched.tickets) {
          result.partsUpserted += ctx.store.support.upsertTicket(ticket, syncedAt, { fetchedAt })
            .partsUpserted;
        }
        for (const entry of fetched.quarantined) ctx.quarantine(entry);
        ctx.unquarantine("ticket", fetched.tickets.map((t) => t.ticket.id));
        ctx.store.support.setStreamCheckpoint(TICKETS_STREAM, checkpoint);
      });
      result.seen += page.items.length + page.unreadable.length;
      result.stored += fetched.tickets.length;
      result.skipped += fetched.skipped;
      result.quarantined += fetched.quarantined.length;
      result.vanished += fetched.vanished;
      pagesDone = pageNo;
      report(pageNo);
      ctx.signal?.throwIfAborted();
    }
  } finally {
    await pages.return(undefined).catch(() => {});
  }
  const cursor = nextCursor(plan, ctx.store.support.stream(TICKETS_STREAM).cursor);
  if (cursor !== null) ctx.store.support.completeStream(TICKETS_STREAM, cursor);
  else ctx.store.support.setStreamCheckpoint(TICKETS_STREAM, null);
  result.cursor = ctx.store.support.stream(TICKETS_STREAM).cursor;
  log.info(
    "Synced {stored} tickets ({skipped} unchanged, {quarantined} quarantined) in {pages} pages",
    { ...result },
  );
  return result;
}

interface FetchedPage {
  tickets: { ticket: Ticket; fetchedAt: number }[];
  quarantined: StreamQuarantine[];
  skipped: number;
  vanished: number;
}

async function fetchPage(
  ctx: StreamContext,
  items: TicketSummary[],
  force: boolean,
  options: { unreadable: readonly UnreadableItem[]; concurrency: number; onItem: () => void },
): Promise<FetchedPage> {
  const stored = ctx.store.support.storedTicketCopies(items.map((t) => t.id));
  const wanted = items.filter((t) => force || !storedCopyIsCurrent(stored.get(t.id), t.updated_at))
    .map((t) => t.id);
  const out: FetchedPage = {
    tickets: [],
    quarantined: [],
    skipped: items.length - wanted.length,
    vanished: 0,
  };
  // A search item that cannot be read says nothing of its age: its full copy is fetched.
  for (const u of options.unreadable) {
    if (u.id !== null) wanted.push(u.id);
    else {
      out.skipped++;
      log.warning("a ticket search item without a readable id cannot be read ({reason}); skipped", {
        reason: u.reason,
      });
    }
  }
  const results = await mapPool(wanted, options.concurrency, async (id) => {
    const fetchedAt = unixSeconds(ctx.clock);
    try {
      const ticket = await getTicket(ctx.client, id, ctx.signal);
      return ticket === null ? "vanished" as const : { ticket, fetchedAt };
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      log.warning("ticket {id} cannot be read ({reason}); quarantined, retried next run", {
        id,
        reason: error.reason,
      });
      return quarantineEntry("ticket", id, error);
    } finally {
      options.onItem();
    }
  });
  for (const r of results) {
    if (r === "vanished") out.vanished++;
    else if ("ticket" in r) out.tickets.push(r);
    else out.quarantined.push(r);
  }
  return out;
}
