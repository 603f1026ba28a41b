import assert from "node:assert/strict";
// The schemas' own verdicts, through zod's functional API (not the patched methods).
import { safeParse } from "zod/v4/core";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  InitializeRequestSchema,
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  JSONRPCErrorResponseSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { installFastGuards } from "../../lib/mcp/sdk_guards.ts";
import { initializeRequest } from "./_raw_client.ts";

const MESSAGES: unknown[] = [
  initializeRequest({ client: "c" }),
  { jsonrpc: "2.0", id: 1, method: "initialize", params: {} },
  { jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x", arguments: {} } },
  { jsonrpc: "2.0", id: 1.5, method: "tools/call" },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3 } },
  { jsonrpc: "2.0", id: 2, method: "ping", extra: true },
  { jsonrpc: "2.0", id: 3, result: {} },
  { jsonrpc: "2.0", id: 3, result: { content: [], structuredContent: { a: 1 } } },
  { jsonrpc: "2.0", id: 3, result: null },
  { jsonrpc: "2.0", id: 4, error: { code: -32601, message: "no" } },
  { jsonrpc: "2.0", error: { code: -32700, message: "parse" } },
  { jsonrpc: "2.0", id: 4, error: { code: "x", message: "no" } },
  { jsonrpc: "1.0", id: 5, method: "ping" },
  { id: 5, method: "ping" },
  { jsonrpc: "2.0", id: null, method: "ping" },
  { jsonrpc: "2.0", method: 7 },
  null,
  "initialize",
  [],
  [{ jsonrpc: "2.0", id: 1, method: "initialize" }],
  {},
];

const GUARDS = [
  ["isInitializeRequest", isInitializeRequest, InitializeRequestSchema],
  ["isJSONRPCRequest", isJSONRPCRequest, JSONRPCRequestSchema],
  ["isJSONRPCNotification", isJSONRPCNotification, JSONRPCNotificationSchema],
  ["isJSONRPCResultResponse", isJSONRPCResultResponse, JSONRPCResultResponseSchema],
  ["isJSONRPCErrorResponse", isJSONRPCErrorResponse, JSONRPCErrorResponseSchema],
] as const;

Deno.test("installFastGuards() keeps every SDK guard's answer, and its error when read", () => {
  installFastGuards();
  installFastGuards(); // twice is harmless
  for (const [name, guard, schema] of GUARDS) {
    for (const message of MESSAGES) {
      const expected = safeParse(schema as never, message);
      assert.equal(guard(message), expected.success, `${name}(${JSON.stringify(message)})`);
      const patched = schema.safeParse(message);
      assert.equal(patched.success, expected.success);
      if (!expected.success) {
        assert.deepEqual(patched.error?.issues, expected.error?.issues, `${name} error`);
      }
    }
  }
  // the pre-check answered a tool call's "is this an initialize?" without zod
  const answer = InitializeRequestSchema.safeParse(MESSAGES[2]);
  assert.ok(Object.getOwnPropertyDescriptor(answer, "error")?.get, "the fast path is installed");
});
