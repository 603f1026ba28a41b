/** Syncing against the simulator, and asserting that a store holds what its workspace holds. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
  type Workspace,
} from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { storeDifferences } from "../../scripts/integration/workspace_diff.ts";

/**
 * The store is an exact mirror of the workspace: conversations, parts and the contacts they
 * name, and with `support` also tickets (with parts) and companies (see
 * `scripts/integration/workspace_diff.ts`).
 */
export function assertStoreEqualsWorkspace(
  store: Store,
  ws: Workspace,
  options: { support?: boolean } = {},
): void {
  assert.deepEqual(storeDifferences(store, ws, options), []);
}

/** Short retry waits, so that fault tests take milliseconds. */
export const FAST_BACKOFF = { baseMs: 2, factor: 2, capMs: 20 };

/** What {@link withSyncFixture} gives a test. */
export interface SyncFixture {
  sim: Simulator;
  store: Store;
  client: IntercomClient;
  dir: string;
}

/** Runs `fn` with a simulator, a store in a temporary directory and a client; cleans up. */
export async function withSyncFixture(
  simOptions: Parameters<typeof startSimulator>[0],
  fn: (ctx: SyncFixture) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fim-sync-" });
  const sim = await startSimulator(simOptions);
  const store = Store.open(
    join(dir, "data.db"),
    simOptions?.clock ? { clock: simOptions.clock } : {},
  );
  const client = new IntercomClient({
    baseUrl: sim.url,
    token: DEFAULT_SIMULATOR_TOKEN,
    backoff: FAST_BACKOFF,
    timeoutMs: 5000,
    maxAttempts: 8,
  });
  try {
    await fn({ sim, store, client, dir });
  } finally {
    store.close();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}
