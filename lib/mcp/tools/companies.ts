/** `search_companies` and `get_company`: the synced Intercom companies. */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { CompanyHit, StoredCompany } from "../../store/support_types.ts";
import { freshness, type McpContext, touchFreshness } from "../context.ts";
import {
  conversationSummarySchema,
  customAttributesSchema,
  freshnessSchema,
} from "../output_schemas.ts";
import { filterKey, nextPageCursor, resumeCursor } from "../page_cursor.ts";
import {
  attributesText,
  conversationSummary,
  iso,
  labelledAttributes,
  personLabel,
  summaryText,
} from "../present.ts";
import { unknownPlanNote } from "../plan_note.ts";
import { defineTool } from "../tool_definition.ts";
import { toolResult } from "../tool_result.ts";

/** The tools' names. */
export const SEARCH_COMPANIES = "search_companies";
export const GET_COMPANY = "get_company";

/** Arguments of `search_companies`. */
export const searchCompaniesInput = z.object({
  query: z.string().max(1000).optional().describe(
    "Words to find in the company's name, website, industry, plan, custom attributes and " +
      "tags. Omit to list companies by name.",
  ),
  plan: z.string().max(200).optional().describe('Only companies on this plan ("Enterprise").'),
  industry: z.string().max(200).optional().describe("Only companies in this industry."),
  limit: z.number().int().min(1).max(100).optional().describe(
    "Results per page, 1–100. Default 20.",
  ),
  cursor: z.string().max(500).optional().describe(
    "next_cursor from the previous page (repeat the same filters).",
  ),
}).strict();

/** Arguments of `get_company`. */
export const getCompanyInput = z.object({
  company: z.string().trim().min(1, "company must not be empty").max(200).describe(
    'The company: its Intercom id, your company_id, its exact name, or "company_<id>".',
  ),
}).strict();

function companySummary(c: Omit<CompanyHit, "rank">) {
  return {
    id: c.id,
    company_id: c.company_id,
    name: c.name,
    plan: c.plan,
    size: c.size,
    website: c.website,
    industry: c.industry,
    monthly_spend: c.monthly_spend,
    user_count: c.user_count,
    updated_at: iso(c.updated_at),
  };
}

const companySummarySchema = z.object({
  id: z.string(),
  company_id: z.string().nullable().describe("the workspace's own id for the company"),
  name: z.string().nullable(),
  plan: z.string().nullable(),
  size: z.number().nullable(),
  website: z.string().nullable(),
  industry: z.string().nullable(),
  monthly_spend: z.number().nullable(),
  user_count: z.number().nullable(),
  updated_at: z.string().nullable(),
});

function summaryLine(index: number, c: ReturnType<typeof companySummary>): string {
  const facts = [
    c.plan ? `plan ${c.plan}` : null,
    c.industry,
    c.size !== null ? `${c.size} people` : null,
    c.monthly_spend !== null ? `monthly spend ${c.monthly_spend}` : null,
    c.user_count !== null ? `${c.user_count} users` : null,
  ].filter((f) => f !== null);
  return `${index}. ${c.name ?? "(no name)"} (id ${c.id}${
    c.company_id ? `, ${c.company_id}` : ""
  })` +
    `${facts.length > 0 ? ` — ${facts.join(", ")}` : ""}`;
}

/** Runs `search_companies`. */
export function searchCompanies(
  ctx: McpContext,
  args: z.infer<typeof searchCompaniesInput>,
): CallToolResult {
  touchFreshness(ctx);
  const key = filterKey({
    query: args.query?.trim() ?? null,
    plan: args.plan?.trim() ?? null,
    industry: args.industry?.trim() ?? null,
  });
  const offset = args.cursor === undefined ? 0 : resumeCursor(args.cursor, key).offset;
  const store = ctx.store.get();
  const { total, hits, notes: storeNotes = [] } = store.support.searchCompanies({
    limit: args.limit ?? 20,
    offset,
    ...(args.query?.trim() ? { text: args.query } : {}),
    ...(args.plan?.trim() ? { plan: args.plan } : {}),
    ...(args.industry?.trim() ? { industry: args.industry } : {}),
  });
  const planNote = total === 0 ? unknownPlanNote(store, args.plan) : null;
  const notes = planNote === null ? storeNotes : [...storeNotes, planNote];
  const companies = hits.map(companySummary);
  const nextOffset = offset + hits.length;
  const structured = {
    total,
    returned: companies.length,
    offset,
    next_cursor: nextPageCursor({ offset, returned: hits.length, total, key }),
    companies,
    notes,
    freshness: freshness(ctx),
  };
  const lines = total === 0 ? [["No companies found.", ...notes].join(" ")] : [
    `Found ${total} compan${total === 1 ? "y" : "ies"}; showing ${offset + 1}–${nextOffset}.`,
    ...companies.map((c, i) => summaryLine(offset + i + 1, c)),
  ];
  if (structured.next_cursor) {
    lines.push(`More results: call again with cursor "${structured.next_cursor}".`);
  }
  return toolResult(lines.join("\n"), structured);
}

/** A stored company as a tool result entry. */
export function companyEntry(c: StoredCompany) {
  return {
    ...companySummary(c),
    session_count: c.session_count,
    created_at: iso(c.created_at),
    last_request_at: iso(c.last_request_at),
    custom_attributes: labelledAttributes(c.custom_attributes, c.attribute_labels),
    tags: c.tag_names,
    contacts: c.contacts,
    contacts_total: c.contacts_total,
    conversations_total: c.conversations_total,
    tickets_total: c.tickets_total,
    open_tickets: c.open_tickets,
    same_name: c.same_name,
  };
}

/** The shape of a company in `get_company`. */
export const companyEntrySchema = companySummarySchema.extend({
  session_count: z.number().nullable(),
  created_at: z.string().nullable(),
  last_request_at: z.string().nullable(),
  custom_attributes: customAttributesSchema,
  tags: z.array(z.string()),
  contacts: z.array(
    z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  ).describe("stored contacts in the company (at most 50, most recently updated first)"),
  contacts_total: z.number(),
  conversations_total: z.number().describe("stored conversations of its contacts"),
  tickets_total: z.number().describe("stored tickets of its contacts"),
  open_tickets: z.number(),
  same_name: z.array(z.string()).describe(
    "asked for by name: the ids of other companies with that name (ask for one by id)",
  ),
});

/** The text of a company entry, for `get_company` and `fetch`. */
export function companyText(c: z.infer<typeof companyEntrySchema>): string {
  return [
    summaryLine(1, c).replace(/^1\. /, ""),
    ...(c.website ? [`Website: ${c.website}`] : []),
    ...attributesText(c.custom_attributes),
    ...(c.tags.length > 0 ? [`Tags: ${c.tags.join(", ")}.`] : []),
    `${c.contacts_total} stored contact${c.contacts_total === 1 ? "" : "s"}` +
    (c.contacts.length > 0
      ? `: ${c.contacts.slice(0, 10).map((p) => personLabel(p.name, p.email)).join(", ")}` +
        (c.contacts_total > 10 ? ", …" : "")
      : "") +
    ".",
    `${c.conversations_total} conversation${c.conversations_total === 1 ? "" : "s"}, ` +
    `${c.tickets_total} ticket${c.tickets_total === 1 ? "" : "s"} (${c.open_tickets} open).`,
    ...(c.same_name.length > 0
      ? [`Other companies with this name: ${c.same_name.join(", ")} (ask for one by id).`]
      : []),
  ].join("\n");
}

/** Runs `get_company`: the company, its contacts and its most recent conversations. */
export async function getCompany(
  ctx: McpContext,
  args: z.infer<typeof getCompanyInput>,
): Promise<CallToolResult> {
  touchFreshness(ctx);
  const store = ctx.store.get();
  const ref = args.company.trim().replace(/^company_/, "");
  const company = store.support.getCompany(ref);
  if (company === null) {
    throw new AppError(
      `company "${args.company}" is not in the local store: find companies with ` +
        "search_companies (by name, plan or industry)",
    );
  }
  const entry = companyEntry(company);
  const recent = store.searchConversations({ company: company.id, limit: 10 });
  const link = await ctx.workspace.links();
  const conversations = recent.hits.map((h) => conversationSummary(h, link));
  const structured = {
    company: entry,
    recent_conversations: conversations,
    freshness: freshness(ctx),
  };
  const text = [
    companyText(entry),
    ...(conversations.length > 0
      ? ["Latest conversations:", ...conversations.map((c, i) => summaryText(i + 1, c))]
      : []),
    structured.freshness.note,
  ].join("\n");
  return toolResult(text, structured);
}

/** The shape of `search_companies`' structured result. */
export const searchCompaniesOutput = z.object({
  total: z.number(),
  returned: z.number(),
  offset: z.number(),
  next_cursor: z.string().nullable(),
  companies: z.array(companySummarySchema),
  notes: z.array(z.string()).describe(
    "why a search found nothing when the cause is the question (a query of only symbols, an " +
      "unknown plan)",
  ),
  freshness: freshnessSchema,
});

/** The shape of `get_company`'s structured result. */
export const getCompanyOutput = z.object({
  company: companyEntrySchema,
  recent_conversations: z.array(conversationSummarySchema),
  freshness: freshnessSchema,
});

/** The `search_companies` tool. */
export const searchCompaniesTool = defineTool({
  name: SEARCH_COMPANIES,
  title: "Search Intercom companies",
  description: "Find synced Intercom companies by words (name, website, industry, plan, custom " +
    "attributes, tags), plan or industry. Returns ids for get_company, and names and plans to " +
    "filter search_conversations and search_tickets by company.",
  inputSchema: searchCompaniesInput,
  outputSchema: searchCompaniesOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: searchCompanies,
});

/** The `get_company` tool. */
export const getCompanyTool = defineTool({
  name: GET_COMPANY,
  title: "Read an Intercom company",
  description: "One synced company: plan, size, industry, monthly spend, custom attributes " +
    "(labelled), tags, its contacts, how many conversations and tickets (open) they have, and " +
    "their ten latest conversations.",
  inputSchema: getCompanyInput,
  outputSchema: getCompanyOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: getCompany,
});
