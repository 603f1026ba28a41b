/**
 * Bounded concurrency: run an async function over items with at most N in flight.
 * Our own: `@std/async`' `pooledMap` is on JSR only, not reachable from the npm registry.
 */

/**
 * Maps `items` through `fn` with at most `concurrency` calls in flight, keeping input order.
 * The first rejection stops new calls and is rethrown once the in-flight ones settle.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}

/**
 * A shared limit of `size` calls in flight, served first come first served: a page's fetches
 * queued before the next page's run before them, so pages complete in order while the pool
 * never drains between them.
 */
export class TaskPool {
  readonly size: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Calls in flight now. */
  get active(): number {
    return this.#active;
  }

  /** Runs `fn` once a slot is free; an aborted `signal` rejects instead of running it. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#active < this.size) this.#active++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // slot handed over
    try {
      signal?.throwIfAborted();
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
