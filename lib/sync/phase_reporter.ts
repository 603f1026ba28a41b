/**
 * What a sync is doing when it is not counting conversations, for its progress: the work of the
 * moment ("fetching 340 contacts for batch 7", "finishing") and, over it, a wait for the API's
 * rate limit ("waiting for rate limit, resets in 7s"), read from the client's limiter every
 * half second. Without it the bar freezes for 8 s of every 10 s at 167 requests per 10 s, and
 * shows "100% ETA 0s" while the last batch's contacts are fetched.
 */
import type { RateLimitWait } from "../intercom/rate_limiter.ts";
import type { OperationHandle } from "../progress/progress.ts";
import type { Clock } from "../util/clock.ts";

/** The wait as people read it, counting down to the window's reset. */
export function waitPhase(wait: RateLimitWait, nowMs: number): string {
  const seconds = Math.max(1, Math.ceil((wait.untilMs - nowMs) / 1000));
  return wait.reason === "429"
    ? `rate limited by Intercom (429), resumes in ${seconds}s`
    : `waiting for rate limit, resets in ${seconds}s`;
}

/** Options for {@link PhaseReporter}. */
export interface PhaseReporterOptions {
  /** Default: `Date.now`. */
  clock?: Clock;
  /** How often the limiter is read; 0: only when {@link PhaseReporter.tick} is called. Default 500. */
  intervalMs?: number;
}

/** Sets the operation's phase from the work of the moment and the limiter's wait. */
export class PhaseReporter implements Disposable {
  readonly #op: OperationHandle | undefined;
  readonly #limiter: { readonly rateLimitWait: RateLimitWait | null };
  readonly #clock: Clock;
  #work: string | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    op: OperationHandle | undefined,
    limiter: { readonly rateLimitWait: RateLimitWait | null },
    options: PhaseReporterOptions = {},
  ) {
    this.#op = op;
    this.#limiter = limiter;
    this.#clock = options.clock ?? Date.now;
    const interval = options.intervalMs ?? 500;
    if (op !== undefined && interval > 0) {
      this.#timer = setInterval(() => this.tick(), interval);
      Deno.unrefTimer(this.#timer);
    }
  }

  /** Names the work of the moment (null: back to counting conversations). */
  work(phase: string | null): void {
    this.#work = phase;
    this.tick();
  }

  /** Reads the limiter and updates the phase. */
  tick(): void {
    if (this.#op === undefined) return;
    const wait = this.#limiter.rateLimitWait;
    if (wait === null) {
      this.#op.phase(this.#work);
      return;
    }
    const waiting = waitPhase(wait, this.#clock());
    this.#op.phase(this.#work === null ? waiting : `${waiting} (${this.#work})`, {
      rateLimited: true,
    });
  }

  /** Stops reading the limiter. */
  [Symbol.dispose](): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
