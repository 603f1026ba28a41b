// deno-lint-ignore-file no-console
/**
 * Full-scan throughput of `readLogs` against `grep -c` on the same files (part of
 * logs_bench.ts). Each filter is paired with the grep that selects the same lines, run with
 * LC_ALL=C over the files the reader scanned, after one untimed pass that warms the page
 * cache; the two are timed in alternation, round by round, so that the load of a shared
 * machine falls on both alike. Medians; the line counts are printed side by side, and the
 * load average before and after.
 */
import process from "node:process";
import { buildLogFilter } from "../lib/logs/filter.ts";
import { readLogs, type ReadStats } from "../lib/logs/reader.ts";

/** One filter and the grep that selects the same lines. */
interface ScanCase {
  name: string;
  flags: Parameters<typeof buildLogFilter>[0];
  grep: string[];
}

const CASES: ScanCase[] = [
  {
    name: '--filter "Retrying GET"',
    flags: { filter: ["Retrying GET"] },
    grep: ["-cF", "Retrying GET"],
  },
  {
    name: "--level warning..warning",
    flags: { level: "warning..warning" },
    grep: ["-cF", '"level":"warning"'],
  },
  {
    name: '--filter "HTTP 5\\d\\d" (a regex)',
    flags: { filter: ["HTTP 5\\d\\d"] },
    grep: ["-cE", "HTTP 5[0-9][0-9]"],
  },
  {
    name: "--level warning (and above)",
    flags: { level: "warning" },
    grep: ["-cE", '"level":"(warning|error|fatal)"'],
  },
  {
    name: "--component sync --level info (every line of sync.log*)",
    flags: { component: ["sync"], level: "info" },
    grep: ["-cE", '"level":"(info|warning|error|fatal)","component":"sync"'],
  },
];

/** Options for {@link benchScanVsGrep}. */
export interface ScanBenchOptions {
  /** Timed rounds of each side. */
  rounds: number;
  /** Also time the plain read (no raw prefilter), once per case: the "before" figure. */
  plain: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function loadAverage(): Promise<string> {
  const text = await Deno.readTextFile("/proc/loadavg").catch(() => "? ? ?");
  return text.split(" ").slice(0, 3).join(" ");
}

/** CPU time of this process's waited-for children (Linux: /proc/self/stat), in ms. */
async function childrenCpuMs(): Promise<number> {
  const stat = await Deno.readTextFile("/proc/self/stat").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields 16 and 17 of the file (cutime, cstime), in clock ticks of 10 ms
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Wall time, and CPU time (user + system, of this process or of the children it waited for). */
async function timed<T>(
  fn: () => Promise<T>,
  children = false,
): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const childCpu = children ? await childrenCpuMs() : 0;
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = children ? await childrenCpuMs() - childCpu : (used.user + used.system) / 1000;
  return { ms, cpuMs, value };
}

async function scan(dir: string, flags: ScanCase["flags"], rawPrefilter = true) {
  const stats: ReadStats = { scanned: [] };
  let count = 0;
  const filter = buildLogFilter(flags);
  for await (const batch of readLogs(dir, filter, { stats, rawPrefilter })) count += batch.length;
  return { count, stats };
}

async function grep(args: string[], files: string[]): Promise<number> {
  const output = await new Deno.Command("grep", {
    args: [...args, "--", ...files],
    env: { LC_ALL: "C" },
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout).trim().split("\n")
    .map((line) => Number(line.split(":").pop())).reduce((a, b) => a + b, 0);
}

/** Prints, for each filter, MB/s of the reader and of the equivalent grep, and their ratio. */
export async function benchScanVsGrep(dir: string, options: ScanBenchOptions): Promise<void> {
  console.log(`2. full scans against grep (LC_ALL=C) on the same files, ${options.rounds} rounds`);
  console.log(`   load average before: ${await loadAverage()}`);
  for (const { name, flags, grep: args } of CASES) {
    // an untimed pass: which files the reader scans, and a warm page cache for both sides
    const { stats } = await scan(dir, flags);
    const sizes = new Map<string, number>();
    for (const { path } of stats.scanned) sizes.set(path, (await Deno.stat(path)).size);
    const scannedBytes = stats.scanned.reduce((sum, r) => sum + r.end - r.start, 0);
    // grep reads whole files: those the reader read (nearly) whole; a file it only
    // looked into before stopping (a few KB) would count for grep and not for us
    const files = stats.scanned.filter((r) => r.end - r.start >= 0.9 * sizes.get(r.path)!)
      .map((r) => r.path);
    const grepBytes = files.reduce((sum, path) => sum + sizes.get(path)!, 0);
    await grep(args, files);
    const [ours, theirs, ourCpu, theirCpu]: [number[], number[], number[], number[]] = [
      [],
      [],
      [],
      [],
    ];
    let count = 0;
    let grepCount = 0;
    for (let i = 0; i < options.rounds; i++) {
      const a = await timed(() => scan(dir, flags));
      ours.push(a.ms);
      ourCpu.push(a.cpuMs);
      count = a.value.count;
      const b = await timed(() => grep(args, files), true);
      theirs.push(b.ms);
      theirCpu.push(b.cpuMs);
      grepCount = b.value;
    }
    const rate = scannedBytes / 1e3 / median(ours);
    const grepRate = grepBytes / 1e3 / median(theirs);
    console.log(`   ${name}`);
    console.log(
      `     readLogs: ${median(ours).toFixed(0)} ms (CPU ${median(ourCpu).toFixed(0)} ms) for ` +
        `${(scannedBytes / 1e6).toFixed(0)} MB (${stats.scanned.length} files), ` +
        `${rate.toFixed(0)} MB/s, ${count} lines`,
    );
    console.log(
      `     grep ${args.map((a) => (a.startsWith("-") ? a : `'${a}'`)).join(" ")}: ` +
        `${median(theirs).toFixed(0)} ms (CPU ${median(theirCpu).toFixed(0)} ms) for ` +
        `${(grepBytes / 1e6).toFixed(0)} MB (${files.length} files), ` +
        `${grepRate.toFixed(0)} MB/s, ${grepCount} lines`,
    );
    const cpuRatio = (grepBytes / median(theirCpu)) / (scannedBytes / median(ourCpu));
    let plainNote = "";
    if (options.plain) {
      const plain = await timed(() => scan(dir, flags, false));
      plainNote = `; without the raw prefilter ${(scannedBytes / 1e3 / plain.ms).toFixed(0)} MB/s`;
    }
    console.log(
      `     → ${(rate / grepRate).toFixed(2)}× grep's MB/s (per CPU second: ` +
        `${(1 / cpuRatio).toFixed(2)}×)${plainNote}`,
    );
  }
  console.log(`   load average after: ${await loadAverage()}`);
}
