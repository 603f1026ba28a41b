// deno-lint-ignore-file no-console
/**
 * MCP under load: `fast-intercom-mcp serve` (its own process, as deployed) on the synthetic
 * store, and many MCP clients (the SDK's, over Streamable HTTP, one session each) calling a
 * mix of tools at the same time. Reports latency per tool and overall, errors, and the
 * server's peak resident memory.
 *
 *   deno task bench:mcp-load [--conversations 100000] [--clients 200] [--rounds 5] [--runs 1]
 *     [--tools search_conversations,get_conversation] [--profile DIR]
 *
 * Each round, every client makes one call (the mix rotates over clients and rounds), all at
 * once: `--clients` calls in flight together. Targets (issue 13): search and get p95 ≤ 300 ms
 * at 200 clients on the 100,000-conversation store, no errors, RSS ≤ 200 MB. The store is built
 * once into the cache shared with scripts/store_bench.ts (STORE_BENCH_DIR).
 *
 * The clients run in this process, on the same cores as the server: their CPU is reported
 * with the server's, and so is the load average, since other work on the machine inflates
 * wall times (CPU per call much less). `--runs N` repeats the whole measurement with a fresh
 * server and reports the median of each figure; the exit status is that of the medians.
 * `--tools` keeps only the calls of those tools in the mix; `--profile DIR` writes a V8 CPU
 * profile of the server there (`--cpu-prof`).
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
import { percentile } from "./_bench_stats.ts";
import { SYNTHETIC_WORDS } from "./make_synthetic_store.ts";
import { benchStorePath } from "./store_bench.ts";
import { taskFlags } from "./task_flags.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGETS = { p95Ms: 300, rssBytes: 200 * 1024 * 1024 } as const;

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

async function startServer(storePath: string, dir: string, profileDir: string | null) {
  await Deno.mkdir(join(dir, "data"), { recursive: true });
  // the bench store itself, under the name the server opens (same file system: a hard link)
  await Deno.link(storePath, join(dir, "data", "data.db"));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...taskFlags("cli"),
      ...(profileDir === null ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]),
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

/** The 1-minute load average (Linux); null elsewhere. */
async function loadAverage(): Promise<number | null> {
  try {
    return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
  } catch {
    return null;
  }
}

interface RunOptions {
  storePath: string;
  conversations: number;
  clientCount: number;
  rounds: number;
  calls: ((i: number) => Call)[];
  profileDir: string | null;
}

/** The figures of one run. */
interface RunResult {
  /** p50 and p95 per tool, plus "search/get" and "all". */
  latency: Map<string, { p50: number; p95: number }>;
  errors: number;
  rssBytes: number;
  serverCpuMsPerCall: number;
  clientCpuMsPerCall: number;
  wallMs: number;
  loadBefore: number | null;
  loadAfter: number | null;
}

const CORE = /^(search_conversations|get_conversation)$/;

function latencies(samples: Sample[]): RunResult["latency"] {
  const latency: RunResult["latency"] = new Map();
  const add = (name: string, list: Sample[]) => {
    const ms = list.map((x) => x.ms).sort((a, b) => a - b);
    if (ms.length > 0) latency.set(name, { p50: percentile(ms, 50), p95: percentile(ms, 95) });
  };
  for (const tool of new Set(samples.map((x) => x.tool))) {
    add(tool, samples.filter((x) => x.tool === tool));
  }
  add("search/get", samples.filter((x) => CORE.test(x.tool)));
  add("all", samples);
  return latency;
}

async function runOnce(o: RunOptions): Promise<RunResult> {
  const dir = await Deno.makeTempDir({ dir: dirname(o.storePath), prefix: "load_bench_" });
  const loadBefore = await loadAverage();
  const { child, url } = await startServer(o.storePath, dir, o.profileDir);
  const watch = watchPeakRss(child.pid, { intervalMs: 50 });
  const clients: Client[] = [];
  try {
    const connectStart = performance.now();
    await Promise.all(Array.from({ length: o.clientCount }, async () => {
      const client = new Client({ name: "load-bench", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      clients.push(client);
    }));
    const connectMs = performance.now() - connectStart;
    // one warm-up round, not counted
    await Promise.all(clients.map((c, i) => {
      const [tool, args] = o.calls[i % o.calls.length]!(i);
      return c.callTool({ name: tool, arguments: args });
    }));
    const samples: Sample[] = [];
    const cpuBefore = await cpuSeconds(child.pid);
    const clientCpuBefore = await cpuSeconds(Deno.pid);
    const started = performance.now();
    for (let round = 0; round < o.rounds; round++) {
      await Promise.all(clients.map(async (client, i) => {
        const n = round * o.clientCount + i;
        const [tool, args] = o.calls[(i + round) % o.calls.length]!(n);
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
    const rssBytes = await watch.stop();
    const loadAfter = await loadAverage();
    const perCall = (before: number | null, after: number | null) =>
      before === null || after === null ? NaN : ((after - before) * 1000) / samples.length;
    const result: RunResult = {
      latency: latencies(samples),
      errors: samples.filter((x) => x.error !== null).length,
      rssBytes,
      serverCpuMsPerCall: perCall(cpuBefore, cpuAfter),
      clientCpuMsPerCall: perCall(clientCpuBefore, clientCpuAfter),
      wallMs,
      loadBefore,
      loadAfter,
    };
    report({ ...o, samples, connectMs, result });
    return result;
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const median = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      conversations: { type: "string", default: "100000" },
      clients: { type: "string", default: "200" },
      rounds: { type: "string", default: "5" },
      runs: { type: "string", default: "1" },
      tools: { type: "string" },
      profile: { type: "string" },
    },
  });
  const storePath = benchStorePath(Number(values.conversations));
  const only = values.tools?.split(",").map((t) => t.trim());
  const s = sample(storePath);
  const calls = mix(s).filter((call) => only === undefined || only.includes(call(0)[0]));
  if (calls.length === 0) {
    throw new RangeError(`--tools "${values.tools}" matches no call of the mix`);
  }
  const options: RunOptions = {
    storePath,
    conversations: Number(values.conversations),
    clientCount: Number(values.clients),
    rounds: Number(values.rounds),
    calls,
    profileDir: values.profile ?? null,
  };
  const runs: RunResult[] = [];
  const count = Math.max(1, Number(values.runs));
  for (let i = 0; i < count; i++) {
    if (count > 1) console.log(`\n— run ${i + 1} of ${count}`);
    runs.push(await runOnce(options));
  }
  const m = (pick: (r: RunResult) => number) => median(runs.map(pick));
  const lat = (name: string, key: "p50" | "p95") => m((r) => r.latency.get(name)?.[key] ?? NaN);
  if (count > 1) {
    console.log(`\nmedians of ${count} runs:`);
    const names = [...new Set(runs.flatMap((r) => [...r.latency.keys()]))];
    for (const name of names) {
      console.log(
        `${name.padEnd(24)} p50 ${lat(name, "p50").toFixed(0).padStart(5)} ms  p95 ` +
          `${lat(name, "p95").toFixed(0).padStart(5)} ms`,
      );
    }
    console.log(
      `server CPU ${m((r) => r.serverCpuMsPerCall).toFixed(2)} ms/call, clients ` +
        `${m((r) => r.clientCpuMsPerCall).toFixed(2)} ms/call, peak RSS ` +
        `${(m((r) => r.rssBytes) / 1048576).toFixed(0)} MB, load average ` +
        `${m((r) => r.loadBefore ?? NaN).toFixed(2)} before / ` +
        `${m((r) => r.loadAfter ?? NaN).toFixed(2)} after`,
    );
  }
  const coreP95 = lat("search/get", "p95");
  const errors = m((r) => r.errors);
  const rss = m((r) => r.rssBytes);
  const ok = coreP95 <= TARGETS.p95Ms && errors === 0 && rss <= TARGETS.rssBytes;
  console.log(
    `\nsearch/get p95 ${coreP95.toFixed(0)} ms (target ≤ ${TARGETS.p95Ms}), all tools p95 ` +
      `${lat("all", "p95").toFixed(0)} ms, ${errors} errors, server peak RSS ` +
      `${(rss / 1048576).toFixed(0)} MB (target ≤ ${TARGETS.rssBytes / 1048576})` +
      `${count > 1 ? ` (medians of ${count} runs)` : ""}: ${ok ? "met" : "MISSED"}`,
  );
  return ok ? 0 : 1;
}

function report(r: RunOptions & { samples: Sample[]; connectMs: number; result: RunResult }): void {
  const { result } = r;
  console.log(
    `${r.clientCount} MCP clients over HTTP, ${r.rounds} rounds of ${r.clientCount} concurrent ` +
      `calls, ${r.conversations} conversations; sessions opened in ${r.connectMs.toFixed(0)} ms; ` +
      `${r.samples.length} calls in ${(result.wallMs / 1000).toFixed(1)} s`,
  );
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
  for (const tool of new Set(r.samples.map((x) => x.tool))) {
    row(tool, r.samples.filter((x) => x.tool === tool));
  }
  row("search/get", r.samples.filter((x) => CORE.test(x.tool)));
  row("all", r.samples);
  for (const x of r.samples.filter((x) => x.error).slice(0, 5)) {
    console.log(`  error in ${x.tool}: ${x.error?.slice(0, 200)}`);
  }
  const load = (v: number | null) => v === null ? "?" : v.toFixed(2);
  console.log(
    `server CPU ${result.serverCpuMsPerCall.toFixed(2)} ms per call; the clients (this ` +
      `process, same cores) ${result.clientCpuMsPerCall.toFixed(2)} ms per call; server peak ` +
      `RSS ${(result.rssBytes / 1048576).toFixed(0)} MB; load average ${
        load(result.loadBefore)
      } before, ${load(result.loadAfter)} after`,
  );
}

if (import.meta.main) Deno.exit(await main());
