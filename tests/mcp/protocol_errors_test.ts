import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolResultSchema,
  EmptyResultSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { describeIssues } from "../../lib/mcp/protocol_errors.ts";
import { memoryClient, syncedFixture } from "./_fixtures.ts";

async function rpcError(promise: Promise<unknown>): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof McpError) return error;
    throw error;
  }
  throw new Error("expected a JSON-RPC error");
}

Deno.test("malformed params and unknown tools are JSON-RPC -32602 with a one-line reason", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 4 });
  await using c = await memoryClient(fx);
  // deno-lint-ignore no-explicit-any
  const request = (method: string, params: any, schema: any = EmptyResultSchema) =>
    c.client.request({ method, params } as never, schema);

  const noName = await rpcError(request("tools/call", { arguments: {} }, CallToolResultSchema));
  assert.equal(noName.code, -32602);
  assert.match(noName.message, /^MCP error -32602: Invalid params for tools\/call: params\.name: /);
  assert.ok(!noName.message.includes("\n"), "one line, not a schema dump");

  const badLevel = await rpcError(request("logging/setLevel", { level: "loud" }));
  assert.equal(badLevel.code, -32602);
  assert.match(badLevel.message, /Invalid params for logging\/setLevel: params\.level: /);

  const unknown = await rpcError(
    request("tools/call", { name: "delete_everything", arguments: {} }, CallToolResultSchema),
  );
  assert.equal(unknown.code, -32602);
  assert.match(
    unknown.message,
    /Unknown tool "delete_everything": the tools are search_conversations, /,
  );

  // bad arguments of a known tool stay a tool error the model can read and correct
  const badArgs = await c.call("search_conversations", { limit: 1000 });
  assert.equal(badArgs.isError, true);
});

Deno.test("describeIssues() names at most three issues with their paths", () => {
  const issues = [1, 2, 3, 4].map((i) => ({ path: ["params", `f${i}`], message: "Required" }));
  assert.equal(
    describeIssues(issues),
    "params.f1: Required; params.f2: Required; params.f3: Required; and 1 more",
  );
  assert.equal(describeIssues([{ message: "Expected object" }]), "Expected object");
});
