/**
 * The simulator's endpoints for tickets, ticket types, companies and data attributes.
 *
 * Companies are read with `GET /companies/scroll` as the description says: one scroll per
 * workspace at a time (starting another while one is open answers 400 "scroll already exists
 * for this app", as Intercom does — intercom/intercom-ruby#292), the same `scroll_param` on
 * every page, expiring after `companyScrollIdleSeconds` (60) unused, and an empty `data` at
 * the end. `POST /companies/list` pages by number (sorted by `last_request_at`, newest first,
 * companies without users left out, at most 10,000).
 */
import type { FieldSpec, SearchSchema } from "./query_dsl.ts";
import {
  companyUserCounts,
  renderCompany,
  renderDataAttribute,
  renderTicket,
  renderTicketType,
} from "./render_support.ts";
import { invalidParameter, jsonResponse, SimHttpError } from "./responses.ts";
import { perPageOf, readJsonBody, type Route, route, runSearch } from "./route_kit.ts";
import type { RouteContext } from "./routes.ts";
import type { SimTicket } from "./support_records.ts";

/** The open company scroll, if any. */
export interface SupportRouteState {
  scroll: { param: string; ids: string[]; next: number; lastUsedMs: number } | null;
}

/** A fresh {@link SupportRouteState}. */
export function supportRouteState(): SupportRouteState {
  return { scroll: null };
}

/** Companies per scroll page. */
export const COMPANY_SCROLL_PAGE = 50;
const COMPANY_LIST_CAP = 10_000;

const spec = (type: FieldSpec<SimTicket>["type"], get: (t: SimTicket) => unknown) => ({
  type,
  get,
});

const TICKET_FIELDS: Record<string, FieldSpec<SimTicket>> = {
  id: spec("id", (t) => t.id),
  created_at: spec("date", (t) => t.created_at),
  updated_at: spec("date", (t) => t.updated_at),
  title: spec("string", (t) => t.attributes._default_title_ ?? null),
  description: spec("string", (t) => t.attributes._default_description_ ?? null),
  category: spec("string", (t) => t.type.category),
  ticket_type_id: spec("id", (t) => t.type.id),
  contact_ids: spec("ids", (t) => t.contact_ids),
  teammate_ids: spec("ids", (t) => [...new Set(t.parts.flatMap((p) => teammateOf(p.author)))]),
  admin_assignee_id: spec("id", (t) => t.admin_assignee_id),
  team_assignee_id: spec("id", (t) => t.team_assignee_id),
  open: spec("bool", (t) => t.state !== "resolved"),
  state: spec("string", (t) => t.state),
  snoozed_until: spec("date", (t) => t.snoozed_until),
};

function teammateOf(author: { type: string; id: string }): string[] {
  return author.type === "admin" ? [author.id] : [];
}

/** Searchable ticket fields (the description's table), `ticket_attribute.{id}` included. */
export const ticketSearchSchema: SearchSchema<SimTicket> = {
  resolve(field) {
    if (Object.hasOwn(TICKET_FIELDS, field)) return TICKET_FIELDS[field];
    if (!field.startsWith("ticket_attribute.")) return undefined;
    const id = field.slice("ticket_attribute.".length);
    return spec("any", (t) => {
      const attr = t.type.attributes.find((a) => a.id === id);
      return attr ? t.attributes[attr.name] ?? null : null;
    });
  },
  dayGranularDates: false,
};

const ticketSortFields: Record<string, (t: SimTicket) => number | null> = {
  updated_at: (t) => t.updated_at,
  created_at: (t) => t.created_at,
};

async function searchTickets(ctx: RouteContext, req: Request): Promise<Response> {
  const page = runSearch(ctx, await readJsonBody(req), {
    records: ctx.ws.tickets,
    schema: ticketSearchSchema,
    sortFields: ticketSortFields,
    id: (t) => t.id,
    defaultPerPage: 20,
    ignoreSort: ctx.behaviour.ticketSearchSort === "ignored",
  });
  return jsonResponse(200, {
    type: "ticket.list",
    tickets: page.items.map((t) => renderTicket(ctx.ws, t, { parts: false })),
    total_count: page.totalCount,
    pages: page.pages,
  });
}

function getTicket(ctx: RouteContext, _req: Request, [id]: string[]): Response {
  const ticket = ctx.ws.ticketsById.get(id ?? "");
  if (!ticket) throw new SimHttpError(404, "ticket_not_found", "Ticket not found");
  return jsonResponse(200, renderTicket(ctx.ws, ticket, { partsCap: ctx.partsCap }));
}

function listTicketTypes(ctx: RouteContext): Response {
  return jsonResponse(200, {
    type: "list",
    data: ctx.ws.ticketTypes.map((t) => ({
      ...renderTicketType(ctx.ws, t),
      ...(t.quirks?.malformed ? { name: null } : {}),
    })),
  });
}

function scrollCompanies(ctx: RouteContext, req: Request): Response {
  const now = ctx.clock();
  const idleMs = ctx.behaviour.companyScrollIdleSeconds * 1000;
  const state = ctx.support;
  if (state.scroll && now - state.scroll.lastUsedMs >= idleMs) state.scroll = null;
  const param = new URL(req.url).searchParams.get("scroll_param");
  let scroll = state.scroll;
  if (param === null || param === "") {
    if (scroll) throw new SimHttpError(400, "bad_request", "scroll already exists for this app");
    scroll = {
      param: crypto.randomUUID(),
      ids: ctx.ws.companies.map((c) => c.id),
      next: 0,
      lastUsedMs: now,
    };
    state.scroll = scroll;
  } else if (!scroll || scroll.param !== param) {
    throw invalidParameter(
      "scroll_param is unknown or expired: start a new scroll",
      "scroll_param",
    );
  }
  const ids = scroll.ids.slice(scroll.next, scroll.next + COMPANY_SCROLL_PAGE);
  scroll.next += ids.length;
  scroll.lastUsedMs = now;
  // The end of the scroll answers an empty page, and the scroll expires.
  if (ids.length === 0) state.scroll = null;
  const counts = companyUserCounts(ctx.ws.contacts);
  const data = ids.flatMap((id) => {
    const company = ctx.ws.companiesById.get(id);
    if (!company) return [];
    const body = renderCompany(ctx.ws, company, counts.get(id) ?? 0);
    return [company.quirks?.malformedInScroll ? { ...body, updated_at: "malformed" } : body];
  });
  return jsonResponse(200, {
    type: "list",
    data,
    pages: null,
    total_count: null,
    scroll_param: scroll.param,
  });
}

function listCompanies(ctx: RouteContext, req: Request): Response {
  const params = new URL(req.url).searchParams;
  const perPage = perPageOf(params.get("per_page"), 15);
  const pageText = params.get("page") ?? "1";
  const page = /^\d+$/.test(pageText) ? Number(pageText) : NaN;
  if (!Number.isInteger(page) || page < 1) throw invalidParameter("page must be 1 or more", "page");
  const order = params.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw invalidParameter("order is asc or desc", "order");
  const counts = companyUserCounts(ctx.ws.contacts);
  const sign = order === "asc" ? 1 : -1;
  const listed = ctx.ws.companies
    .filter((c) => (counts.get(c.id) ?? 0) > 0)
    .sort((a, b) =>
      sign * ((a.last_request_at ?? 0) - (b.last_request_at ?? 0)) || (a.id < b.id ? -1 : 1)
    )
    .slice(0, COMPANY_LIST_CAP);
  const totalPages = Math.ceil(listed.length / perPage);
  const items = listed.slice((page - 1) * perPage, page * perPage);
  return jsonResponse(200, {
    type: "list",
    data: items.map((c) => renderCompany(ctx.ws, c, counts.get(c.id) ?? 0)),
    pages: {
      type: "pages",
      next: page < totalPages ? { page: page + 1 } : null,
      page,
      per_page: perPage,
      total_pages: totalPages,
    },
    total_count: listed.length,
  });
}

function getCompany(ctx: RouteContext, _req: Request, [id]: string[]): Response {
  const company = ctx.ws.companiesById.get(id ?? "");
  if (!company) throw new SimHttpError(404, "company_not_found", "Company Not Found");
  const count = companyUserCounts(ctx.ws.contacts).get(company.id) ?? 0;
  return jsonResponse(200, renderCompany(ctx.ws, company, count));
}

function listDataAttributes(ctx: RouteContext, req: Request): Response {
  const params = new URL(req.url).searchParams;
  const model = params.get("model");
  if (model !== null && !["contact", "company", "conversation"].includes(model)) {
    throw invalidParameter("model must be contact, company or conversation", "model");
  }
  const archived = params.get("include_archived") === "true";
  const data = ctx.ws.dataAttributes
    .filter((a) => (model === null || a.model === model) && (archived || !a.archived))
    .map(renderDataAttribute);
  return jsonResponse(200, { type: "list", data });
}

/** The routes of this module, for the simulator's route table. */
export const SUPPORT_ROUTES: readonly Route[] = [
  route("POST", "/tickets/search", searchTickets),
  route("GET", "/tickets/{id}", getTicket),
  route("GET", "/ticket_types", listTicketTypes),
  route("GET", "/companies/scroll", scrollCompanies),
  route("POST", "/companies/list", listCompanies),
  route("GET", "/companies/{id}", getCompany),
  route("GET", "/data_attributes", listDataAttributes),
];
