/** Time sources, injected so that rates, ETAs, retries and rate limits are testable. */

/** Milliseconds since the Unix epoch, like `Date.now`. */
export type Clock = () => number;

/** Waits `ms` milliseconds; rejects with the signal's reason when `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const systemClock: Clock = () => Date.now();

/** The real sleep: a timer that is cleared when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Current time as integer Unix seconds (UTC), the unit every stored time uses. */
export function unixSeconds(clock: Clock = systemClock): number {
  return Math.floor(clock() / 1000);
}

/** A Unix-seconds time as an ISO 8601 UTC string with `Z`. */
export function isoFromSeconds(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** {@link isoFromSeconds} keeping null (a time not known yet). */
export function isoOrNull(seconds: number | null): string | null {
  return seconds === null ? null : isoFromSeconds(seconds);
}
