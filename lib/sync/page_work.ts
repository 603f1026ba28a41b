/**
 * One page of a run: what to fetch (`PageJob`), what fetching it gave (`PageWork`), and how
 * that is written to the store. A conversation that cannot be read is set aside (quarantined),
 * one that has gone (404) is skipped; any other failure fails the page.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient } from "../intercom/client.ts";
import { ApiError, MalformedRecordError } from "../intercom/errors.ts";
import type { Conversation } from "../intercom/types.ts";
import type { Store } from "../store/store.ts";
import { type Clock, unixSeconds } from "../util/clock.ts";
import { commitContacts, type ContactBatch } from "./contacts.ts";
import type { SearchOrder } from "./search_order.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** One search of a run: where it starts, and the order its pages have shown. */
export interface SearchState {
  from: number;
  order: SearchOrder;
}

/** A page to work on: a search page, or conversations fetched again by id. */
export interface PageJob {
  /** The search it belongs to; null for conversations fetched again by id. */
  search: SearchState | null;
  /** Where a resumed run may restart its search after this page, if the order allows. */
  resumeAt: number | null;
  /** Conversations of the window this page accounts for. */
  items: number;
  skipped: number;
  fetchIds: string[];
}

/** What working on a page gave, ready to commit. */
export interface PageWork {
  fetched: { conversation: Conversation; fetchedAt: number }[];
  /** Conversations that answered 404. */
  gone: string[];
  /** Conversations that cannot be read. */
  unreadable: { id: string; reason: string; endpoint: string }[];
  contacts: ContactBatch;
}

/** A page's work before anything is fetched. */
export function emptyWork(): PageWork {
  return {
    fetched: [],
    gone: [],
    unreadable: [],
    contacts: { contacts: [], fetchedAt: 0, missing: [], unreadable: [] },
  };
}

/** Fetches conversation `id` into `work`: stored, quarantined or gone; rethrows anything else. */
export async function fetchConversation(
  deps: { client: IntercomClient; clock: Clock },
  id: string,
  work: PageWork,
  signal?: AbortSignal,
): Promise<void> {
  // Taken before the request (and any wait for the rate limit): the copy holds at least every
  // change made before this second.
  const fetchedAt = unixSeconds(deps.clock);
  try {
    work.fetched.push({ conversation: await deps.client.getConversation(id, signal), fetchedAt });
  } catch (error) {
    if (error instanceof MalformedRecordError) {
      log.warning("conversation {id} cannot be read ({reason}): quarantined, retried next sync", {
        id,
        reason: error.reason,
      });
      work.unreadable.push({ id, reason: error.reason, endpoint: error.endpoint });
    } else if (error instanceof ApiError && error.status === 404) {
      log.warning("conversation {id} disappeared before it could be fetched (404); skipped", {
        id,
      });
      work.gone.push(id);
    } else {
      throw error;
    }
  }
}

/**
 * Writes a page's work (inside the caller's transaction): conversations with their fetch
 * second, the quarantine, and the contacts. Returns the parts and contacts written.
 */
export function storePageWork(
  store: Store,
  work: PageWork,
  syncedAt: number,
): { partsUpserted: number; contactsUpserted: number } {
  let partsUpserted = 0;
  for (const { conversation, fetchedAt } of work.fetched) {
    partsUpserted += store.upsertConversation(conversation, syncedAt, { fetchedAt }).partsUpserted;
  }
  store.clearQuarantine("conversation", [
    ...work.fetched.map((f) => f.conversation.id),
    ...work.gone,
  ]);
  for (const u of work.unreadable) store.quarantine({ kind: "conversation", ...u });
  // After the conversations: pruning the missing contacts looks at their links.
  const contactsUpserted = commitContacts(store, work.contacts);
  return { partsUpserted, contactsUpserted };
}
