/**
 * The companies stream. Intercom offers no search of companies by `updated_at`; its scroll
 * (`GET /companies/scroll`) is the one way through all of them, so a pass reads every company
 * and stores those whose copy is not current (`freshness.ts`, with `synced_at` as the fetch
 * time: the listing carries the whole record).
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
  return {
    stream: "companies",
    seen: 0,
    stored: 0,
    skipped: 0,
    partsUpserted: 0,
    quarantined: 0,
    vanished: 0,
    pages: 0,
    windowStart: null,
    windowEnd: options.now,
    resumed: false,
    cursor,
  };
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

async function firstPage(ctx: StreamContext, options: CompanyStreamOptions) {
  // Counted in tries, not by the clock: a clock that stands still must not wait forever.
  const tries = Math.ceil((options.scrollWaitSeconds ?? 70) / SCROLL_RETRY_SECONDS);
  for (let attempt = 0;; attempt++) {
    try {
      return await scrollCompanies(ctx.client, null, ctx.signal);
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
      let page: CompanyScrollPage = await firstPage(ctx, options);
      ctx.op?.phase(null);
      while (page.companies.length > 0) {
        result.pages++;
        storePage(ctx, page.companies, { force: options.force ?? false, seen, result });
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
        if (page.scrollParam === null) break;
        page = await scrollCompanies(ctx.client, page.scrollParam, ctx.signal);
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
  ctx.store.support.completeStream(COMPANIES_STREAM, startedAt);
  result.cursor = startedAt;
  log.info("Synced {stored} companies ({skipped} unchanged) in {pages} scroll pages", {
    ...result,
  });
  return result;
}

function storePage(
  ctx: StreamContext,
  companies: Company[],
  pass: { force: boolean; seen: Set<string>; result: StreamResult },
): void {
  const fresh = companies.filter((c) => !pass.seen.has(c.id));
  for (const c of fresh) pass.seen.add(c.id);
  const stored = ctx.store.support.storedCompanyCopies(fresh.map((c) => c.id));
  const wanted = fresh.filter((c) =>
    pass.force || !storedCopyIsCurrent(stored.get(c.id), c.updated_at)
  );
  ctx.store.transaction(() => {
    ctx.store.support.upsertCompanies(wanted, unixSeconds(ctx.clock));
    ctx.unquarantine("company", wanted.map((c) => c.id));
  });
  pass.result.stored += wanted.length;
  pass.result.skipped += fresh.length - wanted.length;
}

async function missingOnly(
  ctx: StreamContext,
  options: CompanyStreamOptions,
  cursor: number | null,
): Promise<StreamResult> {
  const result = emptyResult(options, cursor);
  const ids = ctx.store.support.missingCompanyIds();
  for (const id of ids) {
    try {
      const company = await getCompany(ctx.client, id, ctx.signal);
      if (company === null) {
        result.vanished++;
        continue;
      }
      ctx.store.transaction(() => {
        ctx.store.support.upsertCompanies([company], unixSeconds(ctx.clock));
        ctx.unquarantine("company", [company.id]);
      });
      result.stored++;
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      ctx.quarantine(quarantineEntry("company", id, error));
      result.quarantined++;
    }
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
