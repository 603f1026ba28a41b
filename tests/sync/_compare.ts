/** Asserting that a store holds exactly what the simulator's workspace holds. */
import assert from "node:assert/strict";
import { ConversationSchema } from "../../lib/intercom/types.ts";
import { renderConversation, type Workspace } from "../../lib/intercom/simulator/mod.ts";
import type { Store } from "../../lib/store/store.ts";

/** Every conversation, every part up to the cap, and the listed fields, equal. */
export function assertStoreEqualsWorkspace(store: Store, ws: Workspace): void {
  assert.equal(store.stats().conversations, ws.conversations.length, "conversation count");
  let expectedParts = 0;
  for (const sim of ws.conversations) {
    const expected = ConversationSchema.parse(renderConversation(ws, sim.id, { plaintext: true }));
    const got = store.getConversation(sim.id);
    assert.ok(got, `conversation ${sim.id} is stored`);
    const where = `conversation ${sim.id}`;
    assert.equal(got.updated_at, expected.updated_at, `${where}: updated_at`);
    assert.equal(got.created_at, expected.created_at, `${where}: created_at`);
    assert.equal(got.state, expected.state, `${where}: state`);
    assert.equal(got.open, expected.open, `${where}: open`);
    assert.equal(got.read, expected.read, `${where}: read`);
    assert.equal(got.priority, expected.priority, `${where}: priority`);
    assert.equal(got.title, expected.title, `${where}: title`);
    assert.equal(got.admin_assignee_id, expected.admin_assignee_id, `${where}: admin assignee`);
    assert.equal(got.team_assignee_id, expected.team_assignee_id, `${where}: team assignee`);
    assert.equal(got.source_subject, expected.source?.subject ?? null, `${where}: subject`);
    assert.equal(got.source_body, expected.source?.body ?? null, `${where}: source body`);
    assert.equal(got.source_author_id, expected.source?.author?.id ?? null, `${where}: author`);
    assert.deepEqual(
      [...got.tag_names].sort(),
      expected.tags.map((t) => t.name).sort(),
      `${where}: tags`,
    );
    assert.deepEqual(
      [...got.contact_ids].sort(),
      expected.contacts.map((c) => c.id).sort(),
      `${where}: contacts`,
    );
    const total = expected.conversation_parts.total_count;
    const returned = expected.conversation_parts.conversation_parts;
    assert.equal(got.parts_total, total, `${where}: parts_total`);
    assert.equal(got.parts_truncated, returned.length < total, `${where}: parts_truncated`);
    const stored = new Map(got.parts.filter((p) => p.part_type !== "source").map((p) => [p.id, p]));
    // Parts fetched earlier that the 500-part cap no longer returns stay stored; none is invented.
    const real = new Set(sim.parts.map((p) => p.id));
    for (const id of stored.keys()) assert.ok(real.has(id), `${where}: stored part ${id} exists`);
    if (returned.length === total) {
      assert.equal(stored.size, returned.length, `${where}: part count`);
    }
    for (const part of returned) {
      const s = stored.get(part.id);
      assert.ok(s, `${where}: part ${part.id} stored`);
      assert.equal(s.body, part.body, `${where}: part ${part.id} body`);
      assert.equal(s.part_type, part.part_type, `${where}: part ${part.id} type`);
      assert.equal(s.created_at, part.created_at, `${where}: part ${part.id} created_at`);
      assert.equal(s.author_type, part.author?.type ?? null, `${where}: part ${part.id} author`);
      assert.equal(s.author_id, part.author?.id ?? null, `${where}: part ${part.id} author id`);
    }
    expectedParts += stored.size;
  }
  assert.equal(store.stats().parts, expectedParts, "part count");
}
