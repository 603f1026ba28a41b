/**
 * Client-side pacing for Intercom's per-window rate limit, shared by every request in flight
 * (and by every client given the same instance).
 *
 * Intercom counts requests in fixed windows (10 s) and reports `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds the window ends) on each
 * authenticated response. The limiter keeps, for the current window, the lowest `Remaining`
 * the server reported; a request may start while that figure minus the requests still in
 * flight is positive. Counting in-flight requests at their start keeps N concurrent workers
 * from all spending the same "remaining"; taking the lowest report keeps late responses from
 * raising it. When the budget is spent, starts wait for the window's reset plus a margin (or
 * for a response that frees budget); a response from a newer window is adopted at once.
 *
 * Until the first response arrives nothing is known, so only one request (a probe) is let out;
 * if that response carries no rate-limit headers, starts are not paced at all.
 *
 * After a 429 every start waits until `X-RateLimit-Reset`; when that header is missing or
 * absurd (more than a second in the past, or more than 60 s ahead) it waits one window plus
 * up to 10 % jitter.
 */
import { getLogger, type Logger } from "@logtape/logtape";
import { type Clock, realSleep, type Sleep, systemClock } from "../util/clock.ts";

/** Tuning and injected time sources of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Milliseconds clock. Default `systemClock`. */
  clock?: Clock;
  /** Abortable sleep. Default `realSleep`. */
  sleep?: Sleep;
  /** Uniform random source in [0, 1) for the jitter of fallback waits. Default `Math.random`. */
  random?: () => number;
  /** Extra wait past a window's reset before starting the next window, in ms. Default 100. */
  marginMs?: number;
  /** Window length assumed when no header says otherwise, in ms. Default 10_000. */
  windowMs?: number;
  /** A 429's reset further ahead than this is distrusted, in ms. Default 60_000. */
  maxResetAheadMs?: number;
  /** The log category of its lines. Default `["fast-intercom", "api"]`. */
  logCategory?: readonly string[];
}

/** The response facts the limiter learns from. */
export interface RateLimitedResponse {
  readonly status: number;
  readonly headers: Headers;
}

/** A started request's claim on the window budget; release it exactly once when it ends. */
export interface RateLimitPermit {
  /** Frees the slot and learns from the response (`null` when none arrived). Idempotent. */
  release(response?: RateLimitedResponse | null): void;
}

/** A snapshot of the limiter, for status displays and tests. */
export interface RateLimitState {
  /** Requests per window, once a response has said. */
  limit: number | null;
  /** Requests that may still start in the current window; `null` while unknown. */
  available: number | null;
  /** When the current window ends (ms since epoch), once known or estimated. */
  windowEndMs: number | null;
  /** Requests started and not yet released. */
  inFlight: number;
  /** Starts are held until this time (ms since epoch) after a 429; 0 when not blocked. */
  blockedUntilMs: number;
}

/** Requests held by the rate limit right now: until when, and why. */
export interface RateLimitWait {
  /** When the wait ends (ms since epoch): the window's reset plus the margin, or a 429's end. */
  untilMs: number;
  /** `budget`: this window's requests are spent; `429`: Intercom refused one. */
  reason: "budget" | "429";
}

/** Paces request starts to stay within Intercom's per-window rate limit. */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #marginMs: number;
  readonly #windowMs: number;
  readonly #maxResetAheadMs: number;
  readonly #log: Logger;

  #limit: number | null = null;
  #windowEndMs: number | null = null;
  /** True when `#windowEndMs` was extrapolated past `#confirmedEndMs` without a response yet. */
  #estimated = false;
  #confirmedEndMs: number | null = null;
  #serverRemaining = Infinity;
  #inFlight = 0;
  #probed = false;
  #blockedUntilMs = 0;
  #changed = Promise.withResolvers<void>();
  #pauseLoggedFor = 0;
  #waiters = 0;
  #waitUntilMs = 0;
  #waitReason: RateLimitWait["reason"] = "budget";
  #lastWaitMs: number | null = null;

  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#marginMs = options.marginMs ?? 100;
    this.#windowMs = options.windowMs ?? 10_000;
    this.#maxResetAheadMs = options.maxResetAheadMs ?? 60_000;
    this.#log = getLogger([...(options.logCategory ?? ["fast-intercom", "api"])]);
  }

  /** The current pacing state. */
  get state(): RateLimitState {
    const available = this.#available();
    return {
      limit: this.#limit,
      available: Number.isFinite(available) ? available : null,
      windowEndMs: this.#windowEndMs,
      inFlight: this.#inFlight,
      blockedUntilMs: this.#blockedUntilMs,
    };
  }

  /**
   * The rate-limit wait in progress (some request is held until the window resets or a 429's
   * pause ends), or null. Waiting for a slot that a request in flight will free is not one.
   */
  get wait(): RateLimitWait | null {
    return this.#waiters > 0 ? { untilMs: this.#waitUntilMs, reason: this.#waitReason } : null;
  }

  /** When a request last waited for the rate limit (ms since epoch), or null if none has. */
  get lastWaitMs(): number | null {
    return this.#waiters > 0 ? this.#clock() : this.#lastWaitMs;
  }

  /** The sustained ceiling the server allows, in requests per second; null until a response said. */
  get requestsPerSecond(): number | null {
    return this.#limit === null ? null : this.#limit / (this.#windowMs / 1000);
  }

  /** Waits until a request may start, then claims a slot; rejects with the signal's reason. */
  async acquire(signal?: AbortSignal): Promise<RateLimitPermit> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock();
      if (now < this.#blockedUntilMs) {
        const until = this.#blockedUntilMs;
        await this.#held(until, "429", () => this.#sleep(until - now, signal));
        continue;
      }
      this.#rollOver(now);
      if (this.#available() > 0 && (this.#probed || this.#inFlight === 0)) return this.#claim();
      const resumeAt = this.#windowEndMs === null
        ? now + this.#windowMs
        : this.#windowEndMs + this.#marginMs;
      const wait = () => this.#waitForChange(Math.max(0, resumeAt - now), signal);
      if (this.#serverRemaining <= 0) this.#logPause(resumeAt, now);
      // the window's budget is claimed: held until it resets (not merely until a slot frees)
      if (this.#probed && this.#available() <= 0) await this.#held(resumeAt, "budget", wait);
      else await wait();
    }
  }

  /** Runs `sleep` counted as a rate-limit wait until `untilMs`. */
  async #held(
    untilMs: number,
    reason: RateLimitWait["reason"],
    sleep: () => Promise<void>,
  ): Promise<void> {
    if (this.#waiters === 0 || untilMs > this.#waitUntilMs) {
      this.#waitUntilMs = untilMs;
      this.#waitReason = reason;
    }
    this.#waiters++;
    try {
      await sleep();
    } finally {
      this.#waiters--;
      this.#lastWaitMs = this.#clock();
    }
  }

  #available(): number {
    return this.#serverRemaining - this.#inFlight;
  }

  #claim(): RateLimitPermit {
    this.#inFlight++;
    let released = false;
    return {
      release: (response) => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (response) {
          this.#probed = true;
          this.#observe(response);
        }
        const changed = this.#changed;
        this.#changed = Promise.withResolvers<void>();
        changed.resolve();
      },
    };
  }

  /** Starts an estimated new window once the known one has ended and no response said so. */
  #rollOver(now: number): void {
    if (this.#windowEndMs === null || now < this.#windowEndMs + this.#marginMs) return;
    if (!this.#estimated) this.#confirmedEndMs = this.#windowEndMs;
    const passed = Math.floor((now - this.#windowEndMs) / this.#windowMs) + 1;
    this.#windowEndMs += passed * this.#windowMs;
    this.#estimated = true;
    this.#serverRemaining = this.#limit ?? Infinity;
  }

  #observe(response: RateLimitedResponse): void {
    const limit = _headerInt(response.headers, "x-ratelimit-limit");
    const remaining = _headerInt(response.headers, "x-ratelimit-remaining");
    const reset = _headerInt(response.headers, "x-ratelimit-reset");
    if (limit !== null) this.#limit = limit;
    if (remaining !== null && reset !== null) this.#adoptWindow(reset * 1000, remaining);
    if (response.status === 429) this.#block(reset === null ? null : reset * 1000);
  }

  #adoptWindow(endMs: number, remaining: number): void {
    const confirmed = this.#estimated ? this.#confirmedEndMs : this.#windowEndMs;
    if (confirmed === null || endMs > confirmed) {
      this.#windowEndMs = endMs;
      this.#estimated = false;
      this.#serverRemaining = remaining;
    } else if (endMs === confirmed && !this.#estimated) {
      this.#serverRemaining = Math.min(this.#serverRemaining, remaining);
    }
    // Otherwise the response belongs to a window already over: nothing to learn.
  }

  #block(resetMs: number | null): void {
    const now = this.#clock();
    const plausible = resetMs !== null && resetMs > now - 1000 &&
      resetMs <= now + this.#maxResetAheadMs;
    const until = plausible
      ? Math.max(now, resetMs) + this.#marginMs
      : now + this.#windowMs + Math.round(this.#random() * this.#windowMs * 0.1);
    if (until <= this.#blockedUntilMs) return;
    this.#blockedUntilMs = until;
    this.#log.warning(
      "Intercom answered 429 (rate limit exceeded); pausing requests for {waitMs} ms{why}",
      {
        waitMs: until - now,
        why: plausible ? " until the window resets" : " (no usable X-RateLimit-Reset header)",
      },
    );
  }

  #logPause(resumeAt: number, now: number): void {
    if (this.#pauseLoggedFor === resumeAt) return;
    this.#pauseLoggedFor = resumeAt;
    this.#log.info(
      "Rate limit budget spent ({limit} requests per window); pausing {waitMs} ms until the window resets",
      { limit: this.#limit, waitMs: Math.max(0, resumeAt - now) },
    );
  }

  /** Sleeps up to `ms`, waking early when any request is released. */
  async #waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController();
    const slept = this.#sleep(ms, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
    slept.catch(() => {}); // Rejects after `stop.abort()` once a change won the race.
    try {
      await Promise.race([slept, this.#changed.promise]);
    } finally {
      stop.abort();
    }
    signal?.throwIfAborted();
  }
}

function _headerInt(headers: Headers, name: string): number | null {
  const text = headers.get(name);
  if (text === null || text.trim() === "") return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}
