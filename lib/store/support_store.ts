/**
 * The store's face for tickets, companies, ticket types, data attributes, the conversation and
 * contact extras, and the per-stream sync positions: `store.support` (one per connection).
 *
 * @example
 * ```ts
 * using store = Store.open(path);
 * const { hits } = store.support.searchTickets({ text: "refund", state: "in_progress" });
 * ```
 */
import type { Company, DataAttribute, Ticket, TicketType } from "../intercom/support_types.ts";
import type { StoredCopyTimes } from "../sync/freshness.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { upsertCompanies } from "./companies.ts";
import { storedCopyTimes } from "./_stored_copies.ts";
import { readContactExtras, type StoredContactExtras } from "./contact_extras.ts";
import {
  type FinHandoff,
  readConversationExtras,
  readFinHandoff,
  type StoredConversationExtras,
} from "./conversation_extras.ts";
import type { Connection } from "./database.ts";
import {
  attributeLabels,
  companyPlans,
  completeStream,
  getCompany,
  getTicket,
  readStream,
  readStreams,
  setStreamCheckpoint,
  type SupportCounts,
  supportCounts,
} from "./support_reads.ts";
import { searchCompanies } from "./company_search.ts";
import { searchTickets } from "./support_search.ts";
import {
  replaceDataAttributes,
  replaceTicketTypes,
  upsertTicket,
  type UpsertTicketOptions,
} from "./tickets.ts";
import type {
  CompanySearch,
  CompanySearchResult,
  StoredCompany,
  StoredTicket,
  StreamState,
  TicketSearch,
  TicketSearchResult,
} from "./support_types.ts";

/** Tickets, companies and the rest, on one store connection. */
export class SupportStore {
  readonly #conn: Connection;
  readonly #clock: Clock;

  constructor(conn: Connection, clock: Clock) {
    this.#conn = conn;
    this.#clock = clock;
  }

  /** Stores a fetched ticket with its parts, contacts, links and search text. */
  upsertTicket(ticket: Ticket, syncedAt: number, options?: UpsertTicketOptions) {
    return upsertTicket(this.#conn, ticket, syncedAt, options);
  }

  /** What the store holds of each of `ids` that is stored. */
  storedTicketCopies(ids: string[]): Map<string, StoredCopyTimes> {
    return storedCopyTimes(this.#conn, "tickets", ids);
  }

  /** Inserts or replaces companies by id; returns how many were written. */
  upsertCompanies(companies: Company[], syncedAt: number): number {
    return upsertCompanies(this.#conn, companies, syncedAt);
  }

  /** What the store holds of each of `ids` that is stored. */
  storedCompanyCopies(ids: string[]): Map<string, StoredCopyTimes> {
    return storedCopyTimes(this.#conn, "companies", ids);
  }

  /**
   * Companies stored contacts belong to that the store lacks (at most `limit`, default 500):
   * what an incremental run fetches one by one between full passes.
   */
  missingCompanyIds(limit = 500): string[] {
    return this.#conn.all(
      "SELECT DISTINCT company_id FROM contact_companies " +
        "WHERE company_id NOT IN (SELECT id FROM companies) ORDER BY company_id LIMIT ?",
      limit,
    ).map((row) => String(row.company_id));
  }

  /** Replaces every ticket type, keeping the stored rows of the ids in `keep` (unreadable). */
  replaceTicketTypes(types: TicketType[], keep: readonly string[] = []): void {
    replaceTicketTypes(this.#conn, types, keep);
  }

  /** Replaces the attribute definitions of one model (`keepOthers`: only adds and updates). */
  replaceDataAttributes(
    model: string,
    attributes: DataAttribute[],
    options: { keepOthers?: boolean } = {},
  ): void {
    replaceDataAttributes(this.#conn, model, attributes, options);
  }

  /** Full-text and filtered ticket search. */
  searchTickets(search: TicketSearch): TicketSearchResult {
    return searchTickets(this.#conn, search);
  }

  /** Full-text and filtered company search. */
  searchCompanies(search: CompanySearch): CompanySearchResult {
    return searchCompanies(this.#conn, search);
  }

  /** A ticket (by id or number) with parts, contacts and links; null when not stored. */
  getTicket(id: string): StoredTicket | null {
    return getTicket(this.#conn, id);
  }

  /** A company (by id, company_id or name) with contacts and counts; null when not stored. */
  getCompany(idOrName: string): StoredCompany | null {
    return getCompany(this.#conn, idOrName);
  }

  /** SLA, topics, Fin, attachments and links of a stored conversation; null when not stored. */
  conversationExtras(id: string): StoredConversationExtras | null {
    return readConversationExtras(this.#conn, id);
  }

  /** Where Fin first answered in a stored conversation and where a human took over. */
  finHandoff(id: string): FinHandoff {
    return readFinHandoff(this.#conn, id);
  }

  /** Tags, location, owner and companies of a stored contact; null when not stored. */
  contactExtras(id: string): StoredContactExtras | null {
    return readContactExtras(this.#conn, id);
  }

  /** Labels of the custom attributes of `model` ("contact", "company", "conversation"). */
  attributeLabels(model: string): Record<string, string> {
    return attributeLabels(this.#conn, model);
  }

  /** The plans stored companies are on, with their company counts, the most used first. */
  companyPlans(): { plan: string; companies: number }[] {
    return companyPlans(this.#conn);
  }

  /** Rows of tickets, ticket parts, companies and ticket types. */
  counts(): SupportCounts {
    return supportCounts(this.#conn);
  }

  /** Every stream's position. */
  streams(): StreamState[] {
    return readStreams(this.#conn);
  }

  /** One stream's position. */
  stream(name: string): StreamState {
    return readStream(this.#conn, name);
  }

  /** Saves (or clears with null) where an interrupted run of `name` resumes. */
  setStreamCheckpoint(name: string, checkpoint: unknown | null): void {
    setStreamCheckpoint(this.#conn, name, checkpoint, unixSeconds(this.#clock));
  }

  /** Sets `name`'s completed cursor and clears its checkpoint. */
  completeStream(name: string, cursor: number): void {
    completeStream(this.#conn, name, cursor, unixSeconds(this.#clock));
  }
}

/** Tables `Store.clearSyncData` empties besides the conversation tables (children first). */
export const SUPPORT_TABLES = [
  "ticket_unspaced",
  "ticket_parts",
  "ticket_contacts",
  "tickets",
  "ticket_types",
  "companies",
  "contact_companies",
  "object_links",
  "data_attributes",
  "sync_streams",
] as const;

/** Empties the full-text indexes of tickets and companies (before their rows are deleted). */
export function clearSupportFullText(conn: Connection): void {
  conn.run("INSERT INTO tickets_fts (tickets_fts) VALUES ('delete-all')");
  conn.run("INSERT INTO companies_fts (companies_fts) VALUES ('delete-all')");
}
