/**
 * The server's read connection to the store: read-only, opened on first use and kept. In
 * WAL mode its reads see the last committed state and never wait for a running sync.
 */
import { Store } from "../store/store.ts";

/** Options of {@link ReadStore}. */
export interface ReadStoreOptions {
  /** Opens the store. Default: `Store.open(path, { readOnly: true })`. */
  open?: (path: string) => Store;
}

/** A lazily opened, read-only {@link Store}. */
export class ReadStore implements Disposable {
  readonly path: string;
  #open: (path: string) => Store;
  #store: Store | null = null;

  constructor(path: string, options: ReadStoreOptions = {}) {
    this.path = path;
    this.#open = options.open ?? ((p) => Store.open(p, { readOnly: true }));
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

  /** Closes the connection; safe twice. */
  close(): void {
    this.#store?.close();
    this.#store = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
