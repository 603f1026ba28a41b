/**
 * The Intercom endpoints of tickets, ticket types, companies and data attributes, called
 * through an {@link IntercomClient} (its pacing, retries, typed errors and stats).
 *
 * @example
 * for await (const page of searchTickets(client, updatedBetween(from, to))) { … }
 * const ticket = await getTicket(client, "4821"); // null when Intercom answers 404
 */
import type { EndpointCall, IntercomClient } from "./client.ts";
import type { Records } from "./malformed.ts";
import { searchBody, type SearchOptions, type SearchPage, toPage } from "./paging.ts";
import {
  type Company,
  CompanySchema,
  CompanyScrollSchema,
  type DataAttribute,
  DataAttributeListSchema,
  type Ticket,
  TicketListSchema,
  TicketSchema,
  type TicketSummary,
  type TicketType,
  TicketTypeListSchema,
} from "./support_types.ts";
import type { SearchQuery } from "./types.ts";
import type { z } from "zod";

async function required<S extends z.ZodTypeAny>(
  client: IntercomClient,
  call: EndpointCall<S>,
): Promise<z.output<S>> {
  // Only calls with notFoundAsNull answer null.
  return (await client.request(call)) as z.output<S>;
}

/** `POST /tickets/search`: one page of tickets (without their parts). */
export async function searchTicketsPage(
  client: IntercomClient,
  query: SearchQuery,
  options: SearchOptions = {},
): Promise<SearchPage<TicketSummary>> {
  const list = await required(client, {
    method: "POST",
    path: "/tickets/search",
    body: searchBody(query, options),
    signal: options.signal,
    schema: TicketListSchema,
    records: { kind: "ticket", endpoint: "POST /tickets/search", list: "tickets" },
  });
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

/** `GET /ticket_types`: every ticket type with its attributes (archived ones included). */
export async function listTicketTypes(
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<TicketType[]> {
  const list = await required(client, {
    method: "GET",
    path: "/ticket_types",
    signal,
    schema: TicketTypeListSchema,
    records: { kind: "ticket_type", endpoint: "GET /ticket_types", list: "data" },
  });
  return list.data;
}

/** One page of a company scroll. */
export interface CompanyScrollPage {
  companies: Company[];
  /** Pass it to the next call; the scroll has ended when `companies` is empty. */
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
  const page = await required(client, {
    method: "GET",
    path: `/companies/scroll${query}`,
    signal,
    schema: CompanyScrollSchema,
    records: { kind: "company", endpoint: "GET /companies/scroll", list: "data" },
  });
  return { companies: page.data, scrollParam: page.scroll_param };
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

/** `GET /data_attributes?model=…&include_archived=true`: the definitions of one model. */
export async function listDataAttributes(
  client: IntercomClient,
  model: "contact" | "company" | "conversation",
  signal?: AbortSignal,
): Promise<DataAttribute[]> {
  const list = await required(client, {
    method: "GET",
    path: `/data_attributes?model=${model}&include_archived=true`,
    signal,
    schema: DataAttributeListSchema,
    records: { kind: "data_attribute", endpoint: "GET /data_attributes", list: "data" },
  });
  return list.data;
}
