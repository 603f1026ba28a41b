import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { registerSecret } from "../../lib/logging/redact.ts";
import { runTool, toolError, toolResult } from "../../lib/mcp/tool_result.ts";

Deno.test("toolResult() pairs text with structured content, both redacted", () => {
  registerSecret("sekrit-token-123");
  const r = toolResult("token sekrit-token-123", { note: "sekrit-token-123", n: 1 });
  assert.deepEqual(r, {
    content: [{ type: "text", text: "token [REDACTED]" }],
    structuredContent: { note: "[REDACTED]", n: 1 },
  });
  assert.deepEqual(toolError("no"), { content: [{ type: "text", text: "no" }], isError: true });
});

Deno.test("runTool() turns the program's errors into tool errors and hides nothing else", async () => {
  const usage = await runTool("t", () => {
    throw new InputError('limit "x" is not a number');
  });
  assert.deepEqual(usage, toolError('limit "x" is not a number'));
  const crash = await runTool("t", () => {
    throw new TypeError("x is undefined");
  });
  assert.equal(crash.isError, true);
  assert.match(
    (crash.content[0] as { text: string }).text,
    /^t failed unexpectedly \(TypeError: x is undefined\)/,
  );
  const ok = await runTool("t", () => toolResult("fine", {}));
  assert.equal(ok.isError, undefined);
});

Deno.test("toolResult() keeps ordinary text intact when the API key is a plain word", () => {
  registerSecret("order");
  const text = "Could you check order #4821?";
  const r = toolResult(text, { subject: "order", body: text });
  assert.deepEqual(r.content, [{ type: "text", text }]);
  assert.deepEqual(r.structuredContent, { subject: "order", body: text });
});
