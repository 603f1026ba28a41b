/**
 * Rate and ETA from a time-weighted exponential moving average of items per second.
 *
 * Each interval's rate is blended in with a weight that depends on how long the interval was,
 * so the estimate is an average over time, not over update calls: noisy per-update rates and
 * bursts of calls do not make it jump. Data older than `decaySeconds` weighs at most 10%
 * (as in indicatif). The start is debiased, so early estimates are not dragged towards zero.
 */

/** Options for {@link RateEstimator}. */
export interface RateEstimatorOptions {
  /** Age in seconds after which a sample weighs 10% of the estimate. Default: 15. */
  decaySeconds?: number;
  /** Samples closer together than this are merged into the next one. Default: 100 ms. */
  minSampleMs?: number;
  /** Observed time needed before a rate is reported; until then `rate()` is null. Default: 1000 ms. */
  warmupMs?: number;
}

/** A smoothed items-per-second estimate fed with (count, time) samples. */
export class RateEstimator {
  readonly #decayMs: number;
  readonly #minSampleMs: number;
  readonly #warmupMs: number;
  #smoothed = 0;
  #weight = 0;
  #observedMs = 0;
  #lastTime: number | null = null;
  #lastCount = 0;

  constructor(options: RateEstimatorOptions = {}) {
    this.#decayMs = (options.decaySeconds ?? 15) * 1000;
    this.#minSampleMs = options.minSampleMs ?? 100;
    this.#warmupMs = options.warmupMs ?? 1000;
  }

  /** Records that the counter stood at `count` at time `nowMs`. Cheap; call on every update. */
  record(count: number, nowMs: number): void {
    if (this.#lastTime === null || count < this.#lastCount) {
      // first sample, or the counter went backwards (a restart): begin a new baseline
      this.#lastTime = nowMs;
      this.#lastCount = count;
      return;
    }
    const elapsedMs = nowMs - this.#lastTime;
    if (elapsedMs < this.#minSampleMs) return;
    const rate = ((count - this.#lastCount) * 1000) / elapsedMs;
    const keep = Math.pow(0.1, elapsedMs / this.#decayMs);
    this.#smoothed = this.#smoothed * keep + rate * (1 - keep);
    this.#weight = this.#weight * keep + (1 - keep);
    this.#observedMs += elapsedMs;
    this.#lastTime = nowMs;
    this.#lastCount = count;
  }

  /** Smoothed items per second, or null until `warmupMs` of data has been seen. */
  rate(): number | null {
    if (this.#observedMs < this.#warmupMs || this.#weight <= 0) return null;
    return this.#smoothed / this.#weight;
  }

  /** Seconds until `remaining` more items are done at the smoothed rate; null when unknown. */
  eta(remaining: number): number | null {
    const rate = this.rate();
    if (rate === null || rate <= 0 || remaining < 0) return null;
    return remaining / rate;
  }
}
