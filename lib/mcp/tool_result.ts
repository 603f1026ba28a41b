/**
 * Tool results: text for the model plus the same data as `structuredContent`, and errors as
 * MCP tool errors (`isError`) with a message that says what was wrong and what to do —
 * never a protocol failure. Every text is redacted.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { getLogger } from "@logtape/logtape";
import { AppError } from "../errors.ts";
import { redactText, redactValue } from "../logging/redact.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** A successful result: readable `text` and the data it summarises. */
export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text: redactText(text) }],
    structuredContent: redactValue(structured) as Record<string, unknown>,
  };
}

/** A tool error the model can read and act on. */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: redactText(message) }], isError: true };
}

/**
 * Runs a tool body: the program's own errors (bad arguments, missing store, unknown id) become
 * tool errors with their message; anything else is logged and reported as an internal error.
 */
export async function runTool(
  name: string,
  body: () => CallToolResult | Promise<CallToolResult>,
): Promise<CallToolResult> {
  const started = performance.now();
  try {
    const result = await body();
    log.debug("tool {tool} answered in {ms} ms", {
      tool: name,
      ms: Number((performance.now() - started).toFixed(2)),
      is_error: result.isError === true,
    });
    return result;
  } catch (error) {
    if (error instanceof AppError) {
      log.info("tool {tool} refused: {message}", { tool: name, message: error.message });
      return toolError(error.message);
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log.error("tool {tool} failed: {message}", { tool: name, message, error });
    return toolError(
      `${name} failed unexpectedly (${message}); the error is in the server's errors.log`,
    );
  }
}
