import assert from "node:assert/strict";
import { createMetricsEndpoint } from "../../lib/metrics/endpoint.ts";
import { ToolMetrics } from "../../lib/metrics/tool_metrics.ts";
import { Store } from "../../lib/store/store.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

Deno.test("createMetricsEndpoint() answers the text format with store, anomalies and extras", async () => {
  await withTempDir("endpoint-", async (dir) => {
    const settings = await settingsIn(dir);
    Store.open(settings.paths.storeFile).close();
    const tools = new ToolMetrics();
    tools.observe("search_conversations", "ok", 0.01);
    const endpoint = createMetricsEndpoint(settings, {
      extra: [tools.registry],
      anomalies: () => ({ missed_interval: true }),
    });
    const res = await endpoint();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    assert.match(text, /^fast_intercom_store_up 1$/m);
    assert.match(text, /^fast_intercom_anomaly\{kind="missed_interval"\} 1$/m);
    assert.match(
      text,
      /^fast_intercom_mcp_tool_calls_total\{tool="search_conversations",outcome="ok"\} 1$/m,
    );
  });
});
