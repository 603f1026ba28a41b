/**
 * When a stored copy may be skipped. Intercom's `updated_at` has whole seconds, so a reply that
 * lands in the second a conversation was read leaves `updated_at` as it was: equal timestamps
 * do not mean "unchanged". A copy is known complete only when it was requested in a later
 * second than its `updated_at` — every change of that second happened before the request.
 *
 * The request second comes from this machine's clock, Intercom stamps `updated_at` with its
 * own: {@link CLOCK_MARGIN_SECONDS} absorbs a clock running ahead by up to that much. The cost of
 * the margin is a second fetch of a conversation read within that many seconds of its last
 * change, which is rare; the cost of no margin would be a lost reply.
 */

/** Seconds this machine's clock may run ahead of Intercom's without losing a change. */
export const CLOCK_MARGIN_SECONDS = 2;

/** What the store holds of a record. */
export interface StoredCopyTimes {
  updatedAt: number;
  /** The second the copy was requested; null when unknown. */
  fetchedAt: number | null;
}

/**
 * True when the stored copy certainly holds everything up to `updatedAt` (the search's
 * `updated_at` of the record): it is not older, and it was requested in a later second than
 * its own `updated_at` (by more than the clock margin).
 */
export function storedCopyIsCurrent(
  stored: StoredCopyTimes | undefined,
  updatedAt: number,
): boolean {
  if (stored === undefined || stored.updatedAt < updatedAt) return false;
  return requestedAfter(stored.fetchedAt, stored.updatedAt);
}

/**
 * True when a copy requested in second `fetchedAt` certainly reflects everything that happened
 * up to second `at` (a later second, by more than the clock margin). A stored contact is
 * refreshed unless it was requested after the latest change of a conversation naming it.
 */
export function requestedAfter(fetchedAt: number | null, at: number): boolean {
  return fetchedAt !== null && fetchedAt - CLOCK_MARGIN_SECONDS > at;
}
