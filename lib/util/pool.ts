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
