/**
 * Tool results are checked against the JSON Schema that `tools/list` publishes, compiled once
 * by the server's shared Ajv, instead of by parsing them with the zod schema on every call:
 * the SDK's zod parse copied every result (20 summaries of a search) and cost ~0.2 ms per call,
 * a tenth of a call under load. A result the compiled schema refuses is parsed by zod as
 * before, so a mismatch gives the same error message (and what zod accepts still passes).
 */
// @ts-types="@modelcontextprotocol/sdk/server/zod-json-schema-compat"
import { toJsonSchemaCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
// @ts-types="@modelcontextprotocol/sdk/validation/ajv"
import type { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { z } from "zod";

type SafeParseAsync = (data: unknown) => Promise<{ success: boolean; data?: unknown }>;

const compiled = new WeakMap<z.ZodTypeAny, z.ZodTypeAny>();

/**
 * `schema` for the SDK's output check: the same zod schema (its JSON Schema, as listed, is
 * unchanged), whose `safeParseAsync` asks the compiled JSON Schema first. One per schema,
 * compiled on first use and shared by every session.
 */
export function fastOutputSchema(
  schema: z.ZodTypeAny,
  validator: AjvJsonSchemaValidator,
): z.ZodTypeAny {
  const known = compiled.get(schema);
  if (known !== undefined) return known;
  // the conversion `tools/list` applies to an output schema (SDK server/mcp.js)
  const jsonSchema = toJsonSchemaCompat(schema as never, {
    strictUnions: true,
    pipeStrategy: "output",
  });
  const check = validator.getValidator(jsonSchema as never);
  const zodCheck = schema.safeParseAsync.bind(schema) as SafeParseAsync;
  const fast: SafeParseAsync = (data) =>
    check(data).valid ? Promise.resolve({ success: true, data }) : zodCheck(data);
  // everything else (shape, _def, the JSON Schema conversion) is the zod schema's own
  const shadow = Object.create(schema, { safeParseAsync: { value: fast } }) as z.ZodTypeAny;
  compiled.set(schema, shadow);
  return shadow;
}
