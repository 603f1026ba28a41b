import assert from "node:assert/strict";
import { answerDirectly, directCall, directHeaders } from "../../lib/mcp/direct_calls.ts";
import { openMcpApp } from "../../lib/mcp/app.ts";
import { serveHttp } from "../../lib/mcp/http.ts";
import { createMcpServer } from "../../lib/mcp/server.ts";
import { syncedFixture } from "./_fixtures.ts";
import { openRawSession } from "./_raw_client.ts";

const TOOLS = new Set(["search_conversations", "get_conversation"]);
const call = (params: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params,
  ...extra,
});

Deno.test("directCall() takes only one plain call of a listed tool, without progress or task", () => {
  const ok = [
    call({ name: "search_conversations", arguments: { query: "refund" } }),
    call({ name: "get_conversation", arguments: {}, _meta: {} }),
    { ...call({ name: "search_conversations" }), id: "abc" },
  ];
  for (const body of ok) assert.ok(directCall(body, TOOLS), JSON.stringify(body));
  const not = [
    call({ name: "sync_conversations", arguments: {} }),
    call({ name: "search_conversations", _meta: { progressToken: 1 } }),
    call({ name: "search_conversations", task: { ttl: 1 } }),
    call({ name: "search_conversations", _meta: "x" }),
    call({ name: 3 }),
    call(null),
    call({ name: "search_conversations" }, { extra: true }),
    { ...call({ name: "search_conversations" }), id: 1.5 },
    { ...call({ name: "search_conversations" }), id: null },
    { ...call({ name: "search_conversations" }), jsonrpc: "1.0" },
    { ...call({ name: "search_conversations" }), method: "tools/list" },
    [call({ name: "search_conversations" })],
    "tools/call",
    null,
  ];
  for (const body of not) assert.equal(directCall(body, TOOLS), null, JSON.stringify(body));
});

Deno.test("directHeaders() takes only what the transport itself would accept", () => {
  const request = (headers: Record<string, string>, method = "POST") =>
    new Request("http://127.0.0.1/mcp", { method, headers });
  const good = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  };
  assert.ok(directHeaders(request(good)));
  assert.ok(directHeaders(request({ ...good, "content-type": "application/json; charset=utf-8" })));
  assert.ok(directHeaders(request({ ...good, "mcp-protocol-version": "2025-06-18" })));
  assert.ok(!directHeaders(request({ ...good, accept: "application/json" })));
  assert.ok(!directHeaders(request({ ...good, "content-type": "text/plain" })));
  assert.ok(!directHeaders(request({ ...good, "mcp-protocol-version": "1999-01-01" })));
  assert.ok(!directHeaders(request({ accept: good.accept }, "GET")));
});

/** The JSON-RPC message of an answer, whether JSON or an SSE stream of one message. */
async function message(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const data = text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
    return JSON.parse(data.at(-1)!);
  }
  return JSON.parse(text);
}

Deno.test("over HTTP, a plain read-only tool call is answered as JSON, the same as the stream answers it", async () => {
  await using fx = await syncedFixture({ conversations: 12, seed: 5 });
  const app = await openMcpApp(fx.settings, {
    sessionId: "direct-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
  });
  await using server = await serveHttp(app, { port: 0 });
  const headers: Record<string, string> = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  };
  const post = (body: unknown) =>
    fetch(server.url, { method: "POST", headers, body: JSON.stringify(body) });
  const initialized = await openRawSession(post, headers, { protocolVersion: true });
  assert.equal(initialized.status, 202);
  await initialized.body?.cancel();

  const id = fx.store.searchConversations({ limit: 1 }).hits[0]!.id;
  const cases: [string, Record<string, unknown>][] = [
    ["search_conversations", { query: "refund" }],
    ["search_conversations", { limit: 3 }],
    ["get_conversation", { conversation_id: id }],
    ["get_conversation", { conversation_id: "no-such-id" }], // a tool error
    ["get_conversation", { conversation_id: 5, max_parts: "x" }], // invalid arguments
    ["get_server_status", {}],
  ];
  let n = 1;
  for (const [name, args] of cases) {
    const direct = await post({
      jsonrpc: "2.0",
      id: n++,
      method: "tools/call",
      params: { name, arguments: args },
    });
    assert.equal(direct.status, 200);
    assert.equal(direct.headers.get("content-type"), "application/json", name);
    assert.equal(direct.headers.get("mcp-session-id"), headers["mcp-session-id"]);
    const streamed = await post({
      jsonrpc: "2.0",
      id: n++,
      method: "tools/call",
      params: { name, arguments: args, _meta: { progressToken: "p" } },
    });
    assert.match(streamed.headers.get("content-type") ?? "", /^text\/event-stream/, name);
    const [a, b] = [await message(direct), await message(streamed)];
    const strip = (m: Record<string, unknown>) =>
      JSON.parse(
        // the two calls may straddle a second: the data's age is left out
        JSON.stringify({ ...m, id: 0 }).replace(/"data_age_seconds":\d+/g, '"data_age_seconds":0')
          .replace(/\(\d+s ago\)/g, "(0s ago)"),
      );
    assert.deepEqual(strip(a), strip(b), `${name} ${JSON.stringify(args)}`);
  }

  // what the direct path does not take goes to the transport, which answers as before
  const unknown = await message(
    await post({ jsonrpc: "2.0", id: 90, method: "tools/call", params: { name: "nope" } }),
  );
  assert.equal((unknown.error as { code: number }).code, -32602);
  const broken = await fetch(server.url, { method: "POST", headers, body: "{not json" });
  assert.equal(broken.status, 400);
  assert.equal(((await broken.json()).error as { code: number }).code, -32700);
  const batch = await post([{ jsonrpc: "2.0", id: 91, method: "ping" }]);
  assert.equal(batch.status, 200);
  await batch.body?.cancel();
});

Deno.test("answerDirectly() hands the tools/call handler the request's headers and URL, as the transport does", async () => {
  await using fx = await syncedFixture({ conversations: 2, seed: 5 });
  const app = openMcpApp(fx.settings, {
    sessionId: "direct-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
  });
  try {
    const server = createMcpServer(app.ctx);
    const seen: Record<string, unknown>[] = [];
    const handlers = (server.server as unknown as { _requestHandlers: Map<string, unknown> })
      ._requestHandlers;
    handlers.set("tools/call", (_request: unknown, extra: Record<string, unknown>) => {
      seen.push({ ...extra });
      return Promise.resolve({ content: [] });
    });
    const request = new Request("http://127.0.0.1:9/mcp?x=1", {
      method: "POST",
      headers: { "content-type": "application/json", "mcp-session-id": "s1" },
    });
    const direct = directCall(
      call({ name: "search_conversations", arguments: {}, _meta: { a: 1 } }),
      TOOLS,
    )!;
    const response = await answerDirectly(server, direct, { sessionId: "s1", request });
    assert.deepEqual(await response.json(), { result: { content: [] }, jsonrpc: "2.0", id: 7 });
    const extra = seen[0]!;
    assert.deepEqual(extra.requestInfo, {
      headers: { "content-type": "application/json", "mcp-session-id": "s1" },
      url: new URL("http://127.0.0.1:9/mcp?x=1"),
    });
    assert.equal(extra.sessionId, "s1");
    assert.equal(extra.requestId, 7);
    assert.deepEqual(extra._meta, { a: 1 });
    await server.close();
  } finally {
    await app.close();
  }
});
