import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { serveExtras } from "../../lib/app/serve_extras.ts";
import { openMcpApp } from "../../lib/mcp/app.ts";
import { serveHttp } from "../../lib/mcp/http.ts";
import { HAS_PROMTOOL, promtoolCheck } from "../metrics/_promtool.ts";
import { syncedFixture } from "../mcp/_fixtures.ts";

const KEY = "serve-extras-key-0123456789abcdef0123";

Deno.test("serve answers /metrics with its tool calls and /dashboard/, data behind the key", async () => {
  await using fx = await syncedFixture({ conversations: 12, seed: 4 });
  using extras = serveExtras(fx.settings, { feed: { intervalMs: 0 } });
  const app = openMcpApp(fx.settings, {
    sessionId: "extras-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
    onToolCall: extras.onToolCall,
  });
  await using server = await serveHttp(app, { port: 0, apiKey: KEY, routes: extras.routes });
  const base = server.url.replace(/\/mcp$/, "");
  const auth = { authorization: `Bearer ${KEY}` };
  const client = new Client({ name: "extras-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: auth } }),
  );
  try {
    await client.callTool({ name: "search_conversations", arguments: { query: "refund" } });
    await client.callTool({ name: "get_conversation", arguments: { conversation_id: "nope" } });
  } finally {
    await client.close();
  }

  const refused = await fetch(`${base}/metrics`);
  await refused.body?.cancel();
  assert.equal(refused.status, 401);
  const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
  assert.match(metrics, /^fast_intercom_store_conversations 12$/m);
  assert.match(
    metrics,
    /^fast_intercom_mcp_tool_calls_total\{tool="search_conversations",outcome="ok"\} 1$/m,
  );
  assert.match(
    metrics,
    /^fast_intercom_mcp_tool_calls_total\{tool="get_conversation",outcome="error"\} 1$/m,
  );
  assert.match(
    metrics,
    /^fast_intercom_mcp_tool_duration_seconds_count\{tool="search_conversations"\} 1$/m,
  );
  assert.match(
    metrics,
    /^fast_intercom_mcp_tool_calls_total\{tool="check_coverage",outcome="ok"\} 0$/m,
  );
  if (HAS_PROMTOOL) {
    const check = await promtoolCheck(metrics);
    assert.ok(check.ok && check.output === "", check.output);
  }

  const page = await fetch(`${base}/dashboard/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>fast-intercom-mcp monitor<\/title>/);
  const bare = await fetch(`${base}/dashboard`, { redirect: "manual" });
  await bare.body?.cancel();
  assert.equal(bare.headers.get("location"), "/dashboard/");
  const noKey = await fetch(`${base}/dashboard/api/state`);
  await noKey.body?.cancel();
  assert.equal(noKey.status, 401);
  const state = await (await fetch(`${base}/dashboard/api/state`, { headers: auth })).json();
  assert.equal(state.store.conversations, 12);
});
