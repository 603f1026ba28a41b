/** Asserting that a store holds exactly what the simulator's workspace holds. */
import assert from "node:assert/strict";
import { ConversationSchema } from "../../lib/intercom/types.ts";
import { renderConversation, type Workspace } from "../../lib/simulator/mod.ts";
import type { Store } from "../../lib/store/store.ts";
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
}
