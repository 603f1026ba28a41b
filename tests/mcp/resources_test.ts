import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { CONVERSATION_URI_TEMPLATE, LISTED_CONVERSATIONS } from "../../lib/mcp/resources.ts";
import { memoryClient, syncedFixture } from "./_fixtures.ts";

Deno.test("conversations are resources: a template, the newest listed, each readable as its thread", async () => {
  await using fx = await syncedFixture({ conversations: 60, seed: 12 });
  await using c = await memoryClient(fx);
  const { resourceTemplates } = await c.client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), [CONVERSATION_URI_TEMPLATE]);

  const { resources } = await c.client.listResources();
  const newest = fx.store.searchConversations({ limit: LISTED_CONVERSATIONS }).hits;
  assert.equal(resources.length, LISTED_CONVERSATIONS);
  assert.deepEqual(
    resources.map((r) => r.uri),
    newest.map((h) => `intercom://conversations/${h.id}`),
  );
  assert.ok(resources.every((r) => r.name.startsWith("Conversation #")));

  const id = newest[0]!.id;
  const read = await c.client.readResource({ uri: `intercom://conversations/${id}` });
  const content = read.contents[0] as { uri: string; mimeType: string; text: string };
  assert.equal(content.uri, `intercom://conversations/${id}`);
  assert.equal(content.mimeType, "text/plain");
  const stored = fx.store.getConversation(id)!;
  assert.match(content.text, new RegExp(`^Conversation #${id} `));
  for (const part of stored.parts.filter((p) => p.body)) {
    assert.ok(content.text.includes(part.body!.slice(0, 40)), `message ${part.id} is in the text`);
  }

  const missing = await c.client.readResource({ uri: "intercom://conversations/1" }).then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(missing instanceof McpError);
  assert.equal(missing.code, -32002);
  assert.match(missing.message, /conversation "1" is not in the local store/);
  const other = await c.client.readResource({ uri: "test://static-text" }).then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(other instanceof McpError);
  assert.equal(other.code, -32002);
  assert.equal(other.message, "MCP error -32002: Resource not found: test://static-text");
});
