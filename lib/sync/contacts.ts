/**
 * Contacts of the conversations a sync stores. `POST /contacts/search` is the cheap way (100
 * ids a request) but, as Intercom's description says, it leaves out merged contacts and does
 * not find new ones for a few minutes. So:
 *
 * - ids the search does not return are asked for one by one (`GET /contacts/{id}`, which finds
 *   new contacts at once);
 * - what still cannot be had (404: deleted or merged away; or an error) goes on a persistent
 *   list of missing contacts, retried at the start of every run; for a contact that answers
 *   404 the conversations naming it are fetched again, since a merge moves them to the
 *   contact merged into (who is then looked up like any other);
 * - a stored contact is looked up again when it was requested before the latest change of a
 *   conversation naming it (`requestedAfter`), so contacts are never older than the
 *   conversations that reference them;
 * - a contact whose body cannot be read is quarantined (kind "contact") and retried too;
 * - an incremental run also reads the contacts changed since its window's start (newest first,
 *   stopping at the start) and refreshes those it stores: a contact can change while no
 *   conversation naming it does. Contact search compares dates by calendar day in the
 *   workspace's time zone, so the query asks for two days more and the seconds decide; stored
 *   contacts created in the last 15 minutes, which contact search may not return yet, are
 *   asked for by id.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient } from "../intercom/client.ts";
import { AuthError, IntercomError, MalformedRecordError } from "../intercom/errors.ts";
import type { Contact, Conversation } from "../intercom/types.ts";
import type { Store } from "../store/store.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { mapPool } from "../util/pool.ts";
import { requestedAfter } from "./freshness.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Ids per contact search (one request). */
const IDS_PER_SEARCH = 100;
/** Contacts asked for one by one at the same time. */
const GET_CONCURRENCY = 4;
/** Contact search compares dates by day in the workspace's time zone: ask this much earlier. */
const DAY_SLACK_SECONDS = 2 * 86_400;
/**
 * Contact search may not return a contact for "a few minutes" after its creation (Intercom's
 * description); contacts younger than this are refreshed by id instead.
 */
const SEARCH_LAG_SECONDS = 15 * 60;
/** The reason recorded for a contact that answers 404. */
export const CONTACT_NOT_FOUND = "not found (404): deleted, or merged into another contact";

/** What one lookup found, to be committed with its page. */
export interface ContactBatch {
  contacts: Contact[];
  /** The second of the batch's first request: every copy is at least that recent. */
  fetchedAt: number;
  /** Contacts that could not be had, and why. */
  missing: { id: string; reason: string }[];
  /** Contacts whose body cannot be read (quarantined). */
  unreadable: { id: string; reason: string; endpoint: string }[];
}

/** What the start of a run learns about earlier missing and quarantined contacts. */
export interface ContactRetry {
  batch: ContactBatch;
  /** Stored conversations naming a contact that answers 404: fetched again by this run. */
  revisit: string[];
}

/** Dependencies of {@link ContactResolver}. */
export interface ContactResolverDeps {
  store: Store;
  client: IntercomClient;
  clock: Clock;
}

/** Looks up the contacts of fetched conversations for one run. */
export class ContactResolver {
  readonly #deps: ContactResolverDeps;
  readonly #force: boolean;
  /** Contacts this run asked for already, with the second it asked. */
  readonly #asked = new Map<string, number>();

  /** With `force`, every contact is looked up once per run whatever the store holds. */
  constructor(deps: ContactResolverDeps, options: { force?: boolean } = {}) {
    this.#deps = deps;
    this.#force = options.force ?? false;
  }

  /** Looks up the contacts `conversations` name that the store lacks or holds too old a copy of. */
  async resolve(
    conversations: readonly Conversation[],
    signal?: AbortSignal,
  ): Promise<ContactBatch> {
    const latest = new Map<string, number>();
    for (const c of conversations) {
      for (const { id } of c.contacts) latest.set(id, Math.max(latest.get(id) ?? 0, c.updated_at));
    }
    const stored = this.#deps.store.contactFetchTimes([...latest.keys()]);
    const wanted = [...latest].filter(([id, updatedAt]) => {
      const asked = this.#asked.get(id);
      if (this.#force) return asked === undefined;
      return !requestedAfter(asked ?? stored.get(id) ?? null, updatedAt);
    }).map(([id]) => id);
    return await this.#lookUp(wanted, signal);
  }

  /** Asks again for every missing and quarantined contact (start of a run). */
  async retry(signal?: AbortSignal): Promise<ContactRetry> {
    const { store } = this.#deps;
    const ids = [
      ...new Set([
        ...store.missingContacts().map((m) => m.id),
        ...store.quarantined("contact").map((q) => q.id),
      ]),
    ];
    const batch = this.#emptyBatch();
    if (ids.length === 0) return { batch, revisit: [] };
    await this.#getEach(ids, batch, signal);
    const gone = batch.missing.filter((m) => m.reason === CONTACT_NOT_FOUND).map((m) => m.id);
    const revisit = store.conversationsNaming(gone);
    log.info(
      "retried {count} missing or unreadable contact(s): {found} found, {gone} gone " +
        "({revisit} conversation(s) naming them fetched again)",
      {
        count: ids.length,
        found: batch.contacts.length,
        gone: gone.length,
        revisit: revisit.length,
      },
    );
    return { batch, revisit };
  }

  /**
   * Reads the contacts updated since `since` (newest first, stopping at `since` while the
   * answer shows itself sorted) and returns the stored ones among them, to refresh.
   */
  async changedSince(since: number, signal?: AbortSignal): Promise<ContactBatch> {
    const { store, client } = this.#deps;
    const batch = this.#emptyBatch();
    const pages = client.searchContacts(
      { field: "updated_at", operator: ">", value: since - DAY_SLACK_SECONDS },
      {
        perPage: 150,
        sort: { field: "updated_at", order: "descending" },
        skipUnreadable: true,
        ...(signal ? { signal } : {}),
      },
    );
    let last = Infinity;
    let sorted = true;
    let read = 0;
    for await (const page of pages) {
      read += page.items.length;
      const stored = store.contactFetchTimes(page.items.map((c) => c.id));
      for (const contact of page.items) {
        if (contact.updated_at !== null && contact.updated_at > last) sorted = false;
        last = Math.min(last, contact.updated_at ?? last);
        if (!stored.has(contact.id) || (contact.updated_at ?? Infinity) < since) continue;
        if (requestedAfter(this.#asked.get(contact.id) ?? null, contact.updated_at ?? Infinity)) {
          continue; // looked up by this run after that change
        }
        batch.contacts.push(contact);
      }
      for (const item of page.unreadable) {
        if (item.id !== null && stored.has(item.id)) {
          batch.unreadable.push({
            id: item.id,
            reason: item.reason,
            endpoint: "POST /contacts/search",
          });
        }
      }
      if (sorted && last < since) break;
    }
    // Contact search leaves out contacts created in the last few minutes: the stored ones that
    // young are asked for by id (unless this run asked already).
    const found = new Set(batch.contacts.map((c) => c.id));
    const young = store.contactsCreatedAfter(unixSeconds(this.#deps.clock) - SEARCH_LAG_SECONDS)
      .filter((id) => !found.has(id) && !this.#asked.has(id));
    await this.#getEach(young, batch, signal);
    log.debug(
      "{read} contact(s) changed since {since} read, {stored} of them stored; {young} young " +
        "contact(s) asked for by id",
      { read, since, stored: batch.contacts.length, young: young.length },
    );
    return batch;
  }

  #emptyBatch(): ContactBatch {
    return { contacts: [], fetchedAt: unixSeconds(this.#deps.clock), missing: [], unreadable: [] };
  }

  async #lookUp(ids: string[], signal: AbortSignal | undefined): Promise<ContactBatch> {
    const batch = this.#emptyBatch();
    if (ids.length === 0) return batch;
    for (const id of ids) this.#asked.set(id, batch.fetchedAt);
    const found = new Set<string>();
    const retry: string[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
      const chunk = ids.slice(i, i + IDS_PER_SEARCH);
      try {
        const pages = this.#deps.client.searchContacts(
          { field: "id", operator: "IN", value: chunk },
          { perPage: 150, skipUnreadable: true, ...(signal ? { signal } : {}) },
        );
        for await (const page of pages) {
          for (const contact of page.items) {
            batch.contacts.push(contact);
            found.add(contact.id);
          }
        }
      } catch (error) {
        if (!recoverable(error, signal)) throw error;
        log.warning("contact search failed ({error}); asking for {count} contacts one by one", {
          error: (error as Error).message,
          count: chunk.length,
        });
      }
    }
    for (const id of ids) if (!found.has(id)) retry.push(id);
    await this.#getEach(retry, batch, signal);
    return batch;
  }

  /** `GET /contacts/{id}` for each of `ids`, sorting the outcomes into `batch`. */
  async #getEach(ids: string[], batch: ContactBatch, signal: AbortSignal | undefined) {
    const { client } = this.#deps;
    await mapPool(ids, GET_CONCURRENCY, async (id) => {
      try {
        const contact = await client.getContact(id, signal);
        if (contact) batch.contacts.push(contact);
        else batch.missing.push({ id, reason: CONTACT_NOT_FOUND });
      } catch (error) {
        if (error instanceof MalformedRecordError) {
          batch.unreadable.push({ id, reason: error.reason, endpoint: error.endpoint });
        } else if (recoverable(error, signal)) {
          batch.missing.push({ id, reason: (error as Error).message });
        } else {
          throw error;
        }
      }
    });
  }
}

/** An API failure a contact can wait for (the next run retries it); not auth, not an abort. */
function recoverable(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof IntercomError && !(error instanceof AuthError) &&
    signal?.aborted !== true;
}

/**
 * Writes a batch (inside the caller's transaction): the contacts with their request second,
 * the quarantine and the missing list brought up to date. Returns the contacts written.
 */
export function commitContacts(store: Store, batch: ContactBatch): number {
  const written = store.upsertContacts(batch.contacts, { fetchedAt: batch.fetchedAt });
  const ids = batch.contacts.map((c) => c.id);
  store.clearQuarantine("contact", ids);
  for (const u of batch.unreadable) store.quarantine({ kind: "contact", ...u });
  store.recordMissingContacts(batch.missing);
  store.settleMissingContacts(ids);
  return written;
}
