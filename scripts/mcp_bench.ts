// deno-lint-ignore-file no-console
/**
 * MCP benchmark: `search_conversations` and `get_conversation` latency as an MCP client sees
 * it (a `tools/call` round trip through the SDK client and server over an in-memory
 * transport: argument validation, the store query, result shaping and JSON), on the
 * synthetic store of 100,000 conversations and ~1.1 million parts; and the time from starting
 * `fast-intercom-mcp start` to the first answered `tools/list` over stdio.
 *
 *   deno run -A scripts/mcp_bench.ts [--conversations 100000] [--iterations 200] [--startup-runs 5]
 *     [--binary dist/fast-intercom-mcp]   (start-up of a compiled binary too; default: that path
 *                                          when it exists)
 *
 * The store is built once into the cache shared with scripts/store_bench.ts
 * (STORE_BENCH_DIR, default ~/.cache/fast-intercom-mcp/bench). Targets: search p95 ≤ 10 ms,
 * get_conversation p95 ≤ 5 ms.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ClientNotifier } from "../lib/mcp/client_notifier.ts";
import type { McpContext } from "../lib/mcp/context.ts";
import { ReadStore } from "../lib/mcp/read_store.ts";
import { createMcpServer } from "../lib/mcp/server.ts";
import { SyncManager } from "../lib/mcp/sync_manager.ts";
import { WorkspaceId } from "../lib/mcp/workspace.ts";
import { readStatus } from "../lib/registry/status_reader.ts";
import { Store } from "../lib/store/store.ts";
import { LineSplitStream } from "../lib/util/lines.ts";
import { percentile } from "./_bench_stats.ts";
import { SYNTHETIC_END, SYNTHETIC_WORDS } from "./make_synthetic_store.ts";
import { benchStorePath } from "./store_bench.ts";
import { taskFlags } from "./task_flags.ts";

const TARGETS = { search_conversations: 10, get_conversation: 5 } as const;
const ROOT = new URL("../", import.meta.url).pathname;

interface Stats {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** CPU time this process spent per call, ms (user + system): steadier than wall time on a busy machine. */
  cpu: number | null;
}

/** CPU milliseconds this process has used (Linux /proc; null elsewhere). */
function cpuMs(): number | null {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Call times and the CPU spent per call. */
interface Timed {
  samples: number[];
  cpu: number | null;
}

function stats(name: string, timed: Timed | number[]): Stats {
  const samples = Array.isArray(timed) ? timed : timed.samples;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    cpu: Array.isArray(timed) ? null : timed.cpu,
    name,
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

function printTable(rows: Stats[]): void {
  const ms = (v: number) => v.toFixed(2).padStart(8);
  console.log(
    `${"case".padEnd(44)}${"n".padStart(6)}     p50      p95      p99      max  cpu/call (ms)`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(44)}${String(r.n).padStart(6)}${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${
        ms(r.max)
      } ${r.cpu === null ? "       —" : ms(r.cpu)}`,
    );
  }
}

function sample(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const column = (sql: string) => db.prepare(sql).all().map((r) => String(Object.values(r)[0]));
    return {
      ids10: column(
        "SELECT id FROM conversations WHERE parts_total BETWEEN 9 AND 11 ORDER BY random() LIMIT 500",
      ),
      idsLong: column(
        "SELECT id FROM conversations WHERE parts_total >= 400 ORDER BY random() LIMIT 100",
      ),
      emails: column("SELECT source_author_email FROM conversations ORDER BY random() LIMIT 500"),
      tags: column("SELECT name FROM tags"),
    };
  } finally {
    db.close();
  }
}

function benchContext(path: string, statusDir: string): McpContext {
  Store.open(path).close(); // migrates a store built by an older schema, once
  return {
    store: new ReadStore(path),
    sync: new SyncManager({
      runner: null,
      intervalMinutes: 0,
      maxAgeMinutes: 0,
      dataAgeSeconds: () => null,
    }),
    workspace: new WorkspaceId({ known: "benchws" }),
    notifier: new ClientNotifier(),
    readActivity: async () => ({ dataDir: "", report: await readStatus(statusDir), lock: null }),
    clock: () => SYNTHETIC_END * 1000,
    maxSyncAgeMinutes: 0,
    server: {
      version: "bench",
      transport: "memory",
      startedAt: Date.now(),
      revealLocalDetails: true,
    },
  };
}

async function connect(ctx: McpContext): Promise<Client> {
  const server = createMcpServer(ctx);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "mcp-bench", version: "1" });
  await client.connect(clientSide);
  return client;
}

async function timeCalls(
  client: Client,
  name: string,
  argsFor: (i: number) => Record<string, unknown>,
  iterations: number,
): Promise<Timed> {
  const samples: number[] = [];
  const cpuStart = cpuMs();
  for (let i = 0; i < iterations; i++) {
    const args = argsFor(i);
    const started = performance.now();
    const result = await client.callTool({ name, arguments: args }) as CallToolResult;
    samples.push(performance.now() - started);
    if (result.isError) {
      const text = result.content[0]?.type === "text" ? result.content[0].text : "";
      throw new Error(`${name} ${JSON.stringify(args)} failed: ${text}`);
    }
  }
  const cpuEnd = cpuMs();
  const cpu = cpuStart === null || cpuEnd === null ? null : (cpuEnd - cpuStart) / iterations;
  return { samples, cpu };
}

async function benchTools(path: string, iterations: number): Promise<Stats[]> {
  const statusDir = await Deno.makeTempDir({ prefix: "mcp_bench_status_" });
  const ctx = benchContext(path, statusDir);
  const client = await connect(ctx);
  const s = sample(path);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const searches: [string, (i: number) => Record<string, unknown>][] = [
    ["rare word", () => ({ query: SYNTHETIC_WORDS.rare })],
    ["common word (~1/3 of conversations)", () => ({ query: SYNTHETIC_WORDS.common })],
    ["very common word (nearly all)", () => ({ query: SYNTHETIC_WORDS.veryCommon })],
    ["phrase", () => ({ query: `"${SYNTHETIC_WORDS.phrase}"` })],
    ["word + last 7 days", () => ({ query: SYNTHETIC_WORDS.common, timeframe: "last 7 days" })],
    ["customer_email", (i) => ({ customer_email: pick(s.emails, i) })],
    ["state open + last month, no words", () => ({ state: "open", timeframe: "last month" })],
    ["tag + word", (i) => ({ tag: pick(s.tags, i), query: SYNTHETIC_WORDS.common })],
    ["recent, no filter", () => ({})],
  ];
  const rows: Stats[] = [];
  const allSearch: number[] = [];
  let searchCpu = 0;
  // warm the page cache and the statement caches
  await timeCalls(client, "search_conversations", () => ({ query: "thanks" }), 20);
  await timeCalls(client, "get_conversation", (i) => ({ conversation_id: pick(s.ids10, i) }), 20);
  for (const [label, args] of searches) {
    const timed = await timeCalls(client, "search_conversations", args, iterations);
    allSearch.push(...timed.samples);
    searchCpu += timed.cpu ?? NaN;
    rows.push(stats(`search: ${label}`, timed));
  }
  const get10 = await timeCalls(
    client,
    "get_conversation",
    (i) => ({ conversation_id: pick(s.ids10, i) }),
    iterations * 3,
  );
  const getLong = await timeCalls(
    client,
    "get_conversation",
    (i) => ({ conversation_id: pick(s.idsLong, i) }),
    iterations,
  );
  rows.push(stats("get: ~10 parts", get10), stats("get: ≥400 parts (first 100)", getLong));
  rows.push(
    stats("search_conversations, all cases", {
      samples: allSearch,
      cpu: Number.isNaN(searchCpu) ? null : searchCpu / searches.length,
    }),
  );
  rows.push(
    stats("get_conversation, all cases", {
      samples: [...get10.samples, ...getLong.samples],
      cpu: get10.cpu === null || getLong.cpu === null ? null : (get10.cpu * 3 + getLong.cpu) / 4,
    }),
  );
  await client.close();
  ctx.store.close();
  await Deno.remove(statusDir, { recursive: true });
  return rows;
}

/** Milliseconds from spawning `start` to the answer of the first `tools/list`. */
async function startupOnce(command: string, args: string[]): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "mcp_bench_start_" });
  const cache = Deno.env.get("DENO_DIR") ??
    join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno");
  const started = performance.now();
  const child = new Deno.Command(command, {
    args,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: cache,
      HOME: dir,
      FASTINTERCOM_DATA_DIR: join(dir, "data"),
      FASTINTERCOM_STATUS_DIR: join(dir, "status"),
    },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const send = (m: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(m) + "\n"));
  const lines = child.stdout.pipeThrough(new TextDecoderStream())
    .pipeThrough(new LineSplitStream())[Symbol.asyncIterator]();
  await send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "b", version: "1" },
    },
  });
  await lines.next();
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  const listed = await lines.next();
  const elapsed = performance.now() - started;
  if (!String(listed.value).includes("search_conversations")) {
    throw new Error(`unexpected tools/list answer: ${listed.value}`);
  }
  await writer.close();
  await child.status;
  await lines.return?.();
  await Deno.remove(dir, { recursive: true });
  return elapsed;
}

async function benchStartup(runs: number, binaryPath: string | undefined): Promise<Stats[]> {
  const rows: Stats[] = [];
  const fromSource = [
    "run",
    "--quiet",
    ...taskFlags("cli"),
    join(ROOT, "main.ts"),
    "start",
  ];
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await startupOnce(Deno.execPath(), fromSource));
  rows.push(stats("start → tools/list (deno run main.ts)", samples));
  const binary = binaryPath ?? join(ROOT, "dist", "fast-intercom-mcp");
  if (await Deno.stat(binary).then(() => true, () => false)) {
    const compiled: number[] = [];
    for (let i = 0; i < runs; i++) compiled.push(await startupOnce(binary, ["start"]));
    rows.push(stats("start → tools/list (compiled binary)", compiled));
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      conversations: { type: "string", default: "100000" },
      iterations: { type: "string", default: "200" },
      "startup-runs": { type: "string", default: "5" },
      binary: { type: "string" },
    },
  });
  const conversations = Number(values.conversations);
  const iterations = Number(values.iterations);
  const startupRuns = Number(values["startup-runs"]);
  const path = benchStorePath(conversations);
  {
    using store = Store.open(path);
    const st = store.stats();
    console.log(
      `store ${path}: ${st.conversations} conversations, ${st.parts} parts, ` +
        `${(st.sizeBytes / 1048576).toFixed(0)} MiB`,
    );
  }
  const rows = await benchTools(path, iterations);
  printTable(rows);
  const search = rows.find((r) => r.name === "search_conversations, all cases")!;
  const get = rows.find((r) => r.name === "get_conversation, all cases")!;
  console.log(
    `\nsearch_conversations p95 ${
      search.p95.toFixed(2)
    } ms (target ≤ ${TARGETS.search_conversations}): ${
      search.p95 <= TARGETS.search_conversations ? "met" : "MISSED"
    }; get_conversation p95 ${get.p95.toFixed(2)} ms (target ≤ ${TARGETS.get_conversation}): ${
      get.p95 <= TARGETS.get_conversation ? "met" : "MISSED"
    }\n`,
  );
  if (startupRuns > 0) printTable(await benchStartup(startupRuns, values.binary));
}

if (import.meta.main) await main();
