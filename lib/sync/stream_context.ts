/**
 * What the sync streams beyond conversations (tickets, companies) share: their dependencies,
 * how they report progress ("tickets: page 3/12") and set unreadable records aside, and what a
 * stream run returns.
 */
import type { IntercomClient } from "../intercom/client.ts";
import type { MalformedRecordError } from "../intercom/errors.ts";
import type { OperationHandle } from "../progress/progress.ts";
import type { Store } from "../store/store.ts";
import type { Clock, Sleep } from "../util/clock.ts";

/** A record of a stream that Intercom answered in a shape that cannot be read. */
export interface StreamQuarantine {
  kind: "ticket" | "company";
  id: string;
  reason: string;
  endpoint: string | null;
}

/** What a stream needs; the engine passes its own. */
export interface StreamContext {
  store: Store;
  client: IntercomClient;
  clock: Clock;
  /** Waits (the company scroll's expiry). */
  sleep: Sleep;
  signal?: AbortSignal | undefined;
  /** The run's progress operation; the stream names itself in every message. */
  op?: OperationHandle | undefined;
  /** Sets a record aside; the stream goes on with the rest (and retries it next run). */
  quarantine(entry: StreamQuarantine): void;
  /** Takes records that now read out of the quarantine. */
  unquarantine(kind: StreamQuarantine["kind"], ids: string[]): void;
}

/** What one run of a stream did. */
export interface StreamResult {
  stream: "tickets" | "companies";
  /** Records the stream's listing returned. */
  seen: number;
  /** Records stored (fetched or, for companies, taken from the listing). */
  stored: number;
  /** Records already current in the store. */
  skipped: number;
  /** Parts stored (tickets). */
  partsUpserted: number;
  /** Records set aside as unreadable this run. */
  quarantined: number;
  /** Records gone from Intercom between listing and fetch (404). */
  vanished: number;
  /** Pages (search pages, scroll pages) requested. */
  pages: number;
  /** The window (tickets) or pass (companies) covered, Unix seconds. */
  windowStart: number | null;
  windowEnd: number;
  /** True when this run continued an interrupted one. */
  resumed: boolean;
  /** The stream's cursor after the run. */
  cursor: number | null;
}

/** A run of `stream` that has done nothing yet, over the window (or pass) of `fields`. */
export function newStreamResult(
  stream: StreamResult["stream"],
  fields: Pick<StreamResult, "windowStart" | "windowEnd" | "resumed" | "cursor">,
): StreamResult {
  return {
    stream,
    seen: 0,
    stored: 0,
    skipped: 0,
    partsUpserted: 0,
    quarantined: 0,
    vanished: 0,
    pages: 0,
    ...fields,
  };
}

/** The quarantine entry of a `MalformedRecordError`. */
export function quarantineEntry(
  kind: StreamQuarantine["kind"],
  id: string,
  error: MalformedRecordError,
): StreamQuarantine {
  return { kind, id: error.recordId ?? id, reason: error.reason, endpoint: error.endpoint };
}

/** `"tickets: page 3/12"` (or `"page 3"` without a known total). */
export function pageLabel(stream: string, page: number, totalPages: number | null): string {
  return totalPages === null
    ? `${stream}: page ${page}`
    : `${stream}: page ${page}/${Math.max(page, totalPages)}`;
}
