/** `check_coverage`: whether the store covers a time window, and how fresh it is. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { InputError } from "../../errors.ts";
import { parseBound } from "../../util/timeframe.ts";
import { freshness, type McpContext, nowSeconds, touchFreshness } from "../context.ts";
import { groupDigits } from "../../util/format.ts";
import { checkWindow, coveredSpans, type Span } from "../coverage.ts";
import { iso } from "../present.ts";
import { freshnessSchema, spanSchema } from "../output_schemas.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

/** The tool's name. */
export const CHECK_COVERAGE = "check_coverage";

/** Arguments of `check_coverage` (the original's names). */
export const checkCoverageInput = z.object({
  start_date: z.string().min(1).max(100).describe(
    'Window start: an ISO date or time (2026-01-05, 2026-01-05T09:00Z) or "7 days ago", ' +
      '"yesterday", "30d".',
  ),
  end_date: z.string().max(100).optional().describe(
    "Window end, same forms; a date alone includes that whole day. Default: now.",
  ),
}).strict();

type Args = z.infer<typeof checkCoverageInput>;

function bound(name: string, text: string, now: number, side: "start" | "end"): number {
  const value = parseBound(text, { now, side });
  if (value === null) {
    throw new InputError(
      `cannot understand ${name} "${text}": use an ISO date or time (2026-01-05, ` +
        '2026-01-05T09:00:00Z), "today", "yesterday", "7 days ago" or a duration like "30d"',
    );
  }
  return value;
}

const spanIso = (s: Span) => ({ start: iso(s.start), end: iso(s.end) });

/** Runs `check_coverage`. */
export function checkCoverage(ctx: McpContext, args: Args): CallToolResult {
  touchFreshness(ctx);
  const now = nowSeconds(ctx);
  const start = bound("start_date", args.start_date, now, "start");
  const end = args.end_date === undefined ? now : bound("end_date", args.end_date, now, "end");
  if (end < start) {
    throw new InputError(
      args.end_date === undefined
        ? `start_date "${args.start_date}" is in the future (now is ${iso(now)}): nothing ` +
          "can be synced for it yet; give a start_date in the past"
        : `end_date "${args.end_date}" is before start_date "${args.start_date}": swap them`,
    );
  }
  const store = ctx.store.get();
  const spans = coveredSpans(ctx.store.lastRuns(1000));
  const tolerance = Math.max(ctx.maxSyncAgeMinutes * 60, 3600);
  const result = checkWindow(spans, { start, end }, { now, toleranceSeconds: tolerance });
  const inWindow = store.searchConversations({ updatedSince: start, createdUntil: end, limit: 1 });
  const fresh = freshness(ctx);
  const firstGap = result.gaps[0];
  const daysBack = firstGap === undefined
    ? null
    : Math.max(1, Math.ceil((now - firstGap.start) / 86400));
  const advice = result.status === "covered"
    ? null
    : `Call sync_conversations with days: ${daysBack} to sync the missing period, then ` +
      "check again.";
  const structured = {
    window: { start: iso(start), end: iso(end) },
    status: result.status,
    covered: result.status === "covered",
    gaps: result.gaps.map(spanIso),
    not_yet_synced_since: iso(result.unsyncedSince),
    conversations_in_window: inWindow.total,
    conversations_in_window_is_lower_bound: inWindow.totalIsLowerBound === true,
    synced_spans: spans.map(spanIso),
    advice,
    freshness: fresh,
  };
  const window = `${structured.window.start} … ${structured.window.end}`;
  const verdict = {
    covered: `The store covers ${window}: every conversation active then is stored`,
    partial: `The store covers only part of ${window}`,
    not_covered: `The store does not cover ${window}`,
    never_synced: `Nothing has been synced yet, so ${window} is not covered`,
  }[result.status];
  const lines = [
    `${verdict} (${inWindow.totalIsLowerBound ? "more than " : ""}` +
    `${groupDigits(inWindow.total)} conversations active in the window are stored).`,
    ...structured.gaps.map((g) => `Missing: ${g.start} … ${g.end}.`),
    ...(advice ? [advice] : []),
    fresh.note,
  ];
  return toolResult(lines.join("\n"), structured);
}

/** The shape of `check_coverage`'s structured result. */
export const checkCoverageOutput = z.object({
  window: spanSchema,
  status: z.enum(["covered", "partial", "not_covered", "never_synced"]),
  covered: z.boolean(),
  gaps: z.array(spanSchema).describe("parts of the window no completed sync covered"),
  not_yet_synced_since: z.string().nullable().describe(
    "start of a recent stretch not synced yet, short enough to count as freshness",
  ),
  conversations_in_window: z.number(),
  conversations_in_window_is_lower_bound: z.boolean().describe(
    "true when counting stopped: more conversations than that are stored for the window",
  ),
  synced_spans: z.array(spanSchema),
  advice: z.string().nullable(),
  freshness: freshnessSchema,
});

/** The `check_coverage` tool. */
export const checkCoverageTool = defineTool({
  name: CHECK_COVERAGE,
  title: "Check data coverage",
  description: "Whether the local store holds every conversation active between start_date and " +
    "end_date (default now), which parts are missing, how many conversations it has for " +
    "the window and how fresh the data is. Use it before counting or summarising a period; " +
    "if not covered, sync_conversations with days can fill the gap.",
  inputSchema: checkCoverageInput,
  outputSchema: checkCoverageOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: checkCoverage,
});
