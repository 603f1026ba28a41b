/**
 * Merging several time-ordered streams of log lines into one, by timestamp: the families of
 * the log directory (see log_reader.ts), or live files followed side by side.
 */
import type { LogHead } from "./entry.ts";

/** Lines per merged batch. */
const BATCH = 1000;

interface Cursor<T> {
  source: AsyncIterator<T[]>;
  batch: T[];
  index: number;
}

async function advance<T>(cursor: Cursor<T>): Promise<boolean> {
  while (cursor.index >= cursor.batch.length) {
    const next = await cursor.source.next();
    if (next.done) return false;
    cursor.batch = next.value;
    cursor.index = 0;
  }
  return true;
}

async function* merge<T extends LogHead>(
  sources: AsyncIterable<T[]>[],
  before: (a: string, b: string) => boolean,
): AsyncGenerator<T[]> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  let cursors: Cursor<T>[] = iterators.map((source) => ({ source, batch: [], index: 0 }));
  try {
    cursors = (await Promise.all(cursors.map(async (c) => (await advance(c)) ? c : null)))
      .filter((c): c is Cursor<T> => c !== null);
    while (cursors.length > 0) {
      if (cursors.length === 1) {
        const only = cursors[0]!;
        yield only.batch.slice(only.index);
        for (let next = await only.source.next(); !next.done; next = await only.source.next()) {
          yield next.value;
        }
        return;
      }
      const out: T[] = [];
      while (out.length < BATCH && cursors.length > 1) {
        let best = cursors[0]!;
        for (const cursor of cursors) {
          if (before(cursor.batch[cursor.index]!.timestamp, best.batch[best.index]!.timestamp)) {
            best = cursor;
          }
        }
        out.push(best.batch[best.index++]!);
        if (!(await advance(best))) cursors = cursors.filter((c) => c !== best);
      }
      yield out;
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}

/** Merges streams ordered oldest first into one ordered oldest first (stable on ties). */
export function mergeAscending<T extends LogHead>(
  sources: AsyncIterable<T[]>[],
): AsyncGenerator<T[]> {
  return merge(sources, (a, b) => a < b);
}

/** Merges streams ordered newest first into one ordered newest first. */
export function mergeDescending<T extends LogHead>(
  sources: AsyncIterable<T[]>[],
): AsyncGenerator<T[]> {
  return merge(sources, (a, b) => a > b);
}
