/**
 * The server's read connection to the store: read-only, opened on first use and kept. In
 * WAL mode its reads see the last committed state and never wait for a running sync.
 *
 * Figures that cost a scan of the store (row counts, the run history) are kept until a
 * commit changes the store (`PRAGMA data_version`): under load, `get_server_status` would
 * otherwise count a million parts on every call.
 */
import { Store } from "../store/store.ts";
import type { StoreStats } from "../store/types.ts";
import type { SyncRun } from "../sync/run_record.ts";

/** Options of {@link ReadStore}. */
export interface ReadStoreOptions {
  /** Opens the store. Default: `Store.open(path, { readOnly: true })`. */
  open?: (path: string) => Store;
}

interface Cached<T> {
  version: number;
  value: T;
}

/** A lazily opened, read-only {@link Store}. */
export class ReadStore implements Disposable {
  readonly path: string;
  #open: (path: string) => Store;
  #store: Store | null = null;
  #stats: Cached<StoreStats> | null = null;
  #runs: Cached<{ limit: number; runs: SyncRun[] }> | null = null;

  constructor(path: string, options: ReadStoreOptions = {}) {
    this.path = path;
    // A small page cache: the OS caches the file anyway, and RSS stays low with many clients.
    this.#open = options.open ?? ((p) => Store.open(p, { readOnly: true, cacheKiB: 8192 }));
  }

  /** The open store; throws the store's error (with its advice) when it cannot be opened. */
  get(): Store {
    this.#store ??= this.#open(this.path);
    return this.#store;
  }

  /** The store, or null when it cannot be opened (for best-effort figures). */
  tryGet(): Store | null {
    try {
      return this.get();
    } catch {
      return null;
    }
  }

  /** `Store.stats()`, recomputed only after a commit (its size on disk always fresh). */
  stats(): StoreStats {
    const store = this.get();
    const version = store.dataVersion();
    if (this.#stats === null || this.#stats.version !== version) {
      this.#stats = { version, value: store.stats() };
      return this.#stats.value;
    }
    return { ...this.#stats.value, sizeBytes: this.#sizeBytes(this.#stats.value.sizeBytes) };
  }

  /** `Store.lastRuns(limit)`, read again only after a commit. */
  lastRuns(limit: number): SyncRun[] {
    const store = this.get();
    const version = store.dataVersion();
    const cached = this.#runs;
    if (cached !== null && cached.version === version && cached.value.limit === limit) {
      return cached.value.runs;
    }
    const runs = store.lastRuns(limit);
    this.#runs = { version, value: { limit, runs } };
    return runs;
  }

  #sizeBytes(fallback: number): number {
    let size = 0;
    for (const path of [this.path, `${this.path}-wal`]) {
      try {
        size += Deno.statSync(path).size;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) return fallback;
      }
    }
    return size;
  }

  /** Closes the connection; safe twice. */
  close(): void {
    this.#store?.close();
    this.#store = null;
    this.#stats = null;
    this.#runs = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
