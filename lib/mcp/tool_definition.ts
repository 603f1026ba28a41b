/**
 * One MCP tool, declared once: its name, the text a model reads, its argument and result
 * schemas, hints, and the function that answers it. `tool_table.ts` lists every definition;
 * the server registers from that list and every list of tool names derives from it.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { McpContext } from "./context.ts";

/** What a tool call knows about its request besides the arguments. */
export interface ToolCall {
  /** Aborted when the client cancels the request or the server shuts down. */
  signal: AbortSignal;
  /**
   * Sends `notifications/progress` when the client asked for progress (a `progressToken`);
   * does nothing otherwise. Never throws.
   */
  progress(update: { progress: number; total?: number; message?: string }): Promise<void>;
}

/** A tool call outside a request (tests, benchmarks): never cancelled, no progress. */
export const DETACHED_CALL: ToolCall = {
  signal: new AbortController().signal,
  progress: () => Promise.resolve(),
};

/** The declaration of one tool; `run` receives the parsed arguments of `inputSchema`. */
export interface ToolDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  title: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  inputSchema: S;
  /** The shape of `structuredContent` on success. Default: none declared. */
  outputSchema?: z.ZodTypeAny;
  annotations: ToolAnnotations;
  /** Answers a call; throwing an `AppError` gives the model a tool error with its message. */
  run(ctx: McpContext, args: z.infer<S>, call: ToolCall): CallToolResult | Promise<CallToolResult>;
}

/** Declares a tool, checking `run` against `inputSchema`, for the untyped tool table. */
export function defineTool<S extends z.ZodTypeAny>(definition: ToolDefinition<S>): ToolDefinition {
  return definition as unknown as ToolDefinition;
}
