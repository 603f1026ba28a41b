/**
 * `demo`: the whole program on an embedded workspace. Starts the built-in simulator with a
 * realistic workspace, syncs it into a temporary (or given) data directory, and returns what
 * `status` and a sample search show.
 */
import { join } from "node:path";
import { resolveSettings } from "../config/config.ts";
import { type Paths, resolvePaths } from "../config/paths.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../simulator/mod.ts";
import { Store } from "../store/store.ts";
import type { ConversationSearchResult } from "../store/types.ts";
import type { SyncResult } from "../sync/engine.ts";
import { syncWorkspace } from "./sync_service.ts";
import { readStoreStatus, type StoreStatus } from "./store_status.ts";

/** Options for {@link runDemo}. */
export interface DemoOptions {
  /** Keep the store here; default a temporary directory removed afterwards. */
  dataDir?: string | undefined;
  /** Conversations in the simulated workspace. Default 2,000. */
  conversations?: number;
  /** Days they are spread over. Default 30. */
  days?: number;
  /** Simulated per-request latency. Default 40 ms ± 20 ms. */
  latency?: { meanMs: number; jitterMs: number };
  /** The sample full-text query. Default "refund". */
  query?: string;
  sessionId: string;
  console?: boolean;
  /** Called once the demo's paths are known (the CLI sets up logging there). */
  onPaths?: (paths: Paths) => Promise<void> | void;
  signal?: AbortSignal;
}

/** What the demo did. */
export interface DemoResult {
  dataDir: string;
  kept: boolean;
  sync: SyncResult;
  status: StoreStatus;
  query: string;
  search: ConversationSearchResult;
}

/** Runs the demo end to end. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const kept = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "fast-intercom-demo-" });
  const sim = await startSimulator({
    conversations: options.conversations ?? 2000,
    days: options.days ?? 30,
    latency: options.latency ?? { meanMs: 40, jitterMs: 20 },
    rateLimit: { limit: 1000, windowSeconds: 10 },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const base = resolvePaths({ dataDir });
    // A temporary demo keeps its logs and status files to itself.
    const paths = kept
      ? base
      : { ...base, logDir: join(dataDir, "logs"), statusDir: join(dataDir, "status") };
    await options.onPaths?.(paths);
    const settings = await resolveSettings(paths, {
      token: DEFAULT_SIMULATOR_TOKEN,
      apiUrl: sim.url,
    }, {
      file: null,
    });
    const sync = await syncWorkspace(settings, {
      mode: "days",
      days: options.days ?? 30,
      concurrency: 8,
      sessionId: options.sessionId,
      description: "Demo: sync of the simulated workspace",
      ...(options.console !== undefined ? { console: options.console } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const status = await readStoreStatus(paths);
    const query = options.query ?? "refund";
    using store = Store.open(paths.storeFile, { readOnly: true });
    const search = store.searchConversations({ text: query, limit: 5 });
    return { dataDir, kept, sync, status, query, search };
  } finally {
    await sim.close();
    if (!kept) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}
