import assert from "node:assert/strict";
import { ToolMetrics } from "../../lib/metrics/tool_metrics.ts";

Deno.test("ToolMetrics counts calls by tool and outcome and observes their latency", async () => {
  const m = new ToolMetrics();
  m.declare("get_conversation");
  m.observe("search_conversations", "ok", 0.02);
  m.observe("search_conversations", "ok", 0.2);
  m.observe("search_conversations", "error", 3);
  const text = await m.registry.metrics();
  const has = (line: string) => assert.ok(text.split("\n").includes(line), `${line}\n${text}`);
  has('fast_intercom_mcp_tool_calls_total{tool="search_conversations",outcome="ok"} 2');
  has('fast_intercom_mcp_tool_calls_total{tool="search_conversations",outcome="error"} 1');
  has('fast_intercom_mcp_tool_calls_total{tool="get_conversation",outcome="ok"} 0');
  has('fast_intercom_mcp_tool_duration_seconds_bucket{le="0.025",tool="search_conversations"} 1');
  has('fast_intercom_mcp_tool_duration_seconds_count{tool="search_conversations"} 3');
  has('fast_intercom_mcp_tool_duration_seconds_count{tool="get_conversation"} 0');
});
