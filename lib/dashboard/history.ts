/**
 * The charts' data: cumulative counters sampled on each tick, kept for a window (an hour by
 * default) and turned into per-second rates over a short trailing span, so that a sync that
 * commits a page every few seconds draws a line rather than spikes.
 */
import type { Totals } from "./state.ts";

/** One chart point: Unix seconds and per-second rates. */
export interface RatePoint {
  t: number;
  conversations_per_second: number;
  api_calls_per_second: number;
  rate_limited_per_second: number;
  retries_per_second: number;
}

interface Sample {
  ms: number;
  totals: Totals;
}

/** Options for {@link RateHistory}. */
export interface RateHistoryOptions {
  /** Points older than this are dropped. Default: 3600 s. */
  windowSeconds?: number;
  /** Rates are measured over this trailing span. Default: 30 s (a page commits every few). */
  spanSeconds?: number;
}

/** Samples of cumulative totals, and rate points derived from them. */
export class RateHistory {
  readonly #windowMs: number;
  readonly #spanMs: number;
  readonly #samples: Sample[] = [];
  readonly #points: RatePoint[] = [];

  constructor(options: RateHistoryOptions = {}) {
    this.#windowMs = (options.windowSeconds ?? 3600) * 1000;
    this.#spanMs = (options.spanSeconds ?? 30) * 1000;
  }

  /**
   * Adds a sample taken at `ms`; returns the new point (null for the very first sample).
   * `liveRate`, when given, is the conversations/s that running syncs report themselves
   * (smoothed, updated continuously), used instead of the per-page stored totals' delta.
   */
  add(ms: number, totals: Totals, liveRate: number | null = null): RatePoint | null {
    const samples = this.#samples;
    samples.push({ ms, totals: { ...totals } });
    while (samples.length > 2 && samples[1]!.ms <= ms - this.#spanMs) samples.shift();
    while (this.#points.length > 0 && this.#points[0]!.t * 1000 < ms - this.#windowMs) {
      this.#points.shift();
    }
    const base = samples[0]!;
    if (base.ms >= ms) return null;
    const seconds = (ms - base.ms) / 1000;
    // a store reset lowers the totals: read that as no activity, not a negative rate
    const rate = (key: keyof Totals) => Math.max(0, totals[key] - base.totals[key]) / seconds;
    const point: RatePoint = {
      t: Math.round(ms / 1000),
      conversations_per_second: liveRate ?? rate("conversations_fetched"),
      api_calls_per_second: rate("api_calls"),
      rate_limited_per_second: rate("rate_limited"),
      retries_per_second: rate("retries"),
    };
    this.#points.push(point);
    return point;
  }

  /** The points of the window, oldest first. */
  points(): RatePoint[] {
    return [...this.#points];
  }
}
