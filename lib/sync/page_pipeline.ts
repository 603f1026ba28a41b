/**
 * Pages worked on at the same time, committed one after the other in the order they were
 * added. A page's work (its fetches, then its contacts lookup) starts as soon as the page is
 * added, so the worker pool never drains at a page boundary and the contacts lookup of one
 * page overlaps the fetches of the next; the commits stay in order, so a checkpoint never
 * claims a page whose predecessors are not stored. At most `maxInFlight` pages are held
 * (added and not yet committed): memory stays flat however long the search.
 *
 * The first failure (of any work or commit) aborts `signal`, so every request in flight
 * stops; a page whose work completed is still committed when every page before it was, the
 * others are not; `finish()` throws that failure.
 */

/** Options of {@link PagePipeline}. */
export interface PagePipelineOptions {
  /** Pages added and not yet committed, at most. Default 3. */
  maxInFlight?: number;
  /** Aborting it stops the pipeline like a failure (with its reason). */
  signal?: AbortSignal | undefined;
}

/** Work of pages in parallel, commits in order. */
export class PagePipeline {
  readonly #maxInFlight: number;
  readonly #stop = new AbortController();
  /** Aborted on the first failure or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  #chain: Promise<void> = Promise.resolve();
  readonly #inFlight: Promise<void>[] = [];
  readonly #work: Promise<unknown>[] = [];
  #failure: { error: unknown } | null = null;

  constructor(options: PagePipelineOptions = {}) {
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 3);
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.#stop.signal])
      : this.#stop.signal;
  }

  /**
   * Adds a page: waits while `maxInFlight` pages are uncommitted, then starts `work` and queues
   * `commit` of its result after the commits of every page added before. Throws the pipeline's
   * failure, if it has failed.
   */
  async add<W>(work: (signal: AbortSignal) => Promise<W>, commit: (result: W) => void) {
    while (this.#inFlight.length >= this.#maxInFlight) {
      await this.#inFlight[0]!.catch(() => {});
      this.#throwIfFailed();
    }
    this.#throwIfFailed();
    const running = work(this.signal);
    running.catch((error) => this.#fail(error));
    this.#work.push(running);
    const committed = this.#chain.then(async () => {
      // A page whose work succeeded is committed even after a later page failed: it is
      // complete, and every page before it is committed.
      commit(await running);
    });
    committed.catch((error) => this.#fail(error));
    this.#chain = committed;
    this.#inFlight.push(committed);
    void committed.catch(() => {}).finally(() => {
      this.#inFlight.splice(this.#inFlight.indexOf(committed), 1);
      this.#work.splice(this.#work.indexOf(running), 1);
    });
  }

  /** Waits until every page added is committed; throws the first failure. */
  async finish(): Promise<void> {
    await this.#chain.catch(() => {});
    this.#throwIfFailed();
  }

  /** Stops with `error` (if nothing failed before) and waits for the work in flight to end. */
  async fail(error: unknown): Promise<void> {
    this.#fail(error);
    await Promise.allSettled([...this.#work, this.#chain]);
  }

  /** The first failure, or null. */
  get failure(): unknown | null {
    return this.#failure?.error ?? null;
  }

  #fail(error: unknown) {
    if (this.#failure !== null) return;
    this.#failure = { error };
    this.#stop.abort(error);
  }

  #throwIfFailed() {
    if (this.#failure !== null) throw this.#failure.error;
    this.signal.throwIfAborted();
  }
}
