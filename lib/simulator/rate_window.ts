/**
 * Intercom-style fixed rate windows aligned to the clock (`floor(now / windowSeconds)`), with
 * the `X-RateLimit-*` headers every authenticated response carries.
 */
import { type Clock, systemClock } from "../util/clock.ts";

/** A rate limit: `limit` requests per `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** The outcome of counting one request. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the current window ends. */
  reset: number;
}

/** Counts requests per clock-aligned window. */
export class RateWindow {
  readonly #limit: RateLimit;
  readonly #clock: Clock;
  #window = -1;
  #count = 0;

  /** `clock` (ms) defaults to the system clock. */
  constructor(limit: RateLimit, options: { clock?: Clock } = {}) {
    if (!(limit.limit >= 0) || !(limit.windowSeconds > 0)) {
      throw new RangeError(
        `Invalid rate limit ${limit.limit}/${limit.windowSeconds}s: need limit ≥ 0 and a window > 0`,
      );
    }
    this.#limit = limit;
    this.#clock = options.clock ?? systemClock;
  }

  /** Counts one request in the current window and says whether it is within the limit. */
  take(): RateDecision {
    const windowMs = this.#limit.windowSeconds * 1000;
    const window = Math.floor(this.#clock() / windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#count = 0;
    }
    this.#count++;
    return {
      allowed: this.#count <= this.#limit.limit,
      limit: this.#limit.limit,
      remaining: Math.max(0, this.#limit.limit - this.#count),
      reset: Math.ceil(((window + 1) * windowMs) / 1000),
    };
  }
}

/** The `X-RateLimit-*` headers for a decision. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(decision.limit),
    "X-RateLimit-Remaining": String(decision.remaining),
    "X-RateLimit-Reset": String(decision.reset),
  };
}

/** Intercom's 429 message, e.g. "Exceeded rate limit of 167 in 10_seconds". */
export function rateLimitMessage(limit: RateLimit): string {
  return `Exceeded rate limit of ${limit.limit} in ${limit.windowSeconds}_seconds`;
}
