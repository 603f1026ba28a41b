/**
 * MCP tool calls counted in the server process that answers them (`serve`, `start`): calls
 * by tool and outcome, and a latency histogram by tool. Tool names come from the server's
 * fixed tool list, so the label sets stay bounded.
 */
import client from "prom-client";
import { METRICS, TOOL_LATENCY_BUCKETS } from "./catalog.ts";

/** The outcome of one tool call. */
export type ToolOutcome = "ok" | "error";

/** In-process instruments of MCP tool calls. */
export class ToolMetrics {
  /** The registry holding these instruments; append it to a scrape's output. */
  readonly registry: client.Registry = new client.Registry();
  readonly #calls = new client.Counter({
    name: METRICS.toolCalls.name,
    help: METRICS.toolCalls.help,
    labelNames: [...METRICS.toolCalls.labels],
    registers: [this.registry],
  });
  readonly #duration = new client.Histogram({
    name: METRICS.toolDuration.name,
    help: METRICS.toolDuration.help,
    labelNames: [...METRICS.toolDuration.labels],
    buckets: [...TOOL_LATENCY_BUCKETS],
    registers: [this.registry],
  });

  /** Records one call of `tool` that took `seconds`. */
  observe(tool: string, outcome: ToolOutcome, seconds: number): void {
    this.#calls.inc({ tool, outcome });
    this.#duration.observe({ tool }, seconds);
  }

  /** Makes `tool`'s series visible at zero before its first call. */
  declare(tool: string): void {
    for (const outcome of ["ok", "error"] as const) this.#calls.inc({ tool, outcome }, 0);
    this.#duration.zero({ tool });
  }
}
