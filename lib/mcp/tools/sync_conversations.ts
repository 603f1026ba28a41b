/** `sync_conversations`: start a sync in the background, optionally waiting for it. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { SyncRequest } from "../../sync/plan.ts";
import { countsJson } from "../../sync/run_record.ts";
import { isoFromSeconds } from "../../util/clock.ts";
import { freshness, type McpContext } from "../context.ts";
import type { SyncJob, SyncOutcome } from "../sync_manager.ts";
import { getLogger } from "@logtape/logtape";
import { waitForSync } from "../sync_wait.ts";
import { freshnessSchema, syncJobSchema } from "../output_schemas.ts";
import { defineTool, DETACHED_CALL, type ToolCall } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** The tool's name. */
export const SYNC_CONVERSATIONS = "sync_conversations";

/** How long `wait` waits at most, in seconds. */
export const WAIT_SECONDS = { default: 60, max: 600 } as const;
/** How long the tool waits for a started sync to register its process id. */
const REGISTER_WAIT_MS = 3000;

/** Arguments of `sync_conversations`. */
export const syncConversationsInput = z.object({
  force: z.boolean().optional().describe(
    "Re-fetch conversations even when the stored copy is up to date. Default false.",
  ),
  days: z.number().int().min(1).max(3650).optional().describe(
    "Sync the last N days instead of incrementally from the last sync (reaches further back).",
  ),
  wait: z.boolean().optional().describe(
    "Wait for the sync to finish (up to timeout_seconds) and return its result. Default " +
      "false: return at once with the process id.",
  ),
  timeout_seconds: z.number().int().min(1).max(WAIT_SECONDS.max).optional().describe(
    `With wait: how long to wait, 1–${WAIT_SECONDS.max} s. Default ${WAIT_SECONDS.default}.`,
  ),
}).strict();

type Args = z.infer<typeof syncConversationsInput>;

/** A sync job as reported by tools. */
export function jobEntry(job: SyncJob) {
  return {
    process_id: job.processId,
    mode: job.request.mode,
    days: job.request.days ?? null,
    force: job.request.force ?? false,
    trigger: job.trigger,
    started_at: new Date(job.startedAt).toISOString(),
    clients_waiting: job.waiting,
    ...(job.outcome ? outcomeEntry(job.outcome) : { status: "running" }),
  };
}

function outcomeEntry(outcome: SyncOutcome) {
  const finished_at = new Date(outcome.finishedAt).toISOString();
  if (outcome.status !== "completed") {
    return { status: outcome.status, finished_at, error: outcome.message };
  }
  const r = outcome.result;
  return {
    status: "completed",
    finished_at,
    run_id: r.runId,
    window_start: isoFromSeconds(r.windowStart),
    window_end: isoFromSeconds(r.windowEnd),
    ...countsJson(r.counts),
    duration_seconds: Number(r.durationSeconds.toFixed(2)),
  };
}

function waitFor<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** A sync request in words, with its article: "an incremental sync", "a sync of the last 30 days". */
export function syncPhrase(request: SyncRequest): string {
  switch (request.mode) {
    case "incremental":
      return "an incremental sync";
    case "days":
      return `a sync of the last ${request.days} days`;
    case "all":
      return "a full sync";
    default:
      return `a ${request.mode} sync`;
  }
}

function describe(job: SyncJob, started: boolean): string {
  const id = job.processId ? ` (process ${job.processId})` : "";
  const outcome = job.outcome;
  if (outcome === null) {
    return started
      ? `Started ${syncPhrase(job.request)} in the background${id}. Call get_server_status ` +
        "to follow it, or sync_conversations with wait: true to wait for it."
      : `A sync is already running${id}, started ${new Date(job.startedAt).toISOString()}; ` +
        "no second one was started. Call get_server_status to follow it.";
  }
  switch (outcome.status) {
    case "completed": {
      const c = outcome.result.counts;
      return `Sync completed${id}: ${c.conversationsFetched} conversations fetched, ` +
        `${c.conversationsSkipped} unchanged, ${c.partsUpserted} parts stored.`;
    }
    case "locked":
      return `Another process is already syncing this data directory, so no sync was ` +
        `started: ${outcome.message}`;
    default:
      return `Sync ${outcome.status}${id}: ${outcome.message}`;
  }
}

/** Runs `sync_conversations`. */
export async function syncConversations(
  ctx: McpContext,
  args: Args,
  call: ToolCall = DETACHED_CALL,
): Promise<CallToolResult> {
  const request: SyncRequest = args.days !== undefined
    ? { mode: "days", days: args.days, force: args.force ?? false }
    : { mode: "incremental", force: args.force ?? false };
  const { job, started } = ctx.sync.start(request, "tool");
  if (args.wait) {
    const timeoutMs = (args.timeout_seconds ?? WAIT_SECONDS.default) * 1000;
    const end = await waitForSync(job, { timeoutMs, call, clock: ctx.clock });
    if (end === "cancelled") {
      log.info("a client cancelled its wait for sync {processId}; the sync goes on", {
        processId: job.processId,
      });
    }
  } else {
    // a sync registers within milliseconds (or fails at once when another process holds
    // the lock); waiting that long gives the caller the process id and spares a guess
    await waitFor(job.registered, REGISTER_WAIT_MS);
  }
  const entry = jobEntry(job);
  const timedOut = args.wait === true && job.outcome === null;
  const structured = {
    started,
    waited: args.wait === true,
    timed_out: timedOut,
    sync: entry,
    freshness: freshness(ctx),
  };
  let text = describe(job, started);
  if (timedOut) {
    text += ` It is still running after ${args.timeout_seconds ?? WAIT_SECONDS.default} s.`;
  }
  return toolResult(`${text}\n${structured.freshness.note}`, structured);
}

/** The shape of `sync_conversations`' structured result. */
export const syncConversationsOutput = z.object({
  started: z.boolean().describe("false when a sync was already running and this reports it"),
  waited: z.boolean(),
  timed_out: z.boolean(),
  sync: syncJobSchema,
  freshness: freshnessSchema,
});

/** The `sync_conversations` tool. */
export const syncConversationsTool = defineTool({
  name: SYNC_CONVERSATIONS,
  title: "Sync conversations from Intercom",
  description:
    "Bring the local store up to date with Intercom. Starts an incremental sync (or the " +
    "last `days` days; `force` re-fetches unchanged conversations) in the background and " +
    "returns its process id at once; with wait: true, waits up to timeout_seconds and " +
    "returns the result. Only one sync runs at a time: if one is running, reports it. " +
    "The server also syncs on its own when data gets old, so this is rarely needed.",
  inputSchema: syncConversationsInput,
  outputSchema: syncConversationsOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  run: (ctx, args, call) => syncConversations(ctx, args, call),
});
