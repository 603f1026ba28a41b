import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TOOL_NAMES } from "../../lib/mcp/tool_table.ts";
import { DEFAULT_SIMULATOR_TOKEN } from "../../lib/simulator/mod.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { cliCommand } from "../_fixtures/cli.ts";
import { childEnv, cliInvocation, dataOf, syncedFixture, textOf } from "./_fixtures.ts";

const NO_BACKGROUND = {
  FASTINTERCOM_BACKGROUND_SYNC_INTERVAL_MINUTES: "0",
  FASTINTERCOM_MAX_SYNC_AGE_MINUTES: "0",
};

Deno.test("start serves every tool over stdio to the SDK client; answers match the store", async () => {
  await using fx = await syncedFixture({ conversations: 80, seed: 5 });
  const transport = new StdioClientTransport({
    ...cliInvocation(["start"]),
    env: childEnv({ ...fx.env, ...NO_BACKGROUND }),
    stderr: "pipe",
  });
  const protocolErrors: Error[] = [];
  transport.onerror = (error) => protocolErrors.push(error);
  const client = new Client({ name: "stdio-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const call = async (name: string, args: Record<string, unknown> = {}) =>
      await client.callTool({ name, arguments: args }) as CallToolResult;
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
    for (const tool of tools) assert.ok((tool.description ?? "").length > 80, tool.name);

    const expected = fx.store.searchConversations({ text: "refund", limit: 100 });
    const search = dataOf(await call("search_conversations", { query: "refund", limit: 100 }));
    assert.equal(search.total, expected.total);
    assert.deepEqual(
      search.conversations.map((c: { id: string }) => c.id),
      expected.hits.map((h) => h.id),
    );

    const longest = fx.store.searchConversations({ limit: 100 }).hits
      .sort((a, b) => b.parts_total - a.parts_total)[0]!;
    const stored = fx.store.getConversation(longest.id)!;
    const thread = dataOf(await call("get_conversation", { conversation_id: longest.id }));
    assert.deepEqual(
      thread.messages.map((m: { id: string; body: string | null }) => [m.id, m.body]),
      stored.parts.map((p) => [p.id, p.body]),
    );
    assert.ok(
      thread.conversation.url.endsWith(
        `/${fx.sim.workspace.app.id_code}/inbox/conversation/${longest.id}`,
      ),
    );

    const contacts = dataOf(await call("search_contacts", { limit: 5 }));
    assert.equal(contacts.total, fx.store.searchContacts({}).total);
    const contact = dataOf(await call("get_contact", { contact_id: contacts.contacts[0].id }));
    assert.equal(contact.contact.email, fx.store.getContact(contacts.contacts[0].id)?.email);

    const status = dataOf(await call("get_server_status"));
    assert.equal(status.store.conversations, fx.store.stats().conversations);
    assert.equal(status.server.transport, "stdio");

    const coverage = dataOf(await call("check_coverage", { start_date: "7 days ago" }));
    assert.equal(coverage.status, "covered");

    const sync = dataOf(await call("sync_conversations", { wait: true, timeout_seconds: 30 }));
    assert.equal(sync.sync.status, "completed");
    assert.match(sync.sync.process_id, /^sync-/);

    const bad = await call("get_conversation", { conversation_id: "999999999" });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /"999999999" is not in the local store/);
    const invalid = await call("search_conversations", { limit: 0 });
    assert.equal(invalid.isError, true);
    assert.deepEqual(protocolErrors, []);
  } finally {
    await client.close();
  }
});

/** Sends JSON-RPC lines to a child and collects every stdout line. */
function rawSession(args: string[], env: Record<string, string>) {
  const child = cliCommand(args, { env, stdin: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  const lines: string[] = [];
  const waiters = new Map<number, (message: Record<string, unknown>) => void>();
  const reading = (async () => {
    const stream = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitStream(),
    );
    for await (const line of stream) {
      lines.push(line);
      try {
        const message = JSON.parse(line);
        waiters.get(message.id)?.(message);
      } catch {
        // kept in `lines`; the test asserts on them
      }
    }
  })();
  const stderr = new Response(child.stderr).text();
  let nextId = 1;
  const send = (message: Record<string, unknown>) =>
    writer.write(new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n"));
  const request = async (method: string, params: Record<string, unknown> = {}) => {
    const id = nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve) => waiters.set(id, resolve));
    await send({ id, method, params });
    return await answer;
  };
  return {
    lines,
    request,
    send,
    async close() {
      await writer.close();
      const status = await child.status;
      await reading;
      return { code: status.code, stderr: await stderr };
    },
  };
}

interface ServerStatus {
  freshness: { sync_running: boolean };
  store: { conversations: number };
}

function assertAllJsonRpc(lines: string[]): void {
  assert.ok(lines.length > 0, "no output at all");
  for (const line of lines) {
    let message: { jsonrpc?: unknown };
    try {
      message = JSON.parse(line);
    } catch {
      assert.fail(`stdout line is not JSON: ${line.slice(0, 200)}`);
    }
    assert.equal(message.jsonrpc, "2.0", `not JSON-RPC: ${line.slice(0, 200)}`);
  }
}

Deno.test("start --verbose writes only JSON-RPC to stdout, also while a background sync runs", async () => {
  // no store yet and a slow API: the server starts a sync at once and answers meanwhile
  await using fx = await syncedFixture({
    conversations: 150,
    seed: 8,
    latency: { meanMs: 15, jitterMs: 2 },
    sync: false,
  });
  const session = rawSession(["--verbose", "start"], {
    ...fx.env,
    FASTINTERCOM_SYNC_CONCURRENCY: "2",
    FASTINTERCOM_INITIAL_SYNC_DAYS: "365",
  });
  let sawRunning = false;
  let running = true;
  let synced = 0;
  let stderr = "";
  try {
    const init = await session.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    });
    assert.ok(init.result);
    await session.send({ method: "notifications/initialized" });
    for (let i = 0; i < 400 && running; i++) {
      const status = await session.request("tools/call", {
        name: "get_server_status",
        arguments: {},
      });
      const data = (status.result as { structuredContent: ServerStatus }).structuredContent;
      sawRunning ||= data.freshness.sync_running;
      running = data.freshness.sync_running || !sawRunning;
      synced = data.store.conversations;
      const search = await session.request("tools/call", {
        name: "search_conversations",
        arguments: { query: "the" },
      });
      assert.equal((search.result as { isError?: boolean }).isError, undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const closed = await session.close();
    stderr = closed.stderr;
    assert.equal(closed.code, 0, stderr);
    assert.match(stderr, /DBG|debug/i, "verbose logs go to stderr");
    assert.ok(!stderr.includes(DEFAULT_SIMULATOR_TOKEN), "token leaked to stderr");
  }
  assert.ok(sawRunning, "a background sync was running during the calls");
  const syncLines = stderr.split("\n").filter((l) => /sync/i.test(l)).slice(-15).join("\n");
  assert.equal(synced, 150, `the background sync did not store everything:\n${syncLines}`);
  assertAllJsonRpc(session.lines);
});
