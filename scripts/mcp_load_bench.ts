// deno-lint-ignore-file no-console
/**
 * MCP under load: `fast-intercom-mcp serve` (its own process, as deployed) on the synthetic
 * store, and many MCP clients (the SDK's, over Streamable HTTP, one session each) calling a
 * mix of tools at the same time. Reports latency per tool and overall, errors, and the
 * server's peak resident memory.
 *
 *   deno task bench:mcp-load [--conversations 100000] [--clients 200] [--rounds 5]
 *
 * Each round, every client makes one call (the mix rotates over clients and rounds), all at
 * once: `--clients` calls in flight together. Targets (issue 13): search and get p95 ≤ 300 ms
 * at 200 clients on the 100,000-conversation store, no errors, RSS ≤ 200 MB. The store is built
 * once into the cache shared with scripts/store_bench.ts (STORE_BENCH_DIR).
 */
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { LineSplitStream } from "../lib/util/lines.ts";
import { watchPeakRss } from "./integration/peak_rss.ts";
import { SYNTHETIC_WORDS } from "./make_synthetic_store.ts";
import { benchStorePath } from "./store_bench.ts";
import { taskFlags } from "./task_flags.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGETS = { p95Ms: 300, rssBytes: 200 * 1024 * 1024 } as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function sample(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const column = (sql: string) => db.prepare(sql).all().map((r) => String(Object.values(r)[0]));
    return {
      ids: column("SELECT id FROM conversations ORDER BY random() LIMIT 500"),
      longIds: column("SELECT id FROM conversations WHERE parts_total >= 400 LIMIT 50"),
      emails: column("SELECT source_author_email FROM conversations ORDER BY random() LIMIT 200"),
      tags: column("SELECT name FROM tags"),
    };
  } finally {
    db.close();
  }
}

type Call = [tool: string, args: Record<string, unknown>];

/** The mix of calls, as an assistant makes them. */
function mix(s: ReturnType<typeof sample>): ((i: number) => Call)[] {
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  return [
    () => ["search_conversations", { query: SYNTHETIC_WORDS.rare }],
    () => ["search_conversations", { query: SYNTHETIC_WORDS.common }],
    () => ["search_conversations", { query: `"${SYNTHETIC_WORDS.phrase}"` }],
    (i) => ["search_conversations", { customer_email: pick(s.emails, i) }],
    (i) => ["search_conversations", { tag: pick(s.tags, i), query: SYNTHETIC_WORDS.common }],
    () => ["search_conversations", { state: "open", timeframe: "last month" }],
    () => ["search_conversations", {}],
    (i) => ["get_conversation", { conversation_id: pick(s.ids, i) }],
    (i) => ["get_conversation", { conversation_id: pick(s.ids, i + 7) }],
    (i) => ["get_conversation", { conversation_id: pick(s.longIds, i) }],
    () => ["get_server_status", {}],
    (i) => ["search_contacts", { email: pick(s.emails, i) }],
    () => ["check_coverage", { start_date: "7 days ago" }],
    () => ["search", { query: SYNTHETIC_WORDS.common }],
    (i) => ["fetch", { id: `conversation_${pick(s.ids, i + 3)}` }],
  ];
}

async function startServer(storePath: string, dir: string) {
  await Deno.mkdir(join(dir, "data"), { recursive: true });
  // the bench store itself, under the name the server opens (same file system: a hard link)
  await Deno.link(storePath, join(dir, "data", "data.db"));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...taskFlags("cli"),
      join(ROOT, "main.ts"),
      "serve",
      "--port",
      "0",
      "--sync-interval",
      "0",
      "--max-sync-age",
      "0",
    ],
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
      HOME: dir,
      FASTINTERCOM_DATA_DIR: join(dir, "data"),
      FASTINTERCOM_STATUS_DIR: join(dir, "status"),
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
    new LineSplitStream(),
  ).getReader();
  const first = (await reader.read()).value ?? "";
  reader.releaseLock();
  const url = /(http:\/\/\S+\/mcp)/.exec(first)?.[1];
  if (!url) throw new Error(`serve did not start: ${first}`);
  return { child, url };
}

/** CPU seconds (user + system) `pid` has used, from /proc (Linux); null elsewhere. */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const fields = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface Sample {
  tool: string;
  ms: number;
  error: string | null;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      conversations: { type: "string", default: "100000" },
      clients: { type: "string", default: "200" },
      rounds: { type: "string", default: "5" },
    },
  });
  const conversations = Number(values.conversations);
  const clientCount = Number(values.clients);
  const rounds = Number(values.rounds);
  const storePath = benchStorePath(conversations);
  const s = sample(storePath);
  const calls = mix(s);
  const dir = await Deno.makeTempDir({ dir: dirname(storePath), prefix: "load_bench_" });
  const { child, url } = await startServer(storePath, dir);
  const watch = watchPeakRss(child.pid, { intervalMs: 50 });
  const clients: Client[] = [];
  try {
    const connectStart = performance.now();
    await Promise.all(Array.from({ length: clientCount }, async () => {
      const client = new Client({ name: "load-bench", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
    }));
    const connectMs = performance.now() - connectStart;
    // one warm-up round, not counted
    await Promise.all(clients.map((c, i) => {
      const [tool, args] = calls[i % calls.length]!(i);
      return c.callTool({ name: tool, arguments: args });
    }));
    const samples: Sample[] = [];
    const cpuBefore = await cpuSeconds(child.pid);
    const clientCpuBefore = await cpuSeconds(Deno.pid);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      await Promise.all(clients.map(async (client, i) => {
        const n = round * clientCount + i;
        const [tool, args] = calls[(i + round) % calls.length]!(n);
        const t0 = performance.now();
        let error: string | null = null;
        try {
          const result = await client.callTool({ name: tool, arguments: args }) as CallToolResult;
          if (result.isError) {
            error = result.content[0]?.type === "text" ? result.content[0].text : "error";
          }
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        samples.push({ tool, ms: performance.now() - t0, error });
      }));
    }
    const wallMs = performance.now() - started;
    const cpuAfter = await cpuSeconds(child.pid);
    const clientCpuAfter = await cpuSeconds(Deno.pid);
    const rss = await watch.stop();
    report({ samples, clientCount, rounds, conversations, connectMs, wallMs, rss });
    if (cpuBefore !== null && cpuAfter !== null) {
      const cpu = cpuAfter - cpuBefore;
      console.log(
        `server CPU ${cpu.toFixed(1)} s in ${(wallMs / 1000).toFixed(1)} s wall: ` +
          `${((cpu * 1000) / samples.length).toFixed(1)} ms of server CPU per call; the ` +
          `clients used ${((clientCpuAfter ?? 0) - (clientCpuBefore ?? 0)).toFixed(1)} s`,
      );
    }
    const all = samples.map((x) => x.ms).sort((a, b) => a - b);
    const core = samples.filter((x) => /^(search_conversations|get_conversation)$/.test(x.tool))
      .map((x) => x.ms).sort((a, b) => a - b);
    const errors = samples.filter((x) => x.error !== null).length;
    const ok = percentile(core, 95) <= TARGETS.p95Ms && errors === 0 && rss <= TARGETS.rssBytes;
    console.log(
      `\nsearch/get p95 ${percentile(core, 95).toFixed(0)} ms (target ≤ ${TARGETS.p95Ms}), ` +
        `all tools p95 ${percentile(all, 95).toFixed(0)} ms, ${errors} errors, server peak RSS ` +
        `${(rss / 1048576).toFixed(0)} MB (target ≤ ${TARGETS.rssBytes / 1048576}): ` +
        `${ok ? "met" : "MISSED"}`,
    );
    return ok ? 0 : 1;
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function report(r: {
  samples: Sample[];
  clientCount: number;
  rounds: number;
  conversations: number;
  connectMs: number;
  wallMs: number;
  rss: number;
}): void {
  console.log(
    `${r.clientCount} MCP clients over HTTP, ${r.rounds} rounds of ${r.clientCount} concurrent ` +
      `calls, ${r.conversations} conversations; sessions opened in ${r.connectMs.toFixed(0)} ms; ` +
      `${r.samples.length} calls in ${(r.wallMs / 1000).toFixed(1)} s`,
  );
  const tools = [...new Set(r.samples.map((x) => x.tool))];
  console.log(`${"tool".padEnd(24)}${"n".padStart(6)}     p50      p95      max  errors`);
  const row = (name: string, list: Sample[]) => {
    const ms = list.map((x) => x.ms).sort((a, b) => a - b);
    const f = (v: number) => v.toFixed(1).padStart(8);
    console.log(
      `${name.padEnd(24)}${String(ms.length).padStart(6)}${f(percentile(ms, 50))} ${
        f(percentile(ms, 95))
      } ${f(ms[ms.length - 1] ?? NaN)}${String(list.filter((x) => x.error).length).padStart(8)}`,
    );
  };
  for (const tool of tools) row(tool, r.samples.filter((x) => x.tool === tool));
  row("all", r.samples);
  for (const x of r.samples.filter((x) => x.error).slice(0, 5)) {
    console.log(`  error in ${x.tool}: ${x.error?.slice(0, 200)}`);
  }
}

if (import.meta.main) Deno.exit(await main());
