/** `status`: what the local store holds and how the last syncs went. */
import type { Command } from "@commander-js/extra-typings";
import type { StoreStatus } from "../app/store_status.ts";
import { crashDescription } from "../health/sync_verdict.ts";
import { countsJson } from "../sync/run_record.ts";
import { prepare } from "./context.ts";
import { formatBytes, groupDigits } from "../util/format.ts";
import { isoOrNull } from "../util/clock.ts";
import { formatTime, gridTable, keyValueTable, quarantineJson } from "./format.ts";
import { printJson, printOut, stdoutIsTerminal } from "./output.ts";

/** Registers `status` on the root command. */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show what the local store holds: counts, size, time range, last syncs, cursor")
    .option("--json", "print JSON (the default when stdout is not a terminal is still the table)")
    .addHelpText("after", "\nExample:\n  fast-intercom-mcp status --json")
    .action(async (options, cmd) => {
      const ctx = await prepare(cmd);
      const { readStoreStatus } = await import("../app/store_status.ts");
      const status = await readStoreStatus(ctx.settings.paths, {
        stallAfterSeconds: ctx.settings.stallAfterSeconds,
      });
      if (options.json) printJson(storeStatusJson(status));
      else printOut(formatStoreStatus(status, stdoutIsTerminal()));
    });
}

/** The `--json` shape of {@link StoreStatus}. */
export function storeStatusJson(s: StoreStatus): Record<string, unknown> {
  return {
    store_file: s.storeFile,
    exists: s.exists,
    schema_version: s.schemaVersion,
    conversations: s.stats?.conversations ?? 0,
    parts: s.stats?.parts ?? 0,
    contacts: s.stats?.contacts ?? 0,
    admins: s.stats?.admins ?? 0,
    teams: s.stats?.teams ?? 0,
    tags: s.stats?.tags ?? 0,
    tickets: s.support.tickets,
    ticket_parts: s.support.ticketParts,
    companies: s.support.companies,
    ticket_types: s.support.ticketTypes,
    truncated_conversations: s.stats?.truncatedConversations ?? 0,
    size_bytes: s.stats?.sizeBytes ?? 0,
    oldest_created_at: s.stats?.oldestCreatedAt ?? null,
    newest_updated_at: s.stats?.newestUpdatedAt ?? null,
    cursor: s.cursor,
    cursor_iso: isoOrNull(s.cursor),
    resume_from: s.resumeFrom,
    streams: s.streams.map((st) => ({
      stream: st.stream,
      cursor: st.cursor,
      cursor_iso: isoOrNull(st.cursor),
      interrupted: st.checkpoint !== null,
    })),
    running_sync: s.runningSync,
    sync: { state: s.sync.state, detail: s.sync.detail },
    quarantined: s.quarantined.map(quarantineJson),
    missing_contacts: s.missingContacts,
    last_runs: s.lastRuns.map((r) => ({
      id: r.id,
      mode: r.mode,
      status: r.status,
      started_at: r.startedAt,
      finished_at: r.finishedAt,
      window_start: r.windowStart,
      window_end: r.windowEnd,
      ...countsJson(r),
      error: r.error,
    })),
  };
}

/** The human view of {@link StoreStatus}. */
export function formatStoreStatus(s: StoreStatus, _terminal: boolean): string {
  if (!s.exists || !s.stats) {
    return s.runningSync
      ? `No store yet at ${s.storeFile}; the first sync is running (pid ${s.runningSync.pid}).`
      : `No store yet at ${s.storeFile}.\nRun \`fast-intercom-mcp sync\` to create it.`;
  }
  const st = s.stats;
  const summary = keyValueTable([
    ["Store", s.storeFile],
    ["Conversations", groupDigits(st.conversations)],
    ["Parts", groupDigits(st.parts)],
    ["Contacts", groupDigits(st.contacts)],
    [
      "Tickets (parts)",
      `${groupDigits(s.support.tickets)} (${groupDigits(s.support.ticketParts)})`,
    ],
    ["Companies", groupDigits(s.support.companies)],
    ["Admins / teams / tags", `${st.admins} / ${st.teams} / ${st.tags}`],
    ["Truncated by the 500-part cap", groupDigits(st.truncatedConversations)],
    ["Size", formatBytes(st.sizeBytes)],
    ["Oldest conversation", formatTime(st.oldestCreatedAt)],
    ["Newest update", formatTime(st.newestUpdatedAt)],
    ["Cursor (synced up to)", formatTime(s.cursor)],
    ...s.streams.map((st) =>
      [
        `${st.stream[0]!.toUpperCase()}${st.stream.slice(1)} synced up to`,
        `${formatTime(st.cursor)}${
          st.checkpoint !== null ? " (a run was interrupted: resumed next sync)" : ""
        }`,
      ] as [string, string]
    ),
    ...(s.runningSync
      ? [[
        "Sync running now",
        `pid ${s.runningSync.pid}, started ${s.runningSync.started_at}${
          s.runningSync.process_id ? ` (${s.runningSync.process_id})` : ""
        }`,
      ] as [string, string]]
      : []),
    ...(s.resumeFrom !== null
      ? [[
        s.runningSync ? "Saved up to" : "Interrupted sync resumes from",
        formatTime(s.resumeFrom),
      ] as [string, string]]
      : []),
    ...(s.quarantined.length > 0
      ? [[
        "Quarantined (unreadable)",
        `${groupDigits(s.quarantined.length)}, retried every sync: ${
          s.quarantined.slice(0, 3).map((q) => `${q.kind} ${q.id}`).join(", ")
        }${s.quarantined.length > 3 ? ", …" : ""}`,
      ] as [string, string]]
      : []),
    ...(s.missingContacts > 0
      ? [[
        "Contacts not fetched yet",
        `${groupDigits(s.missingContacts)}, retried every sync`,
      ] as [string, string]]
      : []),
    // what monitor status and debug health say about the sync, when it needs saying
    ...(["stalled", "crashed", "interrupted", "failed"].includes(s.sync.state)
      ? [["Sync", wrap(`${s.sync.state.toUpperCase()}: ${s.sync.detail}`)] as [string, string]]
      : s.sync.crash !== null
      ? [["Unresolved crash", wrap(crashDescription(s.sync.crash))] as [string, string]]
      : []),
  ]);
  if (s.lastRuns.length === 0) return summary + "\nNo sync has run yet.";
  const runs = gridTable(
    ["Run", "Mode", "Status", "Started", "Fetched", "Unchanged", "Parts", "API calls", "Error"],
    s.lastRuns.map((r) => [
      String(r.id),
      r.mode,
      r.status,
      formatTime(r.startedAt),
      groupDigits(r.conversationsFetched),
      groupDigits(r.conversationsSkipped),
      groupDigits(r.partsUpserted),
      groupDigits(r.apiCalls),
      r.error ? r.error.slice(0, 60) : "",
    ]),
  );
  return `${summary}\nLast syncs:\n${runs}`;
}

/** `text` broken at spaces into lines of at most `width` characters (a table cell stays narrow). */
function wrap(text: string, width = 60): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
