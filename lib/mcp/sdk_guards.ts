/**
 * Cheaper JSON-RPC type guards for the MCP SDK. The SDK tells a request from a response or
 * an `initialize` from a tool call by running zod schemas on every message (`isInitializeRequest`,
 * `isJSONRPCResultResponse`, …) several times per HTTP request, and each guard that fails
 * builds a zod error with messages; under load that was a fifth of a cheap call's CPU. Each
 * guard's schema gets a pre-check of a condition the schema itself requires (the `method`
 * literal, a `result` or `error` object, an id); a message that fails it is answered "no"
 * without zod, and everything else is still parsed by the schema, so the answers do not change.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  InitializeRequestSchema,
  JSONRPCErrorResponseSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
} from "@modelcontextprotocol/sdk/types.js";

type SafeParse = (value: unknown, params?: unknown) => { success: boolean; error?: unknown };

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : null;
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function isId(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number";
}

/** Conditions each schema requires; a value failing one cannot pass the schema. */
const PRECHECKS: [
  schema: unknown,
  name: string,
  admits: (m: Record<string, unknown>) => boolean,
][] = [
  [InitializeRequestSchema, "InitializeRequestSchema", (m) => m.method === "initialize"],
  [JSONRPCRequestSchema, "JSONRPCRequestSchema", (m) => typeof m.method === "string" && isId(m.id)],
  [
    JSONRPCNotificationSchema,
    "JSONRPCNotificationSchema",
    (m) => typeof m.method === "string" && m.id === undefined,
  ],
  [
    JSONRPCResultResponseSchema,
    "JSONRPCResultResponseSchema",
    (m) => isObject(m.result) && isId(m.id),
  ],
  [JSONRPCErrorResponseSchema, "JSONRPCErrorResponseSchema", (m) => isObject(m.error)],
];

let installed = false;

/** Installs the pre-checks (once); throws if an SDK update changed the schemas' shape. */
export function installFastGuards(): void {
  if (installed) return;
  for (const [schema, name, admits] of PRECHECKS) {
    const target = schema as { safeParse?: SafeParse };
    const original = target.safeParse;
    if (typeof original !== "function" || !Object.hasOwn(target, "safeParse")) {
      throw new Error(`the MCP SDK's ${name} has no own safeParse: update lib/mcp/sdk_guards.ts`);
    }
    target.safeParse = (value, params) => {
      const message = record(value);
      if (message !== null && admits(message)) return original(value, params);
      // the schema's own verdict (and error) only when someone reads the error
      return {
        success: false,
        get error() {
          return original(value, params).error;
        },
      };
    };
  }
  installed = true;
}
