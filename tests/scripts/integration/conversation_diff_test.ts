import assert from "node:assert/strict";
import { conversationDifferences } from "../../../scripts/integration/conversation_diff.ts";
import type { Conversation } from "../../../lib/intercom/types.ts";
import { clientFromSettings } from "../../../lib/config/client.ts";
import { syncedFixture } from "../../mcp/_fixtures.ts";

/** The stored conversation with the most parts, and its copy fetched from the simulator. */
async function pair() {
  const fx = await syncedFixture({ conversations: 20, seed: 9 });
  const id = fx.store.searchConversations({ limit: 100 }).hits
    .sort((a, b) => b.parts_total - a.parts_total)[0]!.id;
  const fetched = await clientFromSettings(fx.settings).getConversation(id);
  return { fx, stored: fx.store.getConversation(id)!, fetched };
}

/** `c` with these parts, as if Intercom had returned exactly them (total_count follows). */
function withParts(
  c: Conversation,
  parts: Conversation["conversation_parts"]["conversation_parts"],
) {
  return { ...c, conversation_parts: { conversation_parts: parts, total_count: parts.length } };
}

Deno.test("conversationDifferences() finds none between a synced conversation and its source", async () => {
  const { fx, stored, fetched } = await pair();
  await using _ = fx;
  assert.ok(fetched.conversation_parts.conversation_parts.length > 2);
  assert.deepEqual(conversationDifferences(stored, fetched), []);
});

Deno.test("conversationDifferences() names each differing field and part", async () => {
  const { fx, stored, fetched } = await pair();
  await using _ = fx;
  const [first, second, ...rest] = fetched.conversation_parts.conversation_parts;
  const changed: Conversation = {
    ...withParts(fetched, [{ ...first!, body: "edited" }, ...rest]),
    state: fetched.state === "open" ? "closed" : "open",
    tags: [...fetched.tags, { id: "999", name: "extra", applied_at: null }],
  };
  const diff = conversationDifferences(stored, changed);
  const id = stored.id;
  assert.ok(
    diff.includes(`conversation ${id}: state: stored "${stored.state}", source "${changed.state}"`),
    diff.join("\n"),
  );
  assert.ok(diff.some((d) => d.startsWith(`conversation ${id}: tags: stored [`)));
  assert.ok(
    diff.includes(
      `conversation ${id}: part ${first!.id} body: stored ${
        JSON.stringify(first!.body)
      }, source "edited"`,
    ),
  );
  assert.ok(diff.includes(`conversation ${id}: part ${second!.id}: stored but not in the source`));
  assert.ok(
    diff.includes(
      `conversation ${id}: parts_total: stored ${stored.parts_total}, source ${
        stored.parts_total - 1
      }`,
    ),
  );
  assert.equal(diff.length, 5, diff.join("\n"));
});

Deno.test("conversationDifferences() reports a part the store lacks", async () => {
  const { fx, stored, fetched } = await pair();
  await using _ = fx;
  const parts = fetched.conversation_parts.conversation_parts;
  const extra = { ...parts[0]!, id: "77777777" };
  const diff = conversationDifferences(stored, withParts(fetched, [...parts, extra]));
  assert.ok(
    diff.includes(`conversation ${stored.id}: part 77777777: missing from the store`),
    diff.join("\n"),
  );
});
