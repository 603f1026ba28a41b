/**
 * The streams a sync runs after the conversations: ticket types and data attributes, then
 * companies and tickets side by side — each with its own position in `sync_streams`, so one interrupted resumes on its
 * own while the others stay complete. Unreadable tickets and companies go to the same quarantine
 * as conversations and contacts; every run first retries the quarantined tickets. Each stream
 * is its own progress operation (`sync_companies`, `sync_tickets`: "tickets: page 3/12"), with
 * its own counts, rate and ETA.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient } from "../intercom/client.ts";
import { MalformedRecordError } from "../intercom/errors.ts";
import { getTicket } from "../intercom/support_api.ts";
import type { OperationHandle, ProgressBroadcaster } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import { type Clock, realSleep, type Sleep, unixSeconds } from "../util/clock.ts";
import { syncCompanies } from "./companies_stream.ts";
import type { SyncRequest } from "./plan.ts";
import type { StreamContext, StreamResult } from "./stream_context.ts";
import { syncSupportDirectory } from "./support_directory.ts";
import { syncTickets } from "./tickets_stream.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** What the streams need from the engine. */
export interface SupportStreamsDeps {
  store: Store;
  client: IntercomClient;
  clock: Clock;
  /** Default: a real timer. */
  sleep?: Sleep;
  /** Each stream reports as its own operation ("sync_tickets"), naming itself. */
  progress?: ProgressBroadcaster | undefined;
  signal?: AbortSignal | undefined;
}

/** How the streams run: the run's request and settings. */
export interface SupportStreamsOptions extends SyncRequest {
  /** The run's start, Unix seconds. */
  now: number;
  runId: number;
  overlapSeconds?: number | undefined;
  initialSyncDays?: number | undefined;
  concurrency?: number | undefined;
  perPage?: number | undefined;
}

/** Runs the directory, companies and tickets streams; their results, companies first. */
export async function syncSupportStreams(
  deps: SupportStreamsDeps,
  options: SupportStreamsOptions,
): Promise<StreamResult[]> {
  const { store } = deps;
  const ctx: StreamContext = {
    store,
    client: deps.client,
    clock: deps.clock,
    sleep: deps.sleep ?? realSleep,
    signal: deps.signal,
    quarantine: (entry) => store.quarantine(entry),
    unquarantine: (kind, ids) => void store.clearQuarantine(kind, ids),
  };
  const request: SyncRequest = {
    mode: options.mode,
    ...(options.days !== undefined ? { days: options.days } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.force !== undefined ? { force: options.force } : {}),
  };
  await syncSupportDirectory(ctx);
  // Side by side: the company scroll is one request at a time (each page needs the last one's
  // scroll_param), so on its own it would leave most of the rate budget unused.
  const settled = await Promise.allSettled([
    asOperation(deps, ctx, "companies", (c) => syncCompanies(c, { ...request, now: options.now })),
    asOperation(deps, ctx, "tickets", async (c) => {
      await retryQuarantinedTickets(c);
      return await syncTickets(c, {
        ...request,
        now: options.now,
        runId: options.runId,
        ...(options.overlapSeconds !== undefined ? { overlapSeconds: options.overlapSeconds } : {}),
        ...(options.initialSyncDays !== undefined
          ? { initialSyncDays: options.initialSyncDays }
          : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.perPage !== undefined ? { perPage: options.perPage } : {}),
      });
    }),
  ]);
  // Both settle before a failure is reported: neither writes after the run has ended.
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<StreamResult>).value);
}

/** Runs one stream as its own progress operation, completed or failed with it. */
async function asOperation(
  deps: SupportStreamsDeps,
  ctx: StreamContext,
  stream: "companies" | "tickets",
  run: (ctx: StreamContext) => Promise<StreamResult>,
): Promise<StreamResult> {
  const op: OperationHandle | undefined = deps.progress?.startOperation(
    `sync_${stream}`,
    `Syncing ${stream}`,
    { metadata: { stream } },
  );
  try {
    const result = await run({ ...ctx, op });
    op?.complete(
      `${stream}: ${result.stored} stored, ${result.skipped} unchanged` +
        (result.quarantined > 0 ? `, ${result.quarantined} quarantined` : ""),
      { stream, stored: result.stored, skipped: result.skipped, pages: result.pages },
    );
    return result;
  } catch (error) {
    op?.fail(error, { stream });
    throw error;
  }
}

/** Fetches every quarantined ticket again: stored and cleared when it reads, gone on a 404. */
async function retryQuarantinedTickets(ctx: StreamContext): Promise<void> {
  const entries = ctx.store.quarantined("ticket");
  for (const entry of entries) {
    const fetchedAt = unixSeconds(ctx.clock);
    try {
      const ticket = await getTicket(ctx.client, entry.id, ctx.signal);
      ctx.store.transaction(() => {
        if (ticket !== null) {
          ctx.store.support.upsertTicket(ticket, unixSeconds(ctx.clock), { fetchedAt });
        }
        ctx.unquarantine("ticket", [entry.id]);
      });
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      ctx.quarantine({
        kind: "ticket",
        id: entry.id,
        reason: error.reason,
        endpoint: error.endpoint,
      });
    }
  }
  if (entries.length > 0) {
    log.info("retried {count} quarantined ticket(s)", { count: entries.length });
  }
}
