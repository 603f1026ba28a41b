/**
 * Following a file by name, like `tail -F`: new lines are yielded as they are written; when
 * the file is rotated (renamed away and recreated) the rest of the old file is read and the
 * new one is followed from its start; when it is truncated, reading restarts at its start.
 * Changes are noticed through file-system events, with polling as the fallback (and as a
 * safety net for events that never come, e.g. on network file systems).
 */
import { basename, dirname } from "node:path";
import { concatBytes } from "../util/bytes.ts";
import { realSleep, type Sleep } from "../util/clock.ts";

const NEWLINE = 10;

/** Options for {@link followFile}. */
export interface FollowOptions {
  /** Stops following (the generator returns). Default: never. */
  signal?: AbortSignal;
  /** Offset in the current file to start from. Default: its end (only new lines). */
  from?: number;
  /** Use file-system events. Default: true. */
  watch?: boolean;
  /** Polling period. Default: 500 ms with events, 50 ms without. */
  pollIntervalMs?: number;
  /** Default: a real timer. */
  sleep?: Sleep;
}

/** A wake-up signal fed by file-system events on the file's directory. */
class Watcher implements Disposable {
  #watcher: Deno.FsWatcher | null = null;
  #wake: (() => void) | null = null;
  #changed = false;

  constructor(path: string) {
    const name = basename(path);
    try {
      this.#watcher = Deno.watchFs(dirname(path), { recursive: false });
    } catch {
      return; // no watching here: polling alone
    }
    const watcher = this.#watcher;
    (async () => {
      try {
        for await (const event of watcher) {
          if (event.paths.some((p) => basename(p) === name)) this.#notify();
        }
      } catch {
        // the watcher closed or failed: polling goes on
      }
    })();
  }

  get active(): boolean {
    return this.#watcher !== null;
  }

  #notify(): void {
    this.#changed = true;
    this.#wake?.();
  }

  /** Resolves at the next event, after `ms`, or when `signal` aborts. */
  async wait(ms: number, sleep: Sleep, signal: AbortSignal | undefined): Promise<void> {
    if (this.#changed) {
      this.#changed = false;
      return;
    }
    const timer = new AbortController();
    const woken = new Promise<void>((resolve) => (this.#wake = resolve));
    const stop = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
      await Promise.race([woken, sleep(ms, stop).catch(() => {})]);
    } finally {
      timer.abort();
      this.#wake = null;
      this.#changed = false;
    }
  }

  [Symbol.dispose](): void {
    try {
      this.#watcher?.close();
    } catch {
      // already closed
    }
    this.#watcher = null;
  }
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Splits bytes into decoded lines; returns the bytes of an unfinished last line. */
function splitLines(bytes: Uint8Array, decoder: TextDecoder, out: string[]): Uint8Array {
  let start = 0;
  for (let nl = bytes.indexOf(NEWLINE); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
    const end = nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl;
    out.push(decoder.decode(bytes.subarray(start, end)));
    start = nl + 1;
  }
  return bytes.slice(start);
}

/** Yields batches of new complete lines of `path` until `signal` aborts. */
export async function* followFile(
  path: string,
  options: FollowOptions = {},
): AsyncGenerator<string[]> {
  const { signal } = options;
  const sleep = options.sleep ?? realSleep;
  using watcher = new Watcher(path);
  const pollMs = options.pollIntervalMs ?? (options.watch !== false && watcher.active ? 500 : 50);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(1 << 16);
  let file: Deno.FsFile | null = null;
  let ino: number | null = null;
  let offset = options.from ?? -1;
  let pending: Uint8Array = new Uint8Array(0);

  const open = async (): Promise<void> => {
    try {
      file = await Deno.open(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    const info = await file.stat();
    ino = info.ino;
    if (offset < 0) offset = info.size;
    if (offset > info.size) offset = 0; // truncated while it was not open
  };
  const close = () => {
    (file as Deno.FsFile | null)?.close();
    file = null;
  };
  /** Reads what was appended since `offset`; returns the complete lines. */
  const drain = async (): Promise<string[]> => {
    const lines: string[] = [];
    if (file === null) return lines;
    const f: Deno.FsFile = file;
    await f.seek(offset, Deno.SeekMode.Start);
    for (;;) {
      const n = await f.read(buffer);
      if (n === null || n === 0) break;
      offset += n;
      pending = splitLines(concatBytes(pending, buffer.subarray(0, n)), decoder, lines);
    }
    return lines;
  };

  try {
    await open();
    while (!signal?.aborted) {
      const lines = await drain();
      if (lines.length > 0) yield lines;
      const now = await statOrNull(path);
      const replaced = file === null ? now !== null : now === null || now.ino !== ino;
      if (replaced) {
        // rotated (or recreated): finish the old file, then follow the new one from its start
        const rest = await drain();
        if (pending.length > 0) rest.push(decoder.decode(pending));
        pending = new Uint8Array(0);
        if (rest.length > 0) yield rest;
        close();
        offset = 0;
        await open();
        continue;
      }
      if (now !== null && now.size < offset) {
        offset = 0; // truncated in place
        pending = new Uint8Array(0);
        continue;
      }
      if (now !== null && now.size > offset) continue;
      await watcher.wait(pollMs, sleep, signal);
    }
  } finally {
    close();
  }
}

/** One batch from {@link mergeLive}: which source it came from, and its items. */
export interface LiveBatch<T> {
  source: number;
  items: T;
}

/** Interleaves several endless streams as their items arrive (no ordering across sources). */
export async function* mergeLive<T>(sources: AsyncIterable<T>[]): AsyncGenerator<LiveBatch<T>> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    pending.set(index, iterators[index]!.next().then((result) => ({ index, result })));
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield { source: index, items: result.value };
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
