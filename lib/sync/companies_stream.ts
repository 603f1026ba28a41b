/**
 * The companies stream. Intercom offers no search of companies by `updated_at`; its scroll
 * (`GET /companies/scroll`) is the one way through all of them, so a pass reads every company
 * and stores those whose copy is not current (`freshness.ts`; the listing carries the whole
 * record, and `synced_at` is the second before the request that answered it — not the second
 * the page was stored, which may be later than a change made while the page was read).
 * A company the listing answers in a shape that cannot be read is fetched by id; if that cannot
 * be read either, it is quarantined and every run fetches it by id again.
 *
 * When: a full pass on `--all`, `--days`, `--since`, on the first run, and when the last
 * completed pass is older than `refreshMinutes` (60); otherwise only the companies that stored
 * contacts belong to but the store lacks, each with `GET /companies/{id}`.
 *
 * The scroll's rules (one per workspace, expiring after a minute unused, no way to continue a
 * broken one): a pass that finds a scroll still open (an interrupted run's) waits for it to
 * expire, up to `scrollWaitSeconds` (70); a scroll that expires or fails midway is started
 * again (the companies already stored are skipped as current). An interrupted pass records its
 * checkpoint, so `status` says it is incomplete; the next run starts a new pass.
 */
import { getLogger } from "@logtape/logtape";
import { ApiError, MalformedRecordError } from "../intercom/errors.ts";
import { type CompanyScrollPage, getCompany, scrollCompanies } from "../intercom/support_api.ts";
import type { Company } from "../intercom/support_types.ts";
import { unixSeconds } from "../util/clock.ts";
import { storedCopyIsCurrent } from "./freshness.ts";
import type { SyncMode } from "./plan.ts";
import {
  newStreamResult,
  pageLabel,
  quarantineEntry,
  type StreamContext,
  type StreamResult,
} from "./stream_context.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** The stream's name in `sync_streams`, progress and logs. */
export const COMPANIES_STREAM = "companies";

/** How the companies stream runs. */
export interface CompanyStreamOptions {
  mode: SyncMode;
  /** Store every company even when its copy is current. Default false. */
  force?: boolean;
  /** The run's start (Unix seconds): the pass's cursor. */
  now: number;
  /** An incremental run makes a full pass when the last one is older. Default 60. */
  refreshMinutes?: number;
  /** How long to wait for another scroll to expire. Default 70. */
  scrollWaitSeconds?: number;
  /** Scrolls started again after one broke midway, before giving up. Default 3. */
  maxRestarts?: number;
}

interface PassCheckpoint {
  version: 1;
  kind: "company_pass";
  startedAt: number;
  stored: number;
}

/** Syncs companies: a full pass or only the missing ones; see the module comment. */
export async function syncCompanies(
  ctx: StreamContext,
  options: CompanyStreamOptions,
): Promise<StreamResult> {
  const state = ctx.store.support.stream(COMPANIES_STREAM);
  const refreshSeconds = (options.refreshMinutes ?? 60) * 60;
  const full = options.mode !== "incremental" || state.cursor === null ||
    options.now - state.cursor >= refreshSeconds ||
    (state.checkpoint as Partial<PassCheckpoint> | null)?.kind === "company_pass";
  return full ? await fullPass(ctx, options) : await missingOnly(ctx, options, state.cursor);
}

function emptyResult(options: CompanyStreamOptions, cursor: number | null): StreamResult {
  return newStreamResult("companies", {
    windowStart: null,
    windowEnd: options.now,
    resumed: false,
    cursor,
  });
}

/** "scroll already exists for this app": another scroll is open (intercom-ruby#292). */
function scrollBusy(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && /scroll already exists/i.test(
    error.message,
  );
}

/** An expired or unknown `scroll_param`, or a scroll Intercom broke off (a 500 midway). */
function scrollBroken(error: unknown): boolean {
  return error instanceof ApiError && !(error instanceof MalformedRecordError) &&
    (error.status === 400 || error.status === 404 || (error.status ?? 0) >= 500);
}

/** Seconds between tries while another scroll is open. */
const SCROLL_RETRY_SECONDS = 10;

/** A scroll page with the second before the request that answered it. */
interface ReadPage {
  page: CompanyScrollPage;
  requestedAt: number;
}

async function scrollPage(ctx: StreamContext, param: string | null): Promise<ReadPage> {
  const requestedAt = unixSeconds(ctx.clock);
  return { page: await scrollCompanies(ctx.client, param, ctx.signal), requestedAt };
}

async function firstPage(ctx: StreamContext, options: CompanyStreamOptions): Promise<ReadPage> {
  // Counted in tries, not by the clock: a clock that stands still must not wait forever.
  const tries = Math.ceil((options.scrollWaitSeconds ?? 70) / SCROLL_RETRY_SECONDS);
  for (let attempt = 0;; attempt++) {
    try {
      return await scrollPage(ctx, null);
    } catch (error) {
      if (!scrollBusy(error) || attempt >= tries) throw error;
      log.warning(
        "another company scroll is open (an interrupted sync's, or another app's); " +
          "waiting for Intercom to expire it (it does after a minute unused)",
      );
      ctx.op?.phase("companies: waiting for an open scroll to expire");
      await ctx.sleep(SCROLL_RETRY_SECONDS * 1000, ctx.signal);
    }
  }
}

async function fullPass(ctx: StreamContext, options: CompanyStreamOptions): Promise<StreamResult> {
  const result = emptyResult(options, null);
  const startedAt = options.now;
  const interrupted = ctx.store.support.stream(COMPANIES_STREAM).checkpoint !== null;
  result.resumed = interrupted;
  const seen = new Set<string>();
  let restarts = 0;
  log.info("Syncing companies: a full pass over the company scroll");
  for (;;) {
    try {
      let read = await firstPage(ctx, options);
      ctx.op?.phase(null);
      while (read.page.companies.length + read.page.unreadable.length > 0) {
        result.pages++;
        await storePage(ctx, read, { force: options.force ?? false, seen, result });
        const checkpoint: PassCheckpoint = {
          version: 1,
          kind: "company_pass",
          startedAt,
          stored: result.stored,
        };
        ctx.store.support.setStreamCheckpoint(COMPANIES_STREAM, checkpoint);
        ctx.op?.update(
          `${pageLabel(COMPANIES_STREAM, result.pages, null)}: ${result.stored} stored, ` +
            `${result.skipped} unchanged`,
          { current: seen.size, stream: COMPANIES_STREAM, page: result.pages },
        );
        ctx.signal?.throwIfAborted();
        if (read.page.scrollParam === null) break;
        read = await scrollPage(ctx, read.page.scrollParam);
      }
      break;
    } catch (error) {
      if (!scrollBroken(error) || scrollBusy(error) || ++restarts > (options.maxRestarts ?? 3)) {
        throw error;
      }
      log.warning("the company scroll broke off ({error}); starting it again", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  result.seen = seen.size;
  // Quarantined companies the pass did not meet are gone from Intercom.
  ctx.unquarantine(
    "company",
    ctx.store.quarantined("company").map((q) => q.id).filter((id) => !seen.has(id)),
  );
  ctx.store.support.completeStream(COMPANIES_STREAM, startedAt);
  result.cursor = startedAt;
  log.info("Synced {stored} companies ({skipped} unchanged) in {pages} scroll pages", {
    ...result,
  });
  return result;
}

async function storePage(
  ctx: StreamContext,
  read: ReadPage,
  pass: { force: boolean; seen: Set<string>; result: StreamResult },
): Promise<void> {
  const fresh = read.page.companies.filter((c) => !pass.seen.has(c.id));
  const stored = ctx.store.support.storedCompanyCopies(fresh.map((c) => c.id));
  const wanted = fresh.filter((c) =>
    pass.force || !storedCopyIsCurrent(stored.get(c.id), c.updated_at)
  );
  // Unreadable in the listing: the company's own endpoint may read it.
  const byId: Fetched = { companies: [], quarantined: [], vanished: 0 };
  const fetched: string[] = [];
  for (const u of read.page.unreadable) {
    if (u.id === null) {
      log.warning("a company in a scroll page without a readable id cannot be read ({reason})", {
        reason: u.reason,
      });
      continue;
    }
    if (pass.seen.has(u.id) || fetched.includes(u.id)) continue;
    await fetchCompany(ctx, u.id, byId);
    fetched.push(u.id);
  }
  ctx.store.transaction(() => {
    ctx.store.support.upsertCompanies(wanted, read.requestedAt);
    settle(ctx, byId);
    // Every company the listing read is readable again, stored or current.
    ctx.unquarantine("company", fresh.map((c) => c.id));
  });
  // Seen once stored: a failure before (a by-id read that restarts the scroll) leaves the
  // page's companies to the restarted scroll.
  for (const id of [...fresh.map((c) => c.id), ...fetched]) pass.seen.add(id);
  pass.result.stored += wanted.length + byId.companies.length;
  pass.result.skipped += fresh.length - wanted.length;
  pass.result.quarantined += byId.quarantined.length;
  pass.result.vanished += byId.vanished;
}

/** Companies fetched by id, with the second before each request. */
interface Fetched {
  companies: { company: Company; fetchedAt: number }[];
  quarantined: ReturnType<typeof quarantineEntry>[];
  vanished: number;
}

/** `GET /companies/{id}` into `into`: read, gone (404), or unreadable (quarantine entry). */
async function fetchCompany(ctx: StreamContext, id: string, into: Fetched): Promise<void> {
  const fetchedAt = unixSeconds(ctx.clock);
  try {
    const company = await getCompany(ctx.client, id, ctx.signal);
    if (company === null) into.vanished++;
    else into.companies.push({ company, fetchedAt });
  } catch (error) {
    if (!(error instanceof MalformedRecordError)) throw error;
    log.warning("company {id} cannot be read ({reason}); quarantined, retried next run", {
      id,
      reason: error.reason,
    });
    into.quarantined.push(quarantineEntry("company", id, error));
  }
}

/** Stores what {@link fetchCompany} got (call in a transaction). */
function settle(ctx: StreamContext, fetched: Fetched): void {
  for (const { company, fetchedAt } of fetched.companies) {
    ctx.store.support.upsertCompanies([company], fetchedAt);
  }
  ctx.unquarantine("company", fetched.companies.map((c) => c.company.id));
  for (const entry of fetched.quarantined) ctx.quarantine(entry);
}

async function missingOnly(
  ctx: StreamContext,
  options: CompanyStreamOptions,
  cursor: number | null,
): Promise<StreamResult> {
  const result = emptyResult(options, cursor);
  // The quarantined companies first (retried every run), then those contacts name.
  const retried = ctx.store.quarantined("company").map((q) => q.id);
  const ids = [...new Set([...retried, ...ctx.store.support.missingCompanyIds()])];
  for (const id of ids) {
    const fetched: Fetched = { companies: [], quarantined: [], vanished: 0 };
    await fetchCompany(ctx, id, fetched);
    ctx.store.transaction(() => {
      settle(ctx, fetched);
      if (fetched.vanished > 0) ctx.unquarantine("company", [id]);
    });
    result.stored += fetched.companies.length;
    result.quarantined += fetched.quarantined.length;
    result.vanished += fetched.vanished;
    result.seen++;
    ctx.op?.update(`companies: ${result.seen}/${ids.length} new companies`, {
      current: result.seen,
      total: ids.length,
      stream: COMPANIES_STREAM,
    });
  }
  if (ids.length > 0) log.info("Fetched {stored} companies new contacts belong to", { ...result });
  return result;
}
