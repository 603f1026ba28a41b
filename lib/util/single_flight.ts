/**
 * A shared read: concurrent callers of the same expensive read wait for one run of it, and
 * its answer is reused for `ttlMs` after it arrives. For figures many requests ask for at
 * once and that may be a moment old (the process registry read by every status call).
 */

/** Options of {@link sharedRead}. */
export interface SharedReadOptions {
  /** How long an answer is reused. Default 1000 ms. */
  ttlMs?: number;
  /** Default: `Date.now`. */
  clock?: () => number;
}

/** `read`, shared among concurrent callers and reused for `ttlMs`; a failure is not kept. */
export function sharedRead<T>(
  read: () => Promise<T>,
  options: SharedReadOptions = {},
): () => Promise<T> {
  const ttlMs = options.ttlMs ?? 1000;
  const clock = options.clock ?? Date.now;
  let pending: Promise<T> | null = null;
  let kept: { value: T; at: number } | null = null;
  return () => {
    if (kept !== null && clock() - kept.at < ttlMs) return Promise.resolve(kept.value);
    pending ??= read().then(
      (value) => {
        kept = { value, at: clock() };
        pending = null;
        return value;
      },
      (error) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };
}
