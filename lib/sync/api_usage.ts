/**
 * The API calls of one run, as deltas from a snapshot of the client's stats taken when the run
 * began: the client is shared (a server's background syncs, the streams of one sync), so its
 * totals include calls made before and beside the run.
 */
import type { ClientStats } from "../intercom/client.ts";
import type { ApiRequestCounts, RunCounts } from "./run_record.ts";

/** A run's API calls since this was created. */
export class ApiUsage {
  readonly #client: { readonly stats: ClientStats };
  readonly #base: ClientStats;
  readonly #requestBase: ApiRequestCounts;

  constructor(client: { readonly stats: ClientStats }) {
    this.#client = client;
    this.#base = { ...client.stats };
    this.#requestBase = structuredClone(client.stats.byEndpoint);
  }

  /** Requests, retries and 429s since creation. */
  calls(): Pick<RunCounts, "apiCalls" | "retries" | "rateLimited"> {
    const now = this.#client.stats;
    const base = this.#base;
    return {
      apiCalls: now.requests - base.requests,
      retries: now.retries - base.retries,
      rateLimited: now.rateLimited - base.rateLimited,
    };
  }

  /** Requests by endpoint and outcome since creation (see `ClientStats.byEndpoint`). */
  requests(): ApiRequestCounts {
    const requests: ApiRequestCounts = {};
    for (const [endpoint, byStatus] of Object.entries(this.#client.stats.byEndpoint)) {
      for (const [status, n] of Object.entries(byStatus)) {
        const made = n - (this.#requestBase[endpoint]?.[status] ?? 0);
        if (made > 0) (requests[endpoint] ??= {})[status] = made;
      }
    }
    return requests;
  }
}
