/**
 * The Intercom endpoints of tickets, ticket types, companies and data attributes, called
 * through an {@link IntercomClient} (its pacing, retries, typed errors and stats).
 *
 * @example
 * for await (const page of searchTickets(client, updatedBetween(from, to))) { … }
 * const ticket = await getTicket(client, "4821"); // null when Intercom answers 404
 */
import { z } from "zod";
import type { EndpointCall, IntercomClient } from "./client.ts";
import type { Records } from "./malformed.ts";
import {
  type ItemsRead,
  searchBody,
  type SearchOptions,
  type SearchPage,
  toPage,
  type UnreadableItem,
} from "./paging.ts";
import {
  type Company,
  CompanySchema,
  type DataAttribute,
  DataAttributeSchema,
  type Ticket,
  TicketListSchema,
  TicketSchema,
  type TicketSummary,
  TicketSummarySchema,
  type TicketType,
  TicketTypeSchema,
} from "./support_types.ts";
import { PagesSchema, type SearchQuery } from "./types.ts";

async function required<S extends z.ZodTypeAny>(
  client: IntercomClient,
  call: EndpointCall<S>,
): Promise<z.output<S>> {
  // Only calls with notFoundAsNull answer null.
  return (await client.request(call)) as z.output<S>;
}

/**
 * `POST /tickets/search`: one page of tickets (without their parts). With
 * `options.skipUnreadable` an item that cannot be read is listed in `unreadable` instead of
 * failing the page.
 */
export async function searchTicketsPage(
  client: IntercomClient,
  query: SearchQuery,
  options: SearchOptions = {},
): Promise<SearchPage<TicketSummary>> {
  const call = {
    method: "POST",
    path: "/tickets/search",
    body: searchBody(query, options),
    signal: options.signal,
  } as const;
  const records = { kind: "ticket", endpoint: "POST /tickets/search", list: "tickets" } as const;
  if (options.skipUnreadable) {
    const read = await client.requestItems({
      ...call,
      schema: z.object({ type: z.string(), total_count: z.number().int(), pages: PagesSchema }),
      item: TicketSummarySchema,
      records,
    });
    const page = toPage(read.items, read.body.total_count, read.body.pages);
    return { ...page, unreadable: read.unreadable };
  }
  const list = await required(client, { ...call, schema: TicketListSchema, records });
  return toPage(list.tickets, list.total_count, list.pages);
}

/** Every page of a ticket search, following cursors until there is no next page. */
export function searchTickets(
  client: IntercomClient,
  query: SearchQuery,
  options: SearchOptions = {},
): AsyncGenerator<SearchPage<TicketSummary>> {
  return client.followSearch((o) => searchTicketsPage(client, query, o), options);
}

/**
 * `GET /tickets/{id}`: the ticket with its newest ≤ 500 parts, or null when Intercom answers
 * 404 (deleted). A body that cannot be read throws `MalformedRecordError` naming `id`.
 */
export function getTicket(
  client: IntercomClient,
  id: string,
  signal?: AbortSignal,
): Promise<Ticket | null> {
  const records: Records = { kind: "ticket", endpoint: "GET /tickets/{id}", id };
  return client.request({
    method: "GET",
    path: `/tickets/${encodeURIComponent(id)}`,
    signal,
    notFoundAsNull: true,
    schema: TicketSchema,
    records,
  });
}

/**
 * `GET /ticket_types`: every ticket type with its attributes (archived ones included), read one
 * by one: a type that cannot be read is listed in `unreadable`.
 */
export async function listTicketTypes(
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<ItemsRead<TicketType>> {
  const { items, unreadable } = await client.requestItems({
    method: "GET",
    path: "/ticket_types",
    signal,
    schema: z.object({ type: z.string() }),
    item: TicketTypeSchema,
    // Intercom sends `data`; the description's schema says `ticket_types`.
    records: { kind: "ticket_type", endpoint: "GET /ticket_types", list: "data" },
    otherLists: ["ticket_types"],
  });
  return { items, unreadable };
}

/** One page of a company scroll. */
export interface CompanyScrollPage {
  companies: Company[];
  /** Companies of the page that cannot be read (id and reason). */
  unreadable: UnreadableItem[];
  /** Pass it to the next call; the scroll has ended when the page has no company at all. */
  scrollParam: string | null;
}

/**
 * `GET /companies/scroll`: the first page without `scrollParam`, the next ones with it. One
 * scroll per workspace at a time; an unused one expires after a minute.
 */
export async function scrollCompanies(
  client: IntercomClient,
  scrollParam: string | null,
  signal?: AbortSignal,
): Promise<CompanyScrollPage> {
  const query = scrollParam === null ? "" : `?scroll_param=${encodeURIComponent(scrollParam)}`;
  const page = await client.requestItems({
    method: "GET",
    path: `/companies/scroll${query}`,
    signal,
    schema: z.object({ type: z.string(), scroll_param: z.string().nullish() }),
    item: CompanySchema,
    records: { kind: "company", endpoint: "GET /companies/scroll", list: "data" },
  });
  return {
    companies: page.items,
    unreadable: page.unreadable,
    scrollParam: page.body.scroll_param ?? null,
  };
}

/** `GET /companies/{id}`: the company, or null when Intercom answers 404. */
export function getCompany(
  client: IntercomClient,
  id: string,
  signal?: AbortSignal,
): Promise<Company | null> {
  return client.request({
    method: "GET",
    path: `/companies/${encodeURIComponent(id)}`,
    signal,
    notFoundAsNull: true,
    schema: CompanySchema,
    records: { kind: "company", endpoint: "GET /companies/{id}", id },
  });
}

/**
 * `GET /data_attributes?model=…&include_archived=true`: the definitions of one model, read one
 * by one: a definition that cannot be read is listed in `unreadable`.
 */
export async function listDataAttributes(
  client: IntercomClient,
  model: "contact" | "company" | "conversation",
  signal?: AbortSignal,
): Promise<ItemsRead<DataAttribute>> {
  const { items, unreadable } = await client.requestItems({
    method: "GET",
    path: `/data_attributes?model=${model}&include_archived=true`,
    signal,
    schema: z.object({ type: z.string() }),
    item: DataAttributeSchema,
    records: { kind: "data_attribute", endpoint: "GET /data_attributes", list: "data" },
  });
  return { items, unreadable };
}
