/**
 * A small seeded pseudo-random generator (mulberry32) so the simulator's workspace, faults,
 * latency and mutations are reproducible from a seed.
 */

/** Mixes a seed with a stream label so independent streams (faults, latency) do not correlate. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
}

const tables = new WeakMap<object, { entries: [string, number][]; total: number }>();

/** A deterministic random source: the same seed yields the same sequence. */
export class Prng {
  #state: number;

  /** Starts the sequence for `seed` (any number; only its low 32 bits matter). */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("Prng.pick() needs a non-empty array");
    return item;
  }

  /**
   * A key of `weights` chosen with probability proportional to its weight. Pass a constant
   * table: its entries are computed once and cached.
   */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    let table = tables.get(weights);
    if (!table) {
      const entries = Object.entries(weights) as [string, number][];
      if (entries.length === 0) throw new RangeError("Prng.weighted() needs at least one weight");
      table = { entries, total: entries.reduce((sum, [, w]) => sum + w, 0) };
      tables.set(weights, table);
    }
    let r = this.next() * table.total;
    for (const [key, w] of table.entries) {
      r -= w;
      if (r < 0) return key as K;
    }
    return table.entries[table.entries.length - 1]![0] as K;
  }

  /** A standard normal sample (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An exponential sample with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
