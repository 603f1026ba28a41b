/** `search_conversations`: full-text and filtered search over the synced conversations. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { InputError } from "../../errors.ts";
import { COUNT_LIMIT, RANK_LIMIT } from "../../store/search_plans.ts";
import type { ConversationSearch } from "../../store/types.ts";
import { parseBound, parseTimeframeOrThrow, TIMEFRAME_FORMS } from "../../util/timeframe.ts";
import { freshness, type McpContext, nowSeconds, touchFreshness } from "../context.ts";
import { groupDigits } from "../../util/format.ts";
import { filterKey, nextPageCursor, resumeCursor } from "../page_cursor.ts";
import { conversationSummary, iso, summaryText } from "../present.ts";
import { conversationSummarySchema, freshnessSchema } from "../output_schemas.ts";
import { unknownPlanNote } from "../plan_note.ts";
import { defineTool } from "../tool_definition.ts";
import { companyFilterArgs } from "./tickets.ts";
import { toolResult } from "../tool_result.ts";

/** The tool's name. */
export const SEARCH_CONVERSATIONS = "search_conversations";

/** Arguments of `search_conversations`. */
export const searchConversationsInput = z.object({
  query: z.string().max(1000).optional().describe(
    "Words to find in the subject, title and every message (all words must match). " +
      'Use "double quotes" for an exact phrase, word* for a prefix (3+ letters) and OR between ' +
      "two terms for either (refund chargeback OR dispute). Chinese, Japanese, Korean and Thai " +
      "text is found as written, inside longer runs too. Omit to list by most recent activity.",
  ),
  timeframe: z.string().max(100).optional().describe(
    `A time window in words: ${TIMEFRAME_FORMS}. UTC calendar; weeks start on Monday.`,
  ),
  start: z.string().max(100).optional().describe(
    "Window start instead of timeframe: an ISO date or time (2026-01-05, 2026-01-05T09:00Z) " +
      'or a relative time ("3 days ago").',
  ),
  end: z.string().max(100).optional().describe(
    "Window end instead of timeframe; a date alone includes that whole day. Default: now.",
  ),
  match_on: z.enum(["activity", "created", "updated"]).optional().describe(
    'Which times the window applies to: "activity" (default) = conversations active during ' +
      'the window (created before it ended, last updated after it began); "created" = ' +
      'started in the window; "updated" = last updated in the window.',
  ),
  customer_email: z.string().max(320).optional().describe(
    "Only conversations with this customer (exact email, case-insensitive).",
  ),
  state: z.enum(["open", "closed", "snoozed"]).optional().describe("Only this state."),
  tag: z.string().max(200).optional().describe("Only conversations with this tag name."),
  assignee: z.string().max(200).optional().describe(
    "Only conversations assigned to this teammate (id, name or email) or team (id or name).",
  ),
  ...companyFilterArgs,
  limit: z.number().int().min(1).max(100).optional().describe(
    "Results per page, 1–100. Default 20.",
  ),
  cursor: z.string().max(500).optional().describe(
    "next_cursor from the previous page, to get the next page (repeat the same filters).",
  ),
  exact_total: z.boolean().optional().describe(
    `Count every match even past ${COUNT_LIMIT.toLocaleString("en-US")} (slower on a large ` +
      'store). Default false: total then says "more than …".',
  ),
}).strict();

type Args = z.infer<typeof searchConversationsInput>;

interface Window {
  start: number | null;
  end: number | null;
  label: string | null;
}

function resolveWindow(args: Args, now: number): Window {
  const hasRange = args.start !== undefined || args.end !== undefined;
  if (args.timeframe !== undefined && hasRange) {
    throw new InputError("give either timeframe or start/end, not both");
  }
  if (args.timeframe !== undefined) return parseTimeframeOrThrow("timeframe", args.timeframe, now);
  if (!hasRange) return { start: null, end: null, label: null };
  const bound = (name: "start" | "end", text: string | undefined) => {
    if (text === undefined) return null;
    const value = parseBound(text, { now, side: name });
    if (value === null) {
      throw new InputError(
        `cannot understand ${name} "${text}": use an ISO date or time (2026-01-05, ` +
          `2026-01-05T09:00:00Z) or a relative time ("3 days ago", "yesterday")`,
      );
    }
    return value;
  };
  const start = bound("start", args.start);
  const end = bound("end", args.end);
  if (start !== null && end !== null && end < start) {
    throw new InputError(`end "${args.end}" is before start "${args.start}": swap them`);
  }
  return { start, end, label: null };
}

function windowFilter(window: Window, matchOn: Args["match_on"]): ConversationSearch {
  const filter: ConversationSearch = {};
  const { start, end } = window;
  if (matchOn === "created") {
    if (start !== null) filter.createdSince = start;
    if (end !== null) filter.createdUntil = end;
  } else if (matchOn === "updated") {
    if (start !== null) filter.updatedSince = start;
    if (end !== null) filter.updatedUntil = end;
  } else {
    if (start !== null) filter.updatedSince = start;
    if (end !== null) filter.createdUntil = end;
  }
  return filter;
}

/** Runs `search_conversations` against the context. */
export async function searchConversations(ctx: McpContext, args: Args): Promise<CallToolResult> {
  touchFreshness(ctx);
  const now = nowSeconds(ctx);
  const key = filterKey({
    query: args.query?.trim() ?? null,
    timeframe: args.timeframe ?? null,
    start: args.start ?? null,
    end: args.end ?? null,
    match_on: args.match_on ?? null,
    customer_email: args.customer_email?.trim().toLowerCase() ?? null,
    state: args.state ?? null,
    tag: args.tag ?? null,
    assignee: args.assignee ?? null,
    company: args.company?.trim() ?? null,
    company_plan: args.company_plan?.trim() ?? null,
  });
  const cursor = args.cursor === undefined ? null : resumeCursor(args.cursor, key);
  const window = cursor === null
    ? resolveWindow(args, now)
    : { start: cursor.start, end: cursor.end, label: args.timeframe ?? null };
  const limit = args.limit ?? 20;
  const offset = cursor?.offset ?? 0;
  const search: ConversationSearch = {
    ...windowFilter(window, args.match_on),
    limit,
    offset,
    ...(args.query?.trim() ? { text: args.query } : {}),
    ...(args.customer_email?.trim() ? { customerEmail: args.customer_email } : {}),
    ...(args.state ? { state: args.state } : {}),
    ...(args.tag?.trim() ? { tag: args.tag } : {}),
    ...(args.assignee?.trim() ? { assignee: args.assignee } : {}),
    ...(args.exact_total ? { exactTotal: true } : {}),
    ...(args.company?.trim() ? { company: args.company } : {}),
    ...(args.company_plan?.trim() ? { companyPlan: args.company_plan } : {}),
  };
  const store = ctx.store.get();
  const { total, hits, notes: storeNotes = [], totalIsLowerBound = false } = store
    .searchConversations(search);
  const planNote = total === 0 ? unknownPlanNote(store, args.company_plan) : null;
  const notes = planNote === null ? storeNotes : [...storeNotes, planNote];
  const link = await ctx.workspace.links();
  const conversations = hits.map((hit) => conversationSummary(hit, link));
  const nextCursor = nextPageCursor({
    offset,
    returned: hits.length,
    total,
    key,
    window,
    more: totalIsLowerBound && hits.length === limit,
  });
  const fresh = freshness(ctx);
  const structured = {
    total,
    total_is_lower_bound: totalIsLowerBound,
    returned: conversations.length,
    offset,
    next_cursor: nextCursor,
    window: window.start === null && window.end === null
      ? null
      : { start: iso(window.start), end: iso(window.end), label: window.label },
    conversations,
    notes,
    freshness: fresh,
  };
  return toolResult(searchText(structured, args.query !== undefined), structured);
}

function searchText(r: {
  total: number;
  total_is_lower_bound: boolean;
  offset: number;
  returned: number;
  next_cursor: string | null;
  window: { start: string | null; end: string | null; label: string | null } | null;
  conversations: ReturnType<typeof conversationSummary>[];
  notes: string[];
  freshness: { note: string };
}, withQuery: boolean): string {
  const window = r.window === null
    ? ""
    : ` in ${r.window.label ?? "the window"} (${r.window.start ?? "the beginning"} … ${
      r.window.end ?? "now"
    })`;
  if (r.total === 0) {
    return [`No conversations found${window}.`, ...r.notes, r.freshness.note].join(" ");
  }
  const range = `${r.offset + 1}–${r.offset + r.returned}`;
  const marked = withQuery && r.conversations.some((c) => c.snippet);
  const lines = [
    `Found ${r.total_is_lower_bound ? "more than " : ""}${groupDigits(r.total)} ` +
    `conversation${r.total === 1 ? "" : "s"}${window}; showing ${range}` +
    `${marked ? " (matched words in [brackets])" : ""}.`,
    ...r.notes,
    ...r.conversations.map((c, i) => summaryText(r.offset + i + 1, c)),
  ];
  if (r.next_cursor) lines.push(`More results: call again with cursor "${r.next_cursor}".`);
  lines.push(r.freshness.note);
  return lines.join("\n");
}

/** The shape of `search_conversations`' structured result. */
export const searchConversationsOutput = z.object({
  total: z.number().describe("conversations matching every filter (see total_is_lower_bound)"),
  total_is_lower_bound: z.boolean().describe(
    `true when counting stopped at ${COUNT_LIMIT}: there are more (ask exact_total to count all)`,
  ),
  returned: z.number(),
  offset: z.number(),
  next_cursor: z.string().nullable().describe("pass as cursor for the next page; null at the end"),
  window: z.object({
    start: z.string().nullable(),
    end: z.string().nullable(),
    label: z.string().nullable(),
  }).nullable(),
  conversations: z.array(conversationSummarySchema),
  notes: z.array(z.string()).describe(
    "what about the query was not searched as typed (no searchable words, terms past the limit)",
  ),
  freshness: freshnessSchema,
});

/** The `search_conversations` tool. */
export const searchConversationsTool = defineTool({
  name: SEARCH_CONVERSATIONS,
  title: "Search Intercom conversations",
  description:
    "Search the locally synced Intercom conversations by words (full text over subjects " +
    "and every message), time window, customer email, state, tag, assignee, or the " +
    "customers' company or plan. Returns " +
    "summaries with a highlighted snippet, message counts, the Intercom inbox link and how " +
    "fresh the data is. Use get_conversation with a result's id to read the whole thread. " +
    `With a query, up to ${RANK_LIMIT.toLocaleString("en-US")} matches are ranked by ` +
    "relevance (subject and title weigh more); broader queries and listings come newest " +
    `activity first. Totals are exact up to ${COUNT_LIMIT.toLocaleString("en-US")}, else ` +
    '"more than" that (exact_total counts all). Page with cursor.',
  inputSchema: searchConversationsInput,
  outputSchema: searchConversationsOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: searchConversations,
});
