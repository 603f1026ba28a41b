import assert from "node:assert/strict";
import { TOOL_NAMES, TOOLS } from "../../lib/mcp/tool_table.ts";
import { EXPECTED_TOOLS } from "../../scripts/integration/mcp_check.ts";
import { memoryClient, syncedFixture } from "./_fixtures.ts";

Deno.test("TOOL_NAMES derives from the table: each tool once, in table order", () => {
  assert.deepEqual(TOOL_NAMES, TOOLS.map((t) => t.name));
  assert.equal(new Set(TOOL_NAMES).size, TOOL_NAMES.length);
  for (const tool of TOOLS) {
    assert.match(tool.name, /^[a-z_]+$/);
    assert.ok(tool.description.length > 40, `${tool.name} has a description a model can use`);
  }
});

Deno.test("createMcpServer() registers exactly the table; the integration script expects the same list", async () => {
  await using fx = await syncedFixture({ conversations: 5, seed: 2 });
  await using mc = await memoryClient(fx);
  const { tools } = await mc.client.listTools();
  assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
  for (const listed of tools) {
    const declared = TOOLS.find((t) => t.name === listed.name)!;
    assert.equal(listed.title, declared.title);
    assert.equal(listed.description, declared.description);
    assert.ok(declared.outputSchema, `${listed.name} declares its structured result`);
    assert.equal(listed.outputSchema?.type, "object", `${listed.name} lists an outputSchema`);
  }
  assert.equal(EXPECTED_TOOLS, TOOL_NAMES);
});
