import assert from "node:assert/strict";
import { z } from "zod";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/zod-json-schema-compat"
import { toJsonSchemaCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
// @ts-types="@modelcontextprotocol/sdk/validation/ajv"
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { fastOutputSchema } from "../../lib/mcp/output_validation.ts";
import { TOOLS } from "../../lib/mcp/tool_table.ts";

const validator = new AjvJsonSchemaValidator();

const output = z.object({
  total: z.number().int(),
  items: z.array(z.object({ id: z.string(), note: z.string().nullable() })),
});

Deno.test("fastOutputSchema() accepts what the schema accepts and refuses with zod's message", async () => {
  const fast = fastOutputSchema(output, validator);
  const good = { total: 2, items: [{ id: "1", note: null }, { id: "2", note: "x" }] };
  const ok = await fast.safeParseAsync(good);
  assert.equal(ok.success, true);
  assert.equal(ok.data, good, "a valid result is not copied");
  for (const bad of [{ total: 1.5, items: [] }, { total: 1, items: [{ id: 3, note: null }] }, {}]) {
    const fastResult = await fast.safeParseAsync(bad);
    const zodResult = await output.safeParseAsync(bad);
    assert.equal(fastResult.success, false, JSON.stringify(bad));
    assert.deepEqual(fastResult.error?.issues, zodResult.error?.issues);
  }
  assert.equal(fastOutputSchema(output, validator), fast, "compiled once per schema");
});

Deno.test("fastOutputSchema() leaves every tool's listed outputSchema unchanged", () => {
  for (const tool of TOOLS) {
    if (!tool.outputSchema) continue;
    const options = { strictUnions: true, pipeStrategy: "output" } as const;
    assert.deepEqual(
      toJsonSchemaCompat(fastOutputSchema(tool.outputSchema, validator) as never, options),
      toJsonSchemaCompat(tool.outputSchema as never, options),
      tool.name,
    );
  }
});

Deno.test("a result that does not fit its outputSchema is still an error through the SDK", async () => {
  const server = new McpServer({ name: "t", version: "1" }, { jsonSchemaValidator: validator });
  let structured: Record<string, unknown> = { total: 1, items: [] };
  server.registerTool("t", {
    description: "test",
    inputSchema: z.object({}),
    outputSchema: fastOutputSchema(output, validator),
  }, () => ({ content: [{ type: "text", text: "t" }], structuredContent: structured }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: "c", version: "1" });
  await client.connect(a);
  try {
    const fine = await client.callTool({ name: "t", arguments: {} });
    assert.deepEqual(fine.structuredContent, structured);
    structured = { total: "one", items: [] };
    const wrong = await client.callTool({ name: "t", arguments: {} });
    assert.equal(wrong.isError, true);
    const text = (wrong.content as { text: string }[])[0]!.text;
    assert.match(text, /Output validation error: Invalid structured content for tool t/);
    assert.match(text, /Expected number, received string at total/);
  } finally {
    await client.close();
    await server.close();
  }
});
