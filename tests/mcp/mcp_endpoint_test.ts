import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type CallToolResult,
  LoggingMessageNotificationSchema,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { openMcpApp } from "../../lib/mcp/app.ts";
import { serveHttp } from "../../lib/mcp/http.ts";
import { McpSessions } from "../../lib/mcp/mcp_endpoint.ts";
import type { SyncRunner } from "../../lib/mcp/sync_manager.ts";
import { type SyncedFixture, syncedFixture } from "./_fixtures.ts";
import { openRawSession } from "./_raw_client.ts";

function appFor(fx: SyncedFixture, runner?: SyncRunner) {
  return openMcpApp(fx.settings, {
    sessionId: "endpoint-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
    ...(runner ? { runner } : {}),
  });
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "endpoint-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
}

Deno.test("over HTTP, sync_conversations with wait sends progress; cancelling stops the wait, not the sync", async () => {
  await using fx = await syncedFixture({
    conversations: 120,
    seed: 8,
    latency: { meanMs: 15, jitterMs: 2 },
    sync: false,
  });
  const app = appFor(fx);
  await using server = await serveHttp(app, { port: 0 });
  const client = await connect(server.url);
  try {
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: "sync_conversations", arguments: { wait: true, timeout_seconds: 60, days: 30 } },
      undefined,
      { onprogress: (p) => progress.push(p), timeout: 60_000 },
    ) as CallToolResult;
    assert.equal(
      (result.structuredContent as { sync: { status: string } }).sync.status,
      "completed",
    );
    assert.ok(progress.length >= 3, `progress notifications: ${JSON.stringify(progress)}`);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i]!.progress > progress[i - 1]!.progress, "strictly increasing");
    }
    assert.equal(progress.at(-1)!.progress, progress.at(-1)!.total);

    const abort = new AbortController();
    const cancelled = client.callTool(
      { name: "sync_conversations", arguments: { wait: true, force: true, days: 30 } },
      undefined,
      { signal: abort.signal, onprogress: () => {} },
    );
    await until(() => app.ctx.sync.running?.waiting === 1, "the call waits for the sync");
    abort.abort();
    await assert.rejects(cancelled);
    await until(() => app.ctx.sync.running?.waiting === 0, "the server stopped waiting");
    assert.ok(app.ctx.sync.running !== null, "the sync itself goes on");
  } finally {
    await client.close();
  }
});

Deno.test("over HTTP, a failing background sync reaches the client as notifications/message", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 8 });
  let fail = true;
  const runner: SyncRunner = (_request, hooks) => {
    hooks.onProcessId("sync-test");
    hooks.onProgress({ type: "error", message: "page 3 skipped", current: null, total: null });
    return fail ? Promise.reject(new Error("Intercom answered 500")) : new Promise(() => {});
  };
  await using server = await serveHttp(appFor(fx, runner), { port: 0 });
  const client = await connect(server.url);
  const messages: { level: string; data: unknown }[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    messages.push({ level: n.params.level, data: n.params.data });
  });
  try {
    await client.setLoggingLevel("warning");
    await new Promise((r) => setTimeout(r, 100)); // the GET stream for server messages opens
    await client.callTool({ name: "sync_conversations", arguments: {} });
    await until(() => messages.length >= 2, `log notifications: ${JSON.stringify(messages)}`);
    assert.deepEqual(messages.map((m) => m.level), ["warning", "error"]);
    assert.match(JSON.stringify(messages[1]!.data), /sync failed: Intercom answered 500/);
    assert.match(JSON.stringify(messages[0]!.data), /page 3 skipped/);

    await client.setLoggingLevel("critical");
    fail = true;
    await client.callTool({ name: "sync_conversations", arguments: {} });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(messages.length, 2, "below the level the client set: not sent");
  } finally {
    await client.close();
  }
});

Deno.test("the MCP endpoint keeps sessions: 404 for unknown ids, DELETE ends one, JSON without one", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 8 });
  await using server = await serveHttp(appFor(fx), { port: 0 });
  const headers = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  const unknown = await fetch(server.url, {
    method: "POST",
    headers: { ...headers, "mcp-session-id": "no-such-session" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();

  const client = await connect(server.url);
  const transport = client.transport as StreamableHTTPClientTransport;
  const session = transport.sessionId!;
  assert.match(session, /^[0-9a-f-]{36}$/);
  assert.ok((await client.listTools()).tools.length > 0);
  await transport.terminateSession(); // DELETE
  const after = await fetch(server.url, {
    method: "POST",
    headers: { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
  });
  assert.equal(after.status, 404);
  await after.body?.cancel();
  await client.close();

  // a one-off request without a session is answered as plain JSON
  const oneOff = await fetch(server.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }),
  });
  assert.equal(oneOff.status, 200);
  assert.equal(oneOff.headers.get("content-type"), "application/json");
  assert.ok((await oneOff.json()).result.tools.length > 0);

  const tooLarge = await fetch(server.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list", pad: "x".repeat(5 << 20) }),
  });
  assert.equal(tooLarge.status, 413);
  await tooLarge.body?.cancel();
});

Deno.test("concurrent direct tool calls are answered in arrival order, each before the next one runs", async () => {
  await using fx = await syncedFixture({ conversations: 6, seed: 8 });
  const events: string[] = [];
  const app = openMcpApp(fx.settings, {
    sessionId: "endpoint-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
    onToolCall: (tool) => void events.push(`ran ${tool}`),
  });
  const sessions = new McpSessions(app);
  try {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
    const post = (body: unknown) =>
      sessions.handle(
        new Request("http://127.0.0.1/mcp", {
          method: "POST",
          headers,
          body: JSON.stringify(body),
        }),
      );
    await (await openRawSession(post, headers)).body?.cancel();

    // tools that only read the store (get_server_status also reads files: it awaits I/O,
    // and the next call starts meanwhile)
    const id = fx.store.searchConversations({ limit: 1 }).hits[0]!.id;
    const calls: [string, Record<string, unknown>][] = [
      ["search_conversations", {}],
      ["get_conversation", { conversation_id: id }],
      ["search_conversations", { query: "refund" }],
    ];
    // the first call of each tool compiles its output schema
    for (const [name, args] of calls) {
      await (await post({
        jsonrpc: "2.0",
        id: 0,
        method: "tools/call",
        params: { name, arguments: args },
      })).body?.cancel();
    }
    events.length = 0;
    const answers = Array.from({ length: 9 }, (_, i) =>
      post({
        jsonrpc: "2.0",
        id: i + 1,
        method: "tools/call",
        params: { name: calls[i % 3]![0], arguments: calls[i % 3]![1] },
      }).then((response) => {
        events.push(`answered ${i + 1}`);
        return response;
      }));
    for (const [i, response] of (await Promise.all(answers)).entries()) {
      assert.equal(response.headers.get("content-type"), "application/json");
      const message = await response.json();
      assert.equal(message.id, i + 1);
      assert.equal(message.result.isError, undefined, JSON.stringify(message));
    }
    assert.deepEqual(
      events,
      Array.from({ length: 9 }, (_, i) => [`ran ${calls[i % 3]![0]}`, `answered ${i + 1}`]).flat(),
    );
  } finally {
    await sessions.close();
    await app.close();
  }
});

Deno.test("the MCP endpoint reads chunked bodies too, and refuses them past the limit with 413", async () => {
  await using fx = await syncedFixture({ conversations: 2, seed: 8 });
  await using server = await serveHttp(appFor(fx), { port: 0 });
  const client = await connect(server.url);
  const session = (client.transport as StreamableHTTPClientTransport).sessionId!;
  const chunked = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) {
          controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        }
        controller.close();
      },
    });
  };
  const headers = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-06-18",
  };
  try {
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "search_conversations", arguments: {} },
    });
    const small = await fetch(server.url, {
      method: "POST",
      headers: { ...headers, "mcp-session-id": session },
      body: chunked(call),
    });
    assert.equal(small.status, 200);
    const answer = await small.json();
    assert.equal(answer.id, 5);
    assert.ok(Array.isArray(answer.result.structuredContent.conversations));

    const huge = JSON.stringify({
      jsonrpc: "2.0",
      id: 6,
      method: "tools/list",
      pad: "x".repeat(5 << 20),
    });
    for (const extra of [{ "mcp-session-id": session }, {}]) {
      const tooLarge = await fetch(server.url, {
        method: "POST",
        headers: { ...headers, ...extra },
        body: chunked(huge),
      });
      assert.equal(tooLarge.status, 413, JSON.stringify(extra));
      await tooLarge.body?.cancel();
    }
  } finally {
    await client.close();
  }
});
