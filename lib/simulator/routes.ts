/** The simulator's REST endpoints: route matching and one handler per Intercom endpoint. */
import { paginate } from "./paging.ts";
import {
  renderAdmin,
  renderContact,
  renderConversationSummary,
  renderFullConversation,
  renderMe,
  renderTag,
  renderTeam,
} from "./render.ts";
import { jsonResponse, SimHttpError } from "./responses.ts";
import {
  type Handler,
  perPageOf,
  readJsonBody,
  type Route,
  route,
  runSearch,
} from "./route_kit.ts";
import { SUPPORT_ROUTES, type SupportRouteState } from "./routes_support.ts";
import {
  contactSearchSchema,
  contactSortFields,
  conversationSearchSchema,
  conversationSortFields,
} from "./search_fields.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import type { SimContact, SimConversation, Workspace } from "./workspace.ts";

/**
 * How the simulated API behaves where Intercom's description leaves room (or where a test
 * needs to show what a client must survive). Live: changes apply to the next request.
 */
export interface SimBehaviour {
  /** `GET /me` answers `app: null` (the description's `app` is nullable). Default false. */
  meAppNull: boolean;
  /**
   * "honoured" (default): conversation search sorts as the body's `sort` asks. "ignored": it
   * answers in its default order (newest `updated_at` first) whatever `sort` says — the 2.11
   * description documents no `sort` for conversation search.
   */
  conversationSearchSort: "honoured" | "ignored";
  /** The same for ticket search (2.11 documents no `sort` for it either). Default "honoured". */
  ticketSearchSort: "honoured" | "ignored";
  /**
   * Seconds after its `created_at` (by the simulator's clock) before a contact appears in
   * `POST /contacts/search`, which "may not" return recently created contacts "for a few
   * minutes". `GET /contacts/{id}` finds it at once. Default 0.
   */
  contactSearchLagSeconds: number;
  /**
   * Seconds an unused company scroll stays open (and blocks a new one): 60, as the
   * description says. Default 60.
   */
  companyScrollIdleSeconds: number;
}

/** The default {@link SimBehaviour}. */
export function defaultBehaviour(): SimBehaviour {
  return {
    meAppNull: false,
    conversationSearchSort: "honoured",
    ticketSearchSort: "honoured",
    contactSearchLagSeconds: 0,
    companyScrollIdleSeconds: 60,
  };
}

/** What handlers need besides the request. */
export interface RouteContext {
  ws: Workspace;
  strictGreaterThan: boolean;
  partsCap: number;
  behaviour: SimBehaviour;
  /** Millisecond clock, for the contact search lag and the company scroll's expiry. */
  clock: Clock;
  /** State of the endpoints beyond conversations and contacts (the company scroll). */
  support: SupportRouteState;
}

const ROUTES: Route[] = [
  route(
    "GET",
    "/me",
    (ctx) => jsonResponse(200, renderMe(ctx.ws, { appNull: ctx.behaviour.meAppNull })),
  ),
  route("POST", "/conversations/search", searchConversations),
  route("GET", "/conversations", listConversations),
  route("GET", "/conversations/{id}", getConversation),
  route(
    "GET",
    "/admins",
    (ctx) => jsonResponse(200, { type: "admin.list", admins: ctx.ws.admins.map(renderAdmin) }),
  ),
  route(
    "GET",
    "/teams",
    (ctx) => jsonResponse(200, { type: "team.list", teams: ctx.ws.teams.map(renderTeam) }),
  ),
  route(
    "GET",
    "/tags",
    (ctx) => jsonResponse(200, { type: "list", data: ctx.ws.tags.map(renderTag) }),
  ),
  route("POST", "/contacts/search", searchContacts),
  route("GET", "/contacts", listContacts),
  route("GET", "/contacts/{id}", getContact),
  ...SUPPORT_ROUTES,
];

/** The route for a request, with its path parameters; undefined when nothing matches. */
export function matchRoute(
  method: string,
  pathname: string,
): { name: string; handle: Handler; params: string[] } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const match = r.pattern.exec(pathname);
    if (match) return { name: r.name, handle: r.handle, params: match.slice(1).map(safeDecode) };
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function searchConversations(ctx: RouteContext, req: Request): Promise<Response> {
  const page = runSearch(ctx, await readJsonBody(req), {
    records: ctx.ws.conversations,
    schema: conversationSearchSchema,
    sortFields: conversationSortFields,
    id: (c) => c.id,
    defaultPerPage: 20,
    ignoreSort: ctx.behaviour.conversationSearchSort === "ignored",
  });
  return jsonResponse(200, {
    type: "conversation.list",
    conversations: page.items.map(searchItem),
    total_count: page.totalCount,
    pages: page.pages,
  });
}

function listConversations(ctx: RouteContext, req: Request): Response {
  const params = new URL(req.url).searchParams;
  const page = paginate({
    records: ctx.ws.conversations,
    predicate: () => true,
    sortValue: (c) => c.updated_at,
    id: (c) => c.id,
    order: "descending",
    perPage: perPageOf(params.get("per_page"), 20),
    startingAfter: params.get("starting_after"),
  });
  return jsonResponse(200, {
    type: "conversation.list",
    conversations: page.items.map(searchItem),
    total_count: page.totalCount,
    pages: page.pages,
  });
}

/** A conversation as search and list show it (`quirks.malformedInSearch` breaks it). */
function searchItem(c: SimConversation): Record<string, unknown> {
  const item = renderConversationSummary(c);
  return c.quirks?.malformedInSearch ? { ...item, created_at: "malformed" } : item;
}

function getConversation(ctx: RouteContext, req: Request, [id]: string[]): Response {
  const conversation = ctx.ws.conversationsById.get(id ?? "");
  if (!conversation) throw new SimHttpError(404, "not_found", "Resource Not Found");
  const plaintext = new URL(req.url).searchParams.get("display_as") === "plaintext";
  return jsonResponse(
    200,
    renderFullConversation(conversation, { plaintext, partsCap: ctx.partsCap }),
  );
}

async function searchContacts(ctx: RouteContext, req: Request): Promise<Response> {
  const lag = ctx.behaviour.contactSearchLagSeconds;
  const indexedBy = lag > 0 ? unixSeconds(ctx.clock) - lag : Infinity;
  const page = runSearch(ctx, await readJsonBody(req), {
    records: ctx.ws.contacts,
    schema: contactSearchSchema,
    sortFields: contactSortFields,
    id: (c) => c.id,
    defaultPerPage: 50,
    hidden: (c) => c.merged_into !== undefined || c.created_at > indexedBy,
  });
  return jsonResponse(200, {
    type: "list",
    data: page.items.map((c) => renderContact(ctx.ws, c)),
    total_count: page.totalCount,
    pages: page.pages,
  });
}

function listContacts(ctx: RouteContext, req: Request): Response {
  const params = new URL(req.url).searchParams;
  const page = paginate({
    records: ctx.ws.contacts,
    predicate: (c: SimContact) => c.merged_into === undefined,
    sortValue: (c) => c.created_at,
    id: (c) => c.id,
    order: "ascending",
    perPage: perPageOf(params.get("per_page"), 50),
    startingAfter: params.get("starting_after"),
  });
  return jsonResponse(200, {
    type: "list",
    data: page.items.map((c) => renderContact(ctx.ws, c)),
    total_count: page.totalCount,
    pages: page.pages,
  });
}

function getContact(ctx: RouteContext, _req: Request, [id]: string[]): Response {
  const contact = ctx.ws.contactsById.get(id ?? "");
  // "requesting it by its original ID will return a 404 Not Found error" once merged.
  if (!contact || contact.merged_into !== undefined) {
    throw new SimHttpError(404, "not_found", "User Not Found");
  }
  return jsonResponse(200, renderContact(ctx.ws, contact));
}
