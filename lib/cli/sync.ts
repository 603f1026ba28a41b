/** `sync`: bring the local store up to date with Intercom. */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import type { SyncResult } from "../sync/engine.ts";
import type { SyncRequest } from "../sync/plan.ts";
import { countsJson } from "../sync/run_record.ts";
import { isoOrNull, unixSeconds } from "../util/clock.ts";
import { parseTimeSpecFlag } from "../util/time_spec.ts";
import { prepare } from "./context.ts";
import { integerFlag, webhookUrlFlag } from "./flag_types.ts";
import { formatDuration, groupDigits } from "../util/format.ts";
import { formatTime, quarantineJson } from "./format.ts";
import { printJson, printOut } from "./output.ts";
import { getStderrTerminal } from "../logging/terminal.ts";

/** The flags of `sync` that choose its window. */
export interface WindowFlags {
  days?: number | undefined;
  since?: string | undefined;
  all?: boolean | undefined;
  force?: boolean | undefined;
}

/** Turns `--days/--since/--all/--force` into a request; they exclude each other. */
export function syncRequestFrom(flags: WindowFlags, nowSeconds: number): SyncRequest {
  const chosen = [flags.days !== undefined, flags.since !== undefined, flags.all === true]
    .filter(Boolean).length;
  if (chosen > 1) {
    throw new UsageError("--days, --since and --all choose the window: use only one of them");
  }
  const force = flags.force === true;
  if (flags.days !== undefined) return { mode: "days", days: flags.days, force };
  if (flags.since !== undefined) {
    const since = parseTimeSpecFlag("--since", flags.since, nowSeconds);
    if (since > nowSeconds) throw new UsageError(`--since "${flags.since}" is in the future`);
    return { mode: "since", since, force };
  }
  if (flags.all) return { mode: "all", force };
  return { mode: "incremental", force };
}

/** Registers `sync` on the root command. */
export function registerSync(program: Command): void {
  program
    .command("sync")
    .description(
      "sync conversations (with every reply), tickets, companies, contacts, admins, teams and tags",
    )
    .option(
      "--days <n>",
      "sync conversations updated in the last N days",
      integerFlag("--days", { min: 1, max: 36500 }),
    )
    .option(
      "--since <time>",
      "sync conversations updated since a time (2d, yesterday, 2026-01-02, …)",
    )
    .option("--all", "sync the whole history")
    .option("--force", "re-fetch conversations even when the stored copy is up to date")
    .option(
      "--concurrency <n>",
      "conversations fetched in parallel (default 16, or sync_concurrency)",
      integerFlag("--concurrency", { min: 1, max: 64 }),
    )
    .option(
      "--max-conversations <n>",
      "stop after N conversations (trial runs; the cursor stays)",
      integerFlag("--max-conversations", { min: 1 }),
    )
    .option(
      "--conversations-only",
      "sync conversations, contacts, admins, teams and tags only: leave tickets, companies, " +
        "ticket types and data attributes for the next sync",
    )
    .option("--json", "print the summary as JSON")
    .option(
      "--alert-webhook <url>",
      "post alerts (crash, stall, anomaly, recovery) as JSON when the sync ends (default: config " +
        "alert_webhook_url)",
      webhookUrlFlag("--alert-webhook"),
    )
    .addHelpText(
      "after",
      `
Without a window flag, sync is incremental: from the last completed sync (minus 5 minutes),
or the last 7 days (initial_sync_days) on the first run. An interrupted sync resumes.
Ctrl-C stops at the next safe point (exit 130); the next sync continues from there.

Examples:
  fast-intercom-mcp sync
  fast-intercom-mcp sync --days 30
  fast-intercom-mcp sync --since 2026-01-01 --force`,
    )
    .action(async (options, cmd) => {
      const request = syncRequestFrom(options, unixSeconds());
      const ctx = await prepare(cmd);
      const { syncWorkspace } = await import("../app/sync_service.ts");
      const alertUrl = options.alertWebhook ?? ctx.settings.alertWebhookUrl;
      const result = await syncWorkspace(ctx.settings, {
        ...request,
        concurrency: options.concurrency ?? ctx.settings.syncConcurrency,
        initialSyncDays: ctx.settings.initialSyncDays,
        sessionId: ctx.sessionId,
        console: !ctx.quiet,
        signal: ctx.signal,
        ...(options.maxConversations ? { maxConversations: options.maxConversations } : {}),
        ...(options.conversationsOnly ? { supportStreams: false } : {}),
      }).finally(async () => {
        // the anomaly or recovery this run leaves is announced now (never changes the exit code)
        if (!alertUrl) return;
        const { checkAlerts } = await import("../alerts/watcher.ts");
        await checkAlerts(ctx.settings, alertUrl).catch(() => {});
      });
      if (options.json) printJson(syncResultJson(result));
      else printOut(formatSyncResult(result));
      const gaps = formatSyncGaps(result);
      if (gaps !== null) getStderrTerminal().writeLine(gaps);
    });
}

/** The `--json` shape of a sync result (snake_case, like every JSON output). */
export function syncResultJson(r: SyncResult): Record<string, unknown> {
  return {
    status: "completed",
    run_id: r.runId,
    mode: r.mode,
    resumed: r.resumed,
    window_start: r.windowStart,
    window_end: r.windowEnd,
    total_count: r.totalCount,
    ...countsJson(r.counts),
    duration_seconds: Number(r.durationSeconds.toFixed(3)),
    conversation_seconds: Number(r.conversationSeconds.toFixed(3)),
    conversations_per_second: Number(r.conversationsPerSecond.toFixed(2)),
    cursor: r.cursor,
    cursor_iso: isoOrNull(r.cursor),
    limited: r.limited,
    rate_limit_wait_seconds: Number(r.rateLimitWaitSeconds.toFixed(1)),
    quarantined: r.quarantined.map(quarantineJson),
    missing_contacts: r.missingContacts,
    streams: r.streams.map((s) => ({
      stream: s.stream,
      stored: s.stored,
      unchanged: s.skipped,
      seen: s.seen,
      parts_upserted: s.partsUpserted,
      quarantined: s.quarantined,
      vanished: s.vanished,
      pages: s.pages,
      resumed: s.resumed,
      cursor: s.cursor,
      cursor_iso: isoOrNull(s.cursor),
    })),
  };
}

/**
 * The warning (stderr) when records are quarantined or contacts missing, or null: the sync
 * completed and stored everything else, and every sync retries them.
 */
export function formatSyncGaps(r: SyncResult): string | null {
  const lines: string[] = [];
  const q = r.quarantined;
  if (q.length > 0) {
    const shown = q.slice(0, 5).map((e) => `  ${e.kind} ${e.id}: ${e.reason}`);
    if (q.length > shown.length) shown.push(`  … and ${groupDigits(q.length - shown.length)} more`);
    const records = q.length === 1
      ? "1 record could not be read and is"
      : `${groupDigits(q.length)} records could not be read and are`;
    lines.push(
      `Warning: ${records} quarantined (everything else is stored; every sync retries them; ` +
        "see `fast-intercom-mcp status`):",
      ...shown,
    );
  }
  if (r.missingContacts > 0) {
    lines.push(
      `Warning: ${groupDigits(r.missingContacts)} contact${
        r.missingContacts === 1 ? "" : "s"
      } named by stored conversations could not be fetched yet; the next sync retries.`,
    );
  }
  return lines.length > 0 ? lines.join("\n") : null;
}

/** The human summary of a sync result. */
export function formatSyncResult(r: SyncResult): string {
  const c = r.counts;
  return [
    `Synced ${groupDigits(c.conversationsFetched)} conversations (${
      groupDigits(c.conversationsSkipped)
    } unchanged) and ${groupDigits(c.partsUpserted)} parts in ${r.durationSeconds.toFixed(1)}s (${
      r.conversationsPerSecond.toFixed(1)
    } conversations/s).`,
    `Window: ${r.mode === "all" ? "the whole history" : formatTime(r.windowStart)} … ${
      formatTime(r.windowEnd)
    } (${r.mode}${r.resumed ? ", resumed" : ""}${
      r.limited ? ", stopped at --max-conversations" : ""
    })`,
    `API: ${groupDigits(c.apiCalls)} calls, ${groupDigits(c.retries)} retries, ${
      groupDigits(c.rateLimited)
    } refused with 429, ${
      formatDuration(r.rateLimitWaitSeconds)
    } waiting for the rate limit. Contacts added: ${groupDigits(c.contactsUpserted)}.`,
    ...r.streams.map((s) =>
      `${s.stream === "tickets" ? "Tickets" : "Companies"}: ${groupDigits(s.stored)} stored, ${
        groupDigits(s.skipped)
      } unchanged${s.stream === "tickets" ? `, ${groupDigits(s.partsUpserted)} parts` : ""}` +
      `${s.resumed ? " (resumed)" : ""}; synced up to ${formatTime(s.cursor)}.`
    ),
  ].join("\n");
}
