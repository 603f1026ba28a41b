/**
 * The dashboard's live state, refreshed on a timer and pushed to subscribers (the SSE
 * streams). Cheap reads (processes, last runs, run totals for the charts) run every tick;
 * costly ones run less often and only while someone watches: store row counts and the log
 * window every 15 s, the health checks (which include SQLite's quick_check) every 10 min.
 * Nobody watching, the timer reads only the cheap parts (a `serve` whose dashboard is never
 * opened does not count rows or check pages, which cost ~40 MB of page cache and ~100 ms); the
 * first state asked for (`current()`, `tick()`, a new watcher) reads everything.
 * Ticks never overlap; a reader that fails leaves its previous value in place.
 */
import type { Settings } from "../config/config.ts";
import type { ProcessSnapshot } from "../monitor/snapshot.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { VERSION } from "../version.ts";
import { RateHistory, type RatePoint } from "./history.ts";
import { StoreHandle } from "../metrics/store_reader.ts";
import {
  type HealthSummary,
  type LogActivity,
  readHealth,
  readLogActivity,
  readProcesses,
  readStore,
  type RunRow,
  type StoreCounts,
  type StoreRead,
} from "./state.ts";
import { trendReport } from "../trends/trends.ts";

/** The dashboard's anomalies section: `{ anomalies: [...] }`, or `{}` without a store. */
function readAnomalies(storeFile: string, now: number): Record<string, unknown> {
  try {
    return { anomalies: trendReport(storeFile, Math.floor(now / 1000), { limit: 0 }).anomalies };
  } catch {
    return {};
  }
}

/** One state of the dashboard; `history` is sent with the first message of a stream. */
export interface DashboardState {
  generated_at: string;
  version: string;
  processes: ProcessSnapshot[];
  runs: RunRow[];
  store: StoreCounts | null;
  logs: LogActivity | null;
  health: HealthSummary | null;
  /** Extra sections computed by plug-ins (anomalies). */
  extra: Record<string, unknown>;
  /** The chart point of this tick (null on the first tick). */
  point: RatePoint | null;
  history?: RatePoint[];
}

/** What the feed reads; tests replace them. Defaults: the readers of state.ts. */
export interface FeedReaders {
  processes(now: number): Promise<ProcessSnapshot[]>;
  store(counts: boolean): StoreRead;
  logs(now: number): Promise<LogActivity>;
  health(): Promise<HealthSummary>;
  /** Extra sections, refreshed with the store counts. Default: none. */
  extra?(now: number): Promise<Record<string, unknown>>;
}

/** Options for {@link DashboardFeed}. */
export interface FeedOptions {
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Tick period; 0 disables the timer (tests call `tick()`). Default: 2000 ms. */
  intervalMs?: number;
  /** Store counts, log window and extras are refreshed this often. Default: 15000 ms. */
  slowEveryMs?: number;
  /** Health checks are refreshed this often. Default: 600000 ms. */
  healthEveryMs?: number;
  /** Default: readers over `settings`. */
  readers?: Partial<FeedReaders>;
}

type Listener = (state: DashboardState) => void;

/** The live state and its subscribers. */
export class DashboardFeed {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #slowEveryMs: number;
  readonly #healthEveryMs: number;
  readonly #readers: FeedReaders;
  readonly #history = new RateHistory();
  readonly #listeners = new Set<Listener>();
  /** One read-only connection for the feed's life (a warm page cache keeps counts cheap). */
  readonly #handle: StoreHandle;
  #state: DashboardState | null = null;
  /** Whether the costly parts have been read at least once. */
  #complete = false;
  #slowAt = -Infinity;
  #healthAt = -Infinity;
  #ticking: Promise<DashboardState> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(settings: Settings, options: FeedOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = options.intervalMs ?? 2000;
    this.#slowEveryMs = options.slowEveryMs ?? 15_000;
    this.#healthEveryMs = options.healthEveryMs ?? 600_000;
    this.#handle = new StoreHandle(settings.paths.storeFile);
    this.#readers = {
      processes: (now) => readProcesses(settings, now),
      store: (counts) => readStore(this.#handle, { counts }),
      logs: (now) => readLogActivity(settings.paths.logDir, now),
      health: () => readHealth(settings),
      extra: (now) => Promise.resolve(readAnomalies(settings.paths.storeFile, now)),
      ...options.readers,
    };
    this.#schedule();
  }

  /** The newest state with the chart history (ticks first when there is none yet). */
  async current(): Promise<DashboardState> {
    const state = this.#complete && this.#state !== null ? this.#state : await this.tick();
    return { ...state, history: this.#history.points() };
  }

  /** Calls `listener` with the current state (and history), then with each new state. */
  subscribe(listener: Listener): () => void {
    let active = true;
    // joined after the first delivery, so that the first state a watcher sees has the history
    void this.current().then((state) => {
      if (!active) return;
      listener(state);
      this.#listeners.add(listener);
    });
    return () => {
      active = false;
      this.#listeners.delete(listener);
    };
  }

  /** Watchers connected now. */
  get watchers(): number {
    return this.#listeners.size;
  }

  /**
   * Reads everything that is due (everything, the first time) and notifies subscribers;
   * concurrent calls share one tick.
   */
  tick(): Promise<DashboardState> {
    return this.#tick(true);
  }

  /** A tick; `asked`: someone wants a state now, so the costly parts are read if never read. */
  #tick(asked: boolean): Promise<DashboardState> {
    const running = this.#ticking;
    if (running !== null) {
      // a timer tick in progress may leave the costly parts out: read again after it
      return asked && !this.#complete
        ? running.then((state) => this.#complete ? state : this.#tick(true))
        : running;
    }
    const ticking = this.#read(asked).finally(() => {
      this.#ticking = null;
    });
    this.#ticking = ticking;
    return ticking;
  }

  /** Stops the timer and drops subscribers. Safe twice. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#listeners.clear();
    this.#handle.close();
  }

  #schedule(): void {
    if (this.#intervalMs <= 0 || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#tick(false).catch(() => {}).finally(() => this.#schedule());
    }, this.#intervalMs);
  }

  async #read(asked: boolean): Promise<DashboardState> {
    const now = this.#clock();
    const previous = this.#state;
    const watched = this.#listeners.size > 0 || (asked && !this.#complete);
    const slow = watched && now - this.#slowAt >= this.#slowEveryMs;
    const health = watched && now - this.#healthAt >= this.#healthEveryMs;
    if (slow) this.#slowAt = now;
    if (health) this.#healthAt = now;
    if (slow && health) this.#complete = true;
    const r = this.#readers;
    const [processes, logs, healthState, extra] = await Promise.all([
      r.processes(now).catch(() => previous?.processes ?? []),
      slow ? r.logs(now).catch(() => previous?.logs ?? null) : previous?.logs ?? null,
      health ? r.health().catch(() => previous?.health ?? null) : previous?.health ?? null,
      slow && r.extra ? r.extra(now).catch(() => previous?.extra ?? {}) : previous?.extra ?? {},
    ]);
    const store = r.store(slow);
    const syncs = processes.filter((p) => p.process_type === "sync" && p.alert === null);
    const live = syncs.length === 0 ? null : syncs.reduce((n, p) => n + (p.rate ?? 0), 0);
    const point = this.#history.add(now, store.totals, live);
    const state: DashboardState = {
      generated_at: new Date(now).toISOString(),
      version: VERSION,
      processes,
      runs: store.runs,
      store: store.counts ?? previous?.store ?? null,
      logs,
      health: healthState,
      extra,
      point,
    };
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
    return state;
  }
}
