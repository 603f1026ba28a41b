import assert from "node:assert/strict";
import { join } from "node:path";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { openMcpApp } from "../../lib/mcp/app.ts";
import { assertSafeBinding, createHttpHandler, serveHttp } from "../../lib/mcp/http.ts";
import { TOOL_NAMES } from "../../lib/mcp/tool_table.ts";
import { ConfigError } from "../../lib/errors.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { cliCommand, readAllText, runCli } from "../_fixtures/cli.ts";
import { dataOf, type SyncedFixture, syncedFixture, textOf } from "./_fixtures.ts";
import { firstLine, initializeRequest } from "./_raw_client.ts";

const KEY = "test-api-key-5f0c9a-0123456789abcdef";

function appFor(fx: SyncedFixture) {
  return openMcpApp(fx.settings, {
    sessionId: "http-test",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
  });
}

const initialize = initializeRequest({ client: "raw" });

/** A JSON-RPC answer, sent as JSON or as the data line of an SSE stream. */
// deno-lint-ignore no-explicit-any
async function rpcAnswer(response: Response): Promise<any> {
  const text = await response.text();
  const data = text.startsWith("{")
    ? text
    : text.split("\n").find((line) => line.startsWith("data: "))?.slice(6);
  return JSON.parse(data ?? "null");
}

function post(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(initialize),
  });
}

Deno.test("serve answers the SDK client over Streamable HTTP with the right key, 401 otherwise", async () => {
  await using fx = await syncedFixture({ conversations: 40, seed: 3 });
  await using server = await serveHttp(appFor(fx), { port: 0, apiKey: KEY });
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { authorization: `Bearer ${KEY}` } },
  });
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
    const call = async (name: string, args: Record<string, unknown>) =>
      await client.callTool({ name, arguments: args }) as CallToolResult;
    const expected = fx.store.searchConversations({ state: "open", limit: 100 });
    const found = dataOf(await call("search_conversations", { state: "open", limit: 100 }));
    assert.deepEqual(
      found.conversations.map((c: { id: string }) => c.id),
      expected.hits.map((h) => h.id),
    );
    const id = expected.hits[0]!.id;
    const thread = dataOf(await call("get_conversation", { conversation_id: id }));
    assert.equal(thread.total_messages, fx.store.getConversation(id)!.parts.length);
    const status = dataOf(await call("get_server_status", {}));
    assert.equal(status.server.transport, "http");
    const contacts = dataOf(await call("search_contacts", { limit: 100 }));
    assert.equal(contacts.total, fx.store.searchContacts({}).total);
    const contactId = contacts.contacts[0].id;
    const contact = dataOf(await call("get_contact", { contact_id: contactId }));
    assert.equal(contact.contact.name, fx.store.getContact(contactId)?.name);
    const coverage = dataOf(await call("check_coverage", { start_date: "3 days ago" }));
    assert.equal(coverage.covered, true);
    const sync = dataOf(await call("sync_conversations", { wait: true, timeout_seconds: 30 }));
    assert.equal(sync.sync.status, "completed");
    const bad = await call("check_coverage", { start_date: "someday" });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /cannot understand start_date "someday"/);
  } finally {
    await client.close();
  }

  const none = await post(server.url);
  assert.equal(none.status, 401);
  assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer/);
  assert.ok(!(await none.text()).includes(KEY));
  const wrong = await post(server.url, { authorization: "Bearer not-the-key" });
  assert.equal(wrong.status, 401);
  await wrong.body?.cancel();
  const right = await post(server.url, { authorization: `Bearer ${KEY}` });
  assert.equal(right.status, 200);
  assert.equal((await rpcAnswer(right)).result.serverInfo.name, "fast-intercom-mcp");

  const health = await fetch(server.url.replace(/\/mcp$/, "/health"));
  assert.equal(health.status, 200);
  assert.equal((await health.json()).status, "ok");
  const get = await fetch(server.url, { headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(get.status, 400, "GET needs a session");
  await get.body?.cancel();
});

Deno.test("the HTTP handler refuses foreign origins and DNS-rebound hosts with 403", async () => {
  await using fx = await syncedFixture({ conversations: 5, seed: 2 });
  await using app = appFor(fx);
  const handle = createHttpHandler(app, { loopback: true, allowedOrigins: ["https://ok.example"] });
  const request = (headers: Record<string, string>) =>
    handle(
      new Request("http://127.0.0.1:8000/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(initialize),
      }),
    );
  const cases: [Record<string, string>, number][] = [
    [{ host: "127.0.0.1:8000" }, 200],
    [{ host: "localhost:8000", origin: "http://localhost:6274" }, 200],
    [{ host: "127.0.0.1:8000", origin: "https://ok.example" }, 200],
    [{ host: "127.0.0.1:8000", origin: "https://evil.example" }, 403],
    [{ host: "127.0.0.1:8000", origin: "null" }, 403],
    [{ host: "evil.example:8000" }, 403],
  ];
  for (const [headers, status] of cases) {
    const response = await request(headers);
    assert.equal(response.status, status, JSON.stringify(headers));
    await response.body?.cancel();
  }
});

Deno.test("assertSafeBinding() refuses non-loopback addresses without a key", () => {
  assert.throws(() => assertSafeBinding("0.0.0.0", null), ConfigError);
  assert.throws(() => assertSafeBinding("192.168.1.4", null), /refusing to serve on "192.168.1.4"/);
  assertSafeBinding("0.0.0.0", KEY);
  assertSafeBinding("127.0.0.1", null);
  assertSafeBinding("::1", null);
});

Deno.test("assertSafeBinding() refuses blank keys anywhere and weak keys beyond loopback", () => {
  for (const host of ["127.0.0.1", "0.0.0.0"]) {
    assert.throws(() => assertSafeBinding(host, "   "), /API key .*is empty or only whitespace/);
    assert.throws(() => assertSafeBinding(host, ""), /is empty or only whitespace/);
    assert.throws(() => assertSafeBinding(host, "two words"), /contains spaces/);
  }
  assert.throws(
    () => assertSafeBinding("0.0.0.0", "order"),
    /is 5 characters long; serving beyond loopback needs at least 32\. .*openssl rand -hex 32/,
  );
  assert.throws(() => assertSafeBinding("0.0.0.0", "ab".repeat(20)), /too few distinct/);
  assertSafeBinding("127.0.0.1", "order"); // loopback: any sendable key
  assertSafeBinding("0.0.0.0", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
});

Deno.test("serve refuses --host 0.0.0.0 without a key; with one it serves and never logs it", async () => {
  await using fx = await syncedFixture({ conversations: 5, seed: 4 });
  const refused = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], { env: fx.env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refusing to serve on "0\.0\.0\.0" without an API key/);
  const blank = await runCli(["serve", "--port", "0"], {
    env: { ...fx.env, FASTINTERCOM_API_KEY: "   " },
  });
  assert.equal(blank.code, 1);
  assert.match(blank.stderr, /the API key .* is empty or only whitespace.*openssl rand -hex 32/);

  const child = cliCommand(["--verbose", "serve", "--host", "0.0.0.0", "--port", "0"], {
    env: { ...fx.env, FASTINTERCOM_API_KEY: KEY },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
    new LineSplitStream(),
  );
  let stdout = "";
  try {
    const first = await firstLine(lines);
    stdout += first;
    const port = /:(\d+)\/mcp/.exec(first)?.[1];
    assert.ok(port, first);
    const url = `http://127.0.0.1:${port}/mcp`;
    const refused = await post(url);
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const ok = await post(url, { authorization: `Bearer ${KEY}` });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    child.kill("SIGTERM");
    for await (const line of lines) stdout += line;
  }
  const status = await child.status;
  const errText = await stderr;
  assert.equal(status.code, 0, errText);
  const everything = stdout + errText + (await readAllText(join(fx.box.dataDir, "logs")));
  assert.ok(everything.includes("API key required"), stdout);
  assert.ok(!everything.includes(KEY), "the API key leaked into output or logs");
});
