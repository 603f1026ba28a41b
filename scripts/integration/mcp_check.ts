/**
 * Checks the MCP server the way an assistant uses it: starts `start` (stdio) through the SDK's
 * client, lists the tools, calls each one and compares the answers with the store; then times
 * a series of searches and records the server's peak memory.
 *
 *   deno run -A scripts/integration/mcp_check.ts --out mcp.json --coverage-start 2026-01-01 \
 *     -- fast-intercom-mcp start
 *
 * The server runs with background syncs off (the store must not move under the comparison);
 * `sync_conversations` is called explicitly. Exit codes: 0 every check passed, 3 one failed.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseArgs } from "node:util";
import { resolvePaths } from "../../lib/config/paths.ts";
import { TOOL_NAMES } from "../../lib/mcp/tool_table.ts";
import { redactText } from "../../lib/logging/redact.ts";
import { Store } from "../../lib/store/store.ts";
import { EXIT } from "./exit_codes.ts";
import { watchPeakRss } from "./peak_rss.ts";
import { percentile } from "./percentile.ts";

/** The tools the server must list: every one of the tool table. */
export const EXPECTED_TOOLS = TOOL_NAMES;

/** Words searched for the latency figures (the simulator's vocabulary includes them). */
const SEARCH_WORDS = ["refund", "invoice", "login", "password", "billing", "error", "export"];

/** The outcome of {@link checkMcpServer}. */
export interface McpCheckResult {
  ok: boolean;
  tools: string[];
  /** Per tool: "ok" or what was wrong. */
  calls: Record<string, string>;
  problems: string[];
  search_latency_ms: { count: number; p50: number | null; p95: number | null; max: number | null };
  server_peak_rss_bytes: number;
}

/** Options for {@link checkMcpServer}. */
export interface McpCheckOptions {
  /** The server command, e.g. `["fast-intercom-mcp", "start"]`. */
  command: string[];
  /** The server's environment. Default: this process's, with background syncs off. */
  env?: Record<string, string>;
  /** Start of the synced window for `check_coverage` (a time spec). Default: "1 day ago". */
  coverageStart?: string;
  /** Timed searches. Default: 30. */
  searches?: number;
}

/** An MCP client session with the server; every tool answer is checked against `store`. */
export async function checkMcpServer(
  store: Store,
  options: McpCheckOptions,
): Promise<McpCheckResult> {
  const [command, ...args] = options.command;
  if (command === undefined) throw new TypeError("checkMcpServer(): no server command");
  const transport = new StdioClientTransport({
    command,
    args,
    env: options.env ?? {
      ...Deno.env.toObject(),
      FASTINTERCOM_BACKGROUND_SYNC_INTERVAL_MINUTES: "0",
      FASTINTERCOM_MAX_SYNC_AGE_MINUTES: "0",
    },
    stderr: "ignore",
  });
  const problems: string[] = [];
  transport.onerror = (error) => problems.push(`protocol error: ${error.message}`);
  const client = new Client({ name: "fast-intercom-integration", version: "1.0.0" });
  const calls: Record<string, string> = {};
  let tools: string[] = [];
  const latencies: number[] = [];
  let rss = 0;
  try {
    await client.connect(transport);
    const watch = transport.pid === null ? null : watchPeakRss(transport.pid);
    try {
      tools = (await client.listTools()).tools.map((t) => t.name);
      const missing = EXPECTED_TOOLS.filter((t) => !tools.includes(t));
      if (missing.length > 0) problems.push(`tools/list lacks ${missing.join(", ")}`);
      const call = async (name: string, args: Record<string, unknown> = {}) =>
        // sync_conversations waits for a whole sync: longer than the SDK's 60 s default.
        await client.callTool({ name, arguments: args }, undefined, {
          timeout: 180_000,
        }) as CallToolResult;
      const checks = toolChecks(store, options.coverageStart ?? "1 day ago");
      for (const name of EXPECTED_TOOLS) {
        const check = checks.get(name);
        try {
          if (check === undefined) throw new Error("no integration check for this tool: add one");
          await check(call);
          calls[name] = "ok";
        } catch (error) {
          calls[name] = error instanceof Error ? error.message : String(error);
          problems.push(`${name}: ${calls[name]}`);
        }
      }
      for (let i = 0; i < (options.searches ?? 30); i++) {
        const query = SEARCH_WORDS[i % SEARCH_WORDS.length]!;
        const started = performance.now();
        const result = await call("search_conversations", { query, limit: 20 });
        latencies.push(performance.now() - started);
        if (result.isError) problems.push(`search "${query}" failed: ${textOf(result)}`);
      }
    } finally {
      rss = (await watch?.stop()) ?? 0;
    }
  } catch (error) {
    problems.push(`the server did not answer: ${error instanceof Error ? error.message : error}`);
  } finally {
    await client.close().catch(() => {});
  }
  const round = (v: number | null) => (v === null ? null : Number(v.toFixed(2)));
  return {
    ok: problems.length === 0,
    tools,
    calls,
    problems,
    search_latency_ms: {
      count: latencies.length,
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      max: round(latencies.length ? Math.max(...latencies) : null),
    },
    server_peak_rss_bytes: rss,
  };
}

type Call = (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
// deno-lint-ignore no-explicit-any
type Data = any;

/** One check per tool, by tool name, each throwing what was wrong. */
function toolChecks(
  store: Store,
  coverageStart: string,
): Map<string, (call: Call) => Promise<void>> {
  const data = (result: CallToolResult): Data => {
    if (result.isError) throw new Error(`error result: ${textOf(result).slice(0, 300)}`);
    if (result.structuredContent === undefined) throw new Error("no structured content");
    return result.structuredContent;
  };
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what);
  };
  const total = store.searchConversations({ limit: 1 }).total;
  const longest = store.searchConversations({ limit: 100 }).hits
    .sort((a, b) => b.parts_total - a.parts_total)[0];
  const contacts = store.searchContacts({ limit: 1 });
  return new Map(Object.entries({
    search_conversations: async (call: Call) => {
      const got = data(await call("search_conversations", { limit: 100 }));
      expect(got.total === total, `total ${got.total}, the store holds ${total}`);
      const ids: string[] = got.conversations.map((c: { id: string }) => c.id);
      const unknown = ids.filter((id) => store.getConversation(id) === null);
      expect(unknown.length === 0, `returned conversations not in the store: ${unknown}`);
    },
    get_conversation: async (call: Call) => {
      expect(longest !== undefined, "the store holds no conversation to fetch");
      const stored = store.getConversation(longest!.id)!;
      const got = data(
        await call("get_conversation", {
          conversation_id: longest!.id,
          max_parts: 1000,
          max_chars: 400_000,
        }),
      );
      const pairs = (list: { id: string; body: string | null }[]) =>
        JSON.stringify(list.map((m) => [m.id, m.body]));
      const returned = got.messages.length;
      expect(returned > 0, "no messages returned");
      expect(
        pairs(got.messages) === pairs(stored.parts.slice(0, returned)),
        `messages of ${longest!.id} differ from the stored parts`,
      );
      const unknown = await call("get_conversation", { conversation_id: "0" });
      expect(unknown.isError === true, "an unknown id must give an error result");
    },
    search_contacts: async (call: Call) => {
      const got = data(await call("search_contacts", { limit: 5 }));
      expect(got.total === contacts.total, `total ${got.total}, the store has ${contacts.total}`);
    },
    get_contact: async (call: Call) => {
      const first = contacts.contacts[0];
      expect(first !== undefined, "the store holds no contact to fetch");
      const got = data(await call("get_contact", { contact_id: first!.id }));
      expect(got.contact?.id === first!.id, `asked for ${first!.id}, got ${got.contact?.id}`);
      expect(got.contact.email === first!.email, `email ${got.contact.email} ≠ ${first!.email}`);
    },
    search_tickets: async (call: Call) => {
      const got = data(await call("search_tickets", { limit: 100 }));
      const n = store.support.counts().tickets;
      expect(got.total === n, `total ${got.total}, the store holds ${n} tickets`);
    },
    get_ticket: async (call: Call) => {
      const first = store.support.searchTickets({ limit: 1 }).hits[0];
      const unknown = await call("get_ticket", { ticket_id: "0" });
      expect(unknown.isError === true, "an unknown ticket must give an error result");
      if (first === undefined) return;
      const stored = store.support.getTicket(first.id)!;
      const got = data(await call("get_ticket", { ticket_id: first.id, max_parts: 1000 }));
      expect(
        JSON.stringify(got.ticket.parts.map((p: { id: string }) => p.id)) ===
          JSON.stringify(stored.parts.map((p) => p.id)),
        `parts of ticket ${first.id} differ from the stored ones`,
      );
    },
    search_companies: async (call: Call) => {
      const got = data(await call("search_companies", { limit: 5 }));
      const n = store.support.counts().companies;
      expect(got.total === n, `total ${got.total}, the store holds ${n} companies`);
    },
    get_company: async (call: Call) => {
      const first = store.support.searchCompanies({ limit: 1 }).hits[0];
      const unknown = await call("get_company", { company: "company_0" });
      expect(unknown.isError === true, "an unknown company must give an error result");
      if (first === undefined) return;
      const got = data(await call("get_company", { company: first.id }));
      expect(got.company?.id === first.id, `asked for ${first.id}, got ${got.company?.id}`);
    },
    get_server_status: async (call: Call) => {
      const got = data(await call("get_server_status"));
      const n = store.stats().conversations;
      expect(
        got.store?.conversations === n,
        `store.conversations ${got.store?.conversations} ≠ ${n}`,
      );
    },
    check_coverage: async (call: Call) => {
      const got = data(await call("check_coverage", { start_date: coverageStart }));
      expect(got.status === "covered", `status ${got.status} for ${coverageStart}`);
    },
    search: async (call: Call) => {
      const word = SEARCH_WORDS[0]!;
      const expected = store.searchConversations({ text: word, limit: 20 }).hits.map((h) => h.id);
      const got = data(await call("search", { query: word }));
      const ids: string[] = got.results.map((r: { id: string }) => r.id);
      const conversations = ids.filter((id) => id.startsWith("conversation_"));
      expect(
        JSON.stringify(conversations) ===
          JSON.stringify(expected.map((id) => `conversation_${id}`)),
        `search "${word}" gave ${conversations.length} conversations, the store ${expected.length}`,
      );
      expect(got.results.every((r: { url: string }) => r.url !== ""), "every result has a url");
    },
    fetch: async (call: Call) => {
      expect(longest !== undefined, "the store holds no conversation to fetch");
      const stored = store.getConversation(longest!.id)!;
      const got = data(await call("fetch", { id: `conversation_${longest!.id}` }));
      expect(got.id === `conversation_${longest!.id}`, `fetch answered ${got.id}`);
      const first = stored.parts.find((p) => p.body)?.body ?? "";
      expect(got.text.includes(first.slice(0, 40)), "fetch text lacks the first message");
    },
    sync_conversations: async (call: Call) => {
      const got = data(await call("sync_conversations", { wait: true, timeout_seconds: 120 }));
      expect(got.sync?.status === "completed", `sync status ${got.sync?.status}`);
    },
  }));
}

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      "coverage-start": { type: "string" },
      searches: { type: "string", default: "30" },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    log("usage: mcp_check.ts [--out FILE] [--coverage-start TIME] -- SERVER-COMMAND…");
    return EXIT.environment;
  }
  let result: McpCheckResult;
  try {
    using store = Store.open(resolvePaths().storeFile, { readOnly: true });
    result = await checkMcpServer(store, {
      command: positionals,
      searches: Number(values.searches),
      ...(values["coverage-start"] ? { coverageStart: values["coverage-start"] } : {}),
    });
  } catch (error) {
    log(`MCP check could not run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.mcp;
  }
  if (values.out !== undefined) {
    await Deno.writeTextFile(values.out, JSON.stringify(result, null, 2) + "\n");
  }
  const l = result.search_latency_ms;
  log(
    `MCP: ${result.tools.length} tools listed, ${
      Object.values(result.calls).filter((c) => c === "ok").length
    }/${EXPECTED_TOOLS.length} tool checks passed; ${l.count} searches p50 ${l.p50} ms, ` +
      `p95 ${l.p95} ms: ${result.ok ? "ok" : `${result.problems.length} problems`}`,
  );
  for (const line of result.problems) log(`  ${line}`);
  return result.ok ? EXIT.ok : EXIT.mcp;
}

function log(line: string): void {
  // deno-lint-ignore no-console
  console.error(redactText(line));
}

if (import.meta.main) Deno.exit(await main());
