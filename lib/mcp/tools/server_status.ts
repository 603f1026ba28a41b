/** `get_server_status`: what the store holds, how fresh it is, and which syncs are running. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { crashDescription, syncVerdict } from "../../health/sync_verdict.ts";
import type { ProcessRecord } from "../../registry/status_reader.ts";
import { countsJson, type SyncRun } from "../../sync/run_record.ts";
import { formatSeconds } from "../../util/format.ts";
import { freshness, type McpContext, type SyncActivity, touchFreshness } from "../context.ts";
import { coveredSpans } from "../coverage.ts";
import { iso } from "../present.ts";
import { freshnessSchema, runCountFields, spanSchema, syncJobSchema } from "../output_schemas.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";
import { jobEntry } from "./sync_conversations.ts";

/** The tool's name. */
export const GET_SERVER_STATUS = "get_server_status";

/** How many past runs are read to work out the covered period. */
const RUN_HISTORY = 1000;

function processEntry(r: ProcessRecord, reveal: boolean) {
  return {
    process_id: r.process_id,
    type: r.process_type,
    status: r.status,
    description: r.description,
    pid: reveal ? r.pid : null,
    hostname: reveal ? r.hostname : null,
    started_at: r.start_time,
    last_heartbeat: r.last_heartbeat,
    progress: { ...r.progress, phase: r.progress.phase ?? null },
  };
}

async function readActivity(ctx: McpContext) {
  try {
    return { activity: await ctx.readActivity(), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      activity: null,
      error: ctx.server.revealLocalDetails ? message : "the status directory cannot be read",
    };
  }
}

/** The state of the sync as `status`, `monitor status` and `debug health` decide it. */
function syncState(
  ctx: McpContext,
  activity: SyncActivity | null,
  runs: SyncRun[],
) {
  if (activity === null) {
    return {
      state: "none" as const,
      detail: "the state of the sync cannot be read",
      process_id: null,
      pid: null,
      run_id: null,
      unresolved_crash: null,
    };
  }
  const verdict = syncVerdict({
    dataDir: activity.dataDir,
    runs,
    lastCompleted: runs.find((r) => r.status === "completed") ??
      ctx.store.get().lastCompletedRun(),
    lock: activity.lock,
    records: [...activity.report.active, ...activity.report.completed],
    now: ctx.clock(),
    hidePids: !ctx.server.revealLocalDetails,
  });
  return {
    state: verdict.state,
    detail: verdict.detail,
    process_id: verdict.processId,
    pid: verdict.pid,
    run_id: verdict.runId,
    unresolved_crash: verdict.crash === null ? null : crashDescription(verdict.crash),
  };
}

/** Runs `get_server_status`. */
export async function getServerStatus(ctx: McpContext): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  // The slow part (the status directory) first, then the sync state, then the store: a report
  // that says no sync is running never shows counts from before that sync's last commit.
  const { activity, error: activityError } = await readActivity(ctx);
  const workspaceId = await ctx.workspace.get();
  const sync = ctx.sync.state();
  const fresh = freshness(ctx);
  const stats = ctx.store.stats();
  const runs = ctx.store.lastRuns(RUN_HISTORY);
  const lastRun = runs[0] ?? null;
  const state = syncState(ctx, activity, runs);
  const reveal = ctx.server.revealLocalDetails;
  const spans = coveredSpans(runs);
  const structured = {
    server: {
      version: ctx.server.version,
      transport: ctx.server.transport,
      pid: ctx.server.revealLocalDetails ? Deno.pid : null,
      started_at: new Date(ctx.server.startedAt).toISOString(),
      uptime_seconds: Math.round((ctx.clock() - ctx.server.startedAt) / 1000),
      workspace_id: workspaceId,
    },
    store: {
      path: ctx.server.revealLocalDetails ? ctx.store.path : null,
      schema_version: store.schemaVersion(),
      size_bytes: stats.sizeBytes,
      conversations: stats.conversations,
      parts: stats.parts,
      contacts: stats.contacts,
      admins: stats.admins,
      teams: stats.teams,
      tags: stats.tags,
      truncated_conversations: stats.truncatedConversations,
    },
    coverage: {
      oldest_conversation_created_at: iso(stats.oldestCreatedAt),
      newest_conversation_updated_at: iso(stats.newestUpdatedAt),
      synced_spans: spans.map((s) => ({ start: iso(s.start), end: iso(s.end) })),
    },
    sync_state: state,
    last_sync: lastRun === null ? null : {
      run_id: lastRun.id,
      mode: lastRun.mode,
      // the newest run, left running by a process that is gone, is crashed here as everywhere
      status: state.state === "crashed" && state.run_id === lastRun.id ? "crashed" : lastRun.status,
      started_at: iso(lastRun.startedAt),
      finished_at: iso(lastRun.finishedAt),
      ...countsJson(lastRun),
      error: lastRun.error,
    },
    freshness: fresh,
    background_sync: {
      enabled: sync.enabled,
      interval_minutes: sync.intervalMinutes,
      max_sync_age_minutes: sync.maxAgeMinutes,
      running: sync.running === null ? null : jobEntry(sync.running),
      last: sync.last === null ? null : jobEntry(sync.last),
    },
    running_processes: activity?.report.active.map((r) => processEntry(r, reveal)) ?? [],
    ...(activityError === null ? {} : { status_dir_error: activityError }),
  };
  return toolResult(statusText(structured), structured);
}

function statusText(s: {
  store: { conversations: number; parts: number; contacts: number; path: string | null };
  coverage: { oldest_conversation_created_at: string | null; synced_spans: unknown[] };
  last_sync: { status: string; finished_at: string | null; mode: string } | null;
  sync_state: { state: string; detail: string };
  freshness: { note: string };
  background_sync: { enabled: boolean; interval_minutes: number; max_sync_age_minutes: number };
  running_processes: ReturnType<typeof processEntry>[];
  server: { uptime_seconds: number; version: string };
}): string {
  const bg = s.background_sync;
  const lines = [
    `fast-intercom-mcp ${s.server.version}, up ${formatSeconds(s.server.uptime_seconds)}.`,
    `Store${
      s.store.path === null ? "" : ` ${s.store.path}`
    }: ${s.store.conversations} conversations, ${s.store.parts} parts, ` +
    `${s.store.contacts} contacts; oldest conversation created ${
      s.coverage.oldest_conversation_created_at ?? "—"
    }.`,
    s.last_sync === null
      ? "No sync has run yet."
      : `Last sync: ${s.last_sync.mode}, ${s.last_sync.status}${
        s.last_sync.finished_at ? ` at ${s.last_sync.finished_at}` : ""
      }.`,
    `Sync state: ${s.sync_state.state} — ${s.sync_state.detail}.`,
    s.freshness.note,
    bg.enabled
      ? `Background sync: ${
        bg.interval_minutes > 0 ? `every ${bg.interval_minutes} min` : "periodic sync off"
      }; ${
        bg.max_sync_age_minutes > 0
          ? `on request when data is older than ${bg.max_sync_age_minutes} min`
          : "on-request sync off"
      }.`
      : "Background sync: off (no access token configured).",
  ];
  if (s.running_processes.length === 0) lines.push("No sync or other process is running.");
  for (const p of s.running_processes) {
    const pr = p.progress;
    const progress = pr.current === null
      ? ""
      : ` — ${pr.current}${pr.total !== null ? `/${pr.total}` : ""}${
        pr.percentage !== null ? ` (${pr.percentage.toFixed(0)}%)` : ""
      }${pr.eta_seconds !== null ? `, ETA ${formatSeconds(pr.eta_seconds)}` : ""}${
        pr.phase ? `, ${pr.phase}` : ""
      }`;
    lines.push(`Running: ${p.process_id} [${p.status}] ${p.description}${progress}`);
  }
  return lines.join("\n");
}

const progressSchema = z.object({
  current: z.number().nullable(),
  total: z.number().nullable(),
  percentage: z.number().nullable(),
  message: z.string().nullable(),
  rate: z.number().nullable(),
  eta_seconds: z.number().nullable(),
  phase: z.string().nullable().describe(
    'what it does besides counting, e.g. "waiting for rate limit, resets in 7s"',
  ),
});

const syncStateSchema = z.object({
  state: z.enum(["running", "stalled", "crashed", "interrupted", "failed", "completed", "none"])
    .describe("the same verdict as `status`, `monitor status` and `debug health`"),
  detail: z.string(),
  process_id: z.string().nullable(),
  pid: z.number().nullable().describe("shown to local clients only"),
  run_id: z.number().nullable(),
  unresolved_crash: z.string().nullable().describe(
    "a sync that died and that no completed sync has followed",
  ),
});

/** The shape of `get_server_status`' structured result. */
export const serverStatusOutput = z.object({
  server: z.object({
    version: z.string(),
    transport: z.string(),
    pid: z.number().nullable().describe("shown to local clients only"),
    started_at: z.string(),
    uptime_seconds: z.number(),
    workspace_id: z.string().nullable(),
  }),
  store: z.object({
    path: z.string().nullable().describe("shown to local clients only"),
    schema_version: z.number(),
    size_bytes: z.number(),
    conversations: z.number(),
    parts: z.number(),
    contacts: z.number(),
    admins: z.number(),
    teams: z.number(),
    tags: z.number(),
    truncated_conversations: z.number(),
  }),
  coverage: z.object({
    oldest_conversation_created_at: z.string().nullable(),
    newest_conversation_updated_at: z.string().nullable(),
    synced_spans: z.array(spanSchema),
  }),
  sync_state: syncStateSchema,
  last_sync: z.object({
    run_id: z.number(),
    mode: z.string(),
    status: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    ...runCountFields,
    error: z.string().nullable(),
  }).nullable(),
  freshness: freshnessSchema,
  background_sync: z.object({
    enabled: z.boolean(),
    interval_minutes: z.number(),
    max_sync_age_minutes: z.number(),
    running: syncJobSchema.nullable(),
    last: syncJobSchema.nullable(),
  }),
  running_processes: z.array(z.object({
    process_id: z.string(),
    type: z.string(),
    status: z.string(),
    description: z.string(),
    pid: z.number().nullable(),
    hostname: z.string().nullable(),
    started_at: z.string(),
    last_heartbeat: z.string(),
    progress: progressSchema,
  })),
  status_dir_error: z.string().optional(),
});

/** The `get_server_status` tool. */
export const serverStatusTool = defineTool({
  name: GET_SERVER_STATUS,
  title: "Server and sync status",
  description:
    "How much Intercom data the local store holds (conversations, parts, contacts), which " +
    "period it covers, when it was last synced and how old the data is, the state of the sync " +
    "(running, stalled, crashed, interrupted, failed, completed, none) and which syncs are " +
    "running now with their progress. Call it before answering questions about coverage " +
    "or when results look incomplete.",
  inputSchema: z.object({}).strict(),
  outputSchema: serverStatusOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (ctx) => getServerStatus(ctx),
});
