/** Syncing against the simulator, and asserting that a store holds what its workspace holds. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { ContactSchema, ConversationSchema } from "../../lib/intercom/types.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  renderContact,
  renderConversation,
  type Simulator,
  startSimulator,
  type Workspace,
} from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { conversationDifferences } from "../../scripts/integration/conversation_diff.ts";

/** Every conversation, every part up to the cap, and the listed fields, equal. */
export function assertStoreEqualsWorkspace(store: Store, ws: Workspace): void {
  assert.equal(store.stats().conversations, ws.conversations.length, "conversation count");
  let storedParts = 0;
  for (const sim of ws.conversations) {
    const expected = ConversationSchema.parse(renderConversation(ws, sim.id, { plaintext: true }));
    const got = store.getConversation(sim.id);
    assert.ok(got, `conversation ${sim.id} is stored`);
    assert.deepEqual(conversationDifferences(got, expected), []);
    // Parts fetched earlier that the 500-part cap no longer returns stay stored; none is invented.
    const real = new Set(sim.parts.map((p) => p.id));
    const parts = got.parts.filter((p) => p.part_type !== "source");
    for (const p of parts) assert.ok(real.has(p.id), `conversation ${sim.id}: part ${p.id} exists`);
    storedParts += parts.length;
  }
  assert.equal(store.stats().parts, storedParts, "part count");
  assertContactsEqualWorkspace(store, ws);
}

/**
 * Every contact a stored conversation names is stored and equals `GET /contacts/{id}` of the
 * workspace (so no conversation names a contact merged away), and nothing is missing.
 */
export function assertContactsEqualWorkspace(store: Store, ws: Workspace): void {
  const named = new Set<string>();
  for (const sim of ws.conversations) {
    for (const id of store.getConversation(sim.id)?.contact_ids ?? []) named.add(id);
  }
  for (const id of named) {
    const sim = ws.contactsById.get(id);
    assert.ok(sim && sim.merged_into === undefined, `contact ${id} exists in the workspace`);
    const want = ContactSchema.parse(renderContact(ws, sim));
    const got = store.getContact(id);
    assert.ok(got, `contact ${id} is stored`);
    const fields = ["email", "name", "role", "external_id", "phone", "created_at", "updated_at"];
    for (const field of fields) {
      assert.equal(
        got[field as keyof typeof got],
        want[field as keyof typeof want],
        `contact ${id}: ${field}`,
      );
    }
  }
  assert.deepEqual(store.missingContacts(), [], "no contact is missing");
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
