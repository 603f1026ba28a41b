// deno-lint-ignore-file no-console
/**
 * Benchmarks of the log commands on a generated log directory (main.log, sync.log, errors.log
 * and rotated files, JSON lines as lib/logging/logging.ts writes them) spanning 100 hours, so
 * that the last hour is 1% of the data. The data is generated once into a cache directory.
 *
 *   deno run -A scripts/logs_bench.ts [--size-mb 1024] [--cache-dir DIR] [--rounds 5]
 *       [--only errors,scan,follow,status] [--archived] [--plain]
 *   --archived: 90 % of the logs in gzipped archives (10 files per log, 9 compressed)
 *   --plain: the full scans also without the raw prefilter (the plain read, for comparison)
 *   LOGS_BENCH_MB=64 deno run -A scripts/logs_bench.ts       quick run on 64 MB
 *   deno bench -A scripts/logs_bench.ts                       Deno.bench on an 8 MB set
 *
 * Measures:
 *  1. `logs errors --summary --since <last hour>` (in process, and the CLI from process start);
 *     target ≤ 0.5 s on 1 GB. The window is given as the absolute start of the data's last
 *     hour, which is what `--since 1h` means when the data was just written.
 *  2. full-scan filtering throughput (MB/s) against `grep -c` with the equivalent pattern on the
 *     same files (LC_ALL=C, warm cache, alternating rounds, medians; see _scan_vs_grep.ts);
 *     target ≥ 0.5× grep's MB/s;
 *  3. `--follow` latency from append to output (in process, and through the CLI's stdout);
 *     target ≤ 100 ms;
 *  4. wall time of `monitor status --json --no-api` and `debug health --json --no-api`.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ALL_LINES, buildLogFilter } from "../lib/logs/filter.ts";
import { summarizeErrors } from "../lib/logs/errors.ts";
import { readLogs } from "../lib/logs/reader.ts";
import { benchScanVsGrep } from "./_scan_vs_grep.ts";
import { followLogs } from "../lib/logs/tail.ts";
import { Prng } from "../lib/simulator/prng.ts";
import { archiveRotatedLogs } from "../lib/logging/log_archive.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno");
const HOURS = 100;
const FAMILY_FILES = 6; // the live file and 5 rotated ones

const ERROR_MESSAGES = [
  "sync failed: token rejected by Intercom (401): Access Token Invalid — check the token, or run `fast-intercom-mcp init` with a valid one",
  "sync failed: Intercom API POST /conversations/search failed after 6 attempts (server error: HTTP 503: service_unavailable: Service Unavailable) — Intercom may be having trouble; retry later",
  "sync failed: Could not reach Intercom at api.intercom.io for GET /conversations/2381 after 6 attempts (connection error: error sending request) — check the network connection",
  "sync failed: Could not reach Intercom at api.intercom.io for GET /me after 6 attempts (timeout: no answer within 30000 ms) — check the network connection",
  "sync failed: cannot write to store: database is locked",
  "sync failed: Intercom kept rate-limiting POST /conversations/search: 21 consecutive 429 responses",
];

/** One log line in the files' format. */
function line(ts: number, level: string, component: string, message: string, extra: object) {
  return JSON.stringify({
    timestamp: new Date(ts).toISOString(),
    level,
    component,
    message,
    session_id: `sess-${Math.floor(ts / 3_600_000)}`,
    pid: 4242,
    process_id: `sync-${Math.floor(ts / 600_000)}`,
    ...extra,
  }) + "\n";
}

/** Writes `sizeMb` MB of logs ending at `end` (ms) into `dir`; returns the file sizes. */
async function generate(
  dir: string,
  sizeMb: number,
  end: number,
  familyFiles = FAMILY_FILES,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const rng = new Prng(7);
  const random = () => rng.next();
  const approxLine = 230;
  const lines = Math.floor((sizeMb * 1e6) / approxLine);
  const start = end - HOURS * 3_600_000;
  const step = (end - start) / lines;
  const perFile = Math.ceil((sizeMb * 1e6) / familyFiles);
  const families = { main: [] as string[], sync: [] as string[], errors: [] as string[] };
  const sizes = { main: 0, sync: 0, errors: 0 };
  const files = { main: familyFiles - 1, sync: familyFiles - 1, errors: familyFiles - 1 };
  const encoder = new TextEncoder();
  const flush = async (family: keyof typeof families, final: boolean) => {
    const text = families[family].join("");
    families[family] = [];
    const name = files[family] === 0 ? `${family}.log` : `${family}.log.${files[family]}`;
    await Deno.writeFile(join(dir, name), encoder.encode(text), { append: true });
    sizes[family] += text.length;
    if (!final && sizes[family] >= perFile && files[family] > 0) {
      files[family]--;
      sizes[family] = 0;
    }
  };
  let buffered = 0;
  for (let i = 0; i < lines; i++) {
    const ts = Math.round(start + i * step);
    const r = random();
    let text: string;
    let component: string;
    let level: string;
    if (r < 0.01) {
      level = "error";
      component = "sync";
      text = line(ts, level, component, ERROR_MESSAGES[i % ERROR_MESSAGES.length]!, {
        runId: i,
      });
    } else if (r < 0.04) {
      level = "warning";
      component = "api";
      text = line(
        ts,
        level,
        component,
        `Retrying GET /conversations/${i} in 250 ms after server error (HTTP 502); attempt 2 of 6`,
        {
          endpoint: `GET /conversations/${i}`,
          waitMs: 250,
        },
      );
    } else if (r < 0.35) {
      level = "info";
      component = "sync";
      text = line(
        ts,
        level,
        component,
        `Stored page ${i % 500}: 150 conversations, ${i % 997} parts`,
        {
          page: i % 500,
        },
      );
    } else {
      level = "debug";
      component = "api";
      text = line(
        ts,
        level,
        component,
        `GET /conversations/${i}?display_as=plaintext 200 in ${i % 300} ms (attempt 1)`,
        {
          method: "GET",
          status: 200,
        },
      );
    }
    families.main.push(text);
    if (component === "sync") families.sync.push(text);
    if (level === "error") families.errors.push(text);
    buffered += text.length;
    if (buffered > 4_000_000) {
      for (const family of ["main", "sync", "errors"] as const) await flush(family, false);
      buffered = 0;
    }
  }
  for (const family of ["main", "sync", "errors"] as const) await flush(family, true);
}

/**
 * Generates the data set into the cache once; returns its directory and end time. `archived`:
 * the live file and 9 rotated ones per log, the rotated ones gzipped into archives as
 * `logging/log_archive.ts` leaves them (so ~90 % of the bytes are compressed).
 */
async function dataset(
  cacheDir: string,
  sizeMb: number,
  archived = false,
): Promise<{ dir: string; end: number }> {
  const dir = join(cacheDir, `logs-${sizeMb}mb${archived ? "-archived" : ""}`);
  const marker = join(dir, ".complete");
  try {
    return { dir, end: Number(await Deno.readTextFile(marker)) };
  } catch {
    // not generated yet
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const end = Math.floor(Date.now() / 1000) * 1000;
  const started = performance.now();
  console.log(`generating ${sizeMb} MB of logs into ${dir} …`);
  await generate(dir, sizeMb, end, archived ? 10 : FAMILY_FILES);
  if (archived) {
    const before = (await bytesOf(dir, "")).bytes;
    await archiveRotatedLogs(dir, { minAgeMs: 0, maxFiles: 1000, maxDays: 36500 });
    const after = (await bytesOf(dir, "")).bytes;
    console.log(
      `  archived: ${(before / 1e6).toFixed(0)} MB on disk → ${(after / 1e6).toFixed(0)} MB`,
    );
  }
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await Deno.writeTextFile(marker, String(end));
  return { dir, end };
}

async function bytesOf(dir: string, prefix: string): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = [];
  let bytes = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.startsWith(prefix)) continue;
    files.push(join(dir, entry.name));
    bytes += (await Deno.stat(join(dir, entry.name))).size;
  }
  return { files: files.sort(), bytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function cli(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", MAIN, ...args],
    // HOME changes below; keep the module cache where it is
    env: { DENO_DIR, ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

async function runCli(args: string[], env: Record<string, string>): Promise<string> {
  const output = await cli(args, env).output();
  if (output.code !== 0 && output.code !== 1) {
    throw new Error(
      `CLI ${args.join(" ")} exited ${output.code}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return new TextDecoder().decode(output.stdout);
}

async function benchErrorsSummary(
  dir: string,
  end: number,
  env: Record<string, string>,
  rounds: number,
) {
  const since = new Date(end - 3_600_000).toISOString();
  const filter = buildLogFilter({ since }, { now: end });
  let total = 0;
  const inProcess: number[] = [];
  for (let i = 0; i < rounds; i++) {
    inProcess.push(await timeMs(async () => (total = (await summarizeErrors(dir, filter)).total)));
  }
  const viaCli: number[] = [];
  for (let i = 0; i < rounds; i++) {
    viaCli.push(
      await timeMs(() => runCli(["logs", "errors", "--summary", "--since", since, "--json"], env)),
    );
  }
  const startup: number[] = [];
  for (let i = 0; i < rounds; i++) startup.push(await timeMs(() => runCli(["--version"], env)));
  const exportSince: number[] = [];
  for (let i = 0; i < rounds; i++) {
    exportSince.push(
      await timeMs(() => runCli(["logs", "export", "--since", since, "--format", "ndjson"], env)),
    );
  }
  console.log(`1. logs errors --summary --since ${since} (the last hour, ${total} errors)`);
  console.log(`   in process: ${median(inProcess).toFixed(0)} ms median`);
  console.log(
    `   CLI from process start: ${median(viaCli).toFixed(0)} ms median ` +
      `(bare CLI start-up \`--version\`: ${median(startup).toFixed(0)} ms)`,
  );
  console.log(
    `   logs export --since (last hour of main.log, ndjson, CLI): ${
      median(exportSince).toFixed(0)
    } ms median`,
  );
}

async function benchFollow(samples: number) {
  const dir = await Deno.makeTempDir({ prefix: "logs_bench_follow_" });
  try {
    const path = join(dir, "main.log");
    await Deno.writeTextFile(path, "");
    const controller = new AbortController();
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const reader = (async () => {
      for await (const batch of followLogs(dir, ALL_LINES, { signal: controller.signal })) {
        const now = performance.now();
        for (const entry of batch) {
          const at = sent.get(entry.message);
          if (at !== undefined) latencies.push(now - at);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < samples; i++) {
      const message = `follow probe ${i}`;
      sent.set(message, performance.now());
      await Deno.writeTextFile(path, line(Date.now(), "info", "sync", message, {}), {
        append: true,
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await reader;
    const viaCli = await followViaCli(dir, Math.min(samples, 20));
    console.log(`3. --follow latency, append → output (${latencies.length} samples)`);
    console.log(
      `   in process: median ${median(latencies).toFixed(1)} ms, p95 ${
        percentile(latencies, 0.95).toFixed(1)
      } ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    console.log(
      `   CLI \`logs show -f\` stdout: median ${median(viaCli).toFixed(1)} ms, p95 ${
        percentile(viaCli, 0.95).toFixed(1)
      } ms, max ${Math.max(...viaCli).toFixed(1)} ms`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function followViaCli(dir: string, samples: number): Promise<number[]> {
  const path = join(dir, "main.log");
  const child = cli(["logs", "show", "-f", "-n", "0"], { FASTINTERCOM_LOG_DIR: dir, HOME: dir })
    .spawn();
  const latencies: number[] = [];
  const sent = new Map<string, number>();
  const reader = (async () => {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of child.stdout) {
      const now = performance.now();
      rest += decoder.decode(chunk, { stream: true });
      const lines = rest.split("\n");
      rest = lines.pop() ?? "";
      for (const text of lines) {
        const match = /cli probe \d+/.exec(text);
        const at = match ? sent.get(match[0]) : undefined;
        if (at !== undefined) latencies.push(now - at);
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 1500)); // start-up
  for (let i = 0; i < samples; i++) {
    const message = `cli probe ${i}`;
    sent.set(message, performance.now());
    await Deno.writeTextFile(path, line(Date.now(), "info", "sync", message, {}), { append: true });
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGINT");
  await child.status;
  await reader;
  await child.stderr.cancel();
  return latencies;
}

async function benchStatusCommands(
  cacheDir: string,
  logDir: string,
  conversations: number,
  rounds: number,
) {
  const dataDir = join(cacheDir, `store-${conversations}`);
  const marker = join(dataDir, ".complete");
  if (!(await Deno.stat(marker).then(() => true, () => false))) {
    const { makeSyntheticStore } = await import("./make_synthetic_store.ts");
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(dataDir, { recursive: true });
    console.log(`generating a store of ${conversations} conversations …`);
    makeSyntheticStore(join(dataDir, "data.db"), { conversations });
    await Deno.writeTextFile(marker, "");
  }
  const env = {
    HOME: cacheDir,
    FASTINTERCOM_DATA_DIR: dataDir,
    FASTINTERCOM_LOG_DIR: logDir,
    FASTINTERCOM_STATUS_DIR: join(cacheDir, "status"),
  };
  console.log(
    `4. wall time from process start (store of ${conversations} conversations, the logs above)`,
  );
  for (
    const args of [["monitor", "status", "--json", "--no-api"], [
      "debug",
      "health",
      "--json",
      "--no-api",
    ]]
  ) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await timeMs(() => runCli(args, env)));
    console.log(`   ${args.join(" ")}: ${median(times).toFixed(0)} ms median`);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "size-mb": { type: "string" },
      "cache-dir": { type: "string" },
      rounds: { type: "string", default: "5" },
      conversations: { type: "string", default: "20000" },
      only: { type: "string" },
      archived: { type: "boolean", default: false },
      plain: { type: "boolean", default: false },
    },
  });
  const sizeMb = Number(values["size-mb"] ?? Deno.env.get("LOGS_BENCH_MB") ?? 1024);
  const cacheDir = values["cache-dir"] ??
    join(Deno.env.get("TMPDIR") ?? "/tmp", "fast-intercom-logs-bench");
  const rounds = Number(values.rounds);
  const { dir, end } = await dataset(cacheDir, sizeMb, values.archived);
  const env = {
    HOME: cacheDir,
    FASTINTERCOM_LOG_DIR: dir,
    FASTINTERCOM_DATA_DIR: join(cacheDir, "data"),
  };
  const want = (part: string) => values.only === undefined || values.only.split(",").includes(part);
  if (want("errors")) await benchErrorsSummary(dir, end, env, rounds);
  if (want("scan")) await benchScanVsGrep(dir, { rounds, plain: values.plain });
  if (want("follow")) await benchFollow(50);
  if (want("status")) {
    await benchStatusCommands(cacheDir, dir, Number(values.conversations), rounds);
  }
} else {
  const cacheDir = join(Deno.env.get("TMPDIR") ?? "/tmp", "fast-intercom-logs-bench");
  const { dir, end } = await dataset(cacheDir, 8);
  const lastHour = buildLogFilter({ since: new Date(end - 3_600_000).toISOString() }, { now: end });
  const grep = buildLogFilter({ filter: ["Retrying GET"] });
  Deno.bench("logs errors --summary, last hour of 8 MB", async () => {
    await summarizeErrors(dir, lastHour);
  });
  Deno.bench("full scan with --filter, 8 MB", async () => {
    for await (const _ of readLogs(dir, grep)) { /* count nothing */ }
  });
}
