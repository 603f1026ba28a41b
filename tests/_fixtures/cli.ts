/** Spawning the CLI the way users run it, in an isolated home/data/status directory. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { taskFlags } from "../../scripts/task_flags.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "main.ts");
/** The flags of `deno task cli`: children run exactly as users run the program. */
export const PERMISSIONS = taskFlags("cli");

/** An isolated environment: HOME, data, log and status directories under one temp dir. */
export interface Sandbox {
  dir: string;
  dataDir: string;
  statusDir: string;
  logDir: string;
  env: Record<string, string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a sandbox; dispose it with `await using`. */
export async function makeSandbox(extraEnv: Record<string, string> = {}): Promise<Sandbox> {
  const dir = await Deno.makeTempDir({ prefix: "fim-test-" });
  const dataDir = join(dir, "data");
  const statusDir = join(dir, "status");
  const logDir = join(dataDir, "logs");
  return {
    dir,
    dataDir,
    statusDir,
    logDir,
    env: {
      HOME: join(dir, "home"),
      FASTINTERCOM_DATA_DIR: dataDir,
      FASTINTERCOM_STATUS_DIR: statusDir,
      NO_COLOR: "1",
      ...extraEnv,
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** The outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fast-intercom-mcp <args>` from source and waits for it. */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: "null" | "piped" } = {},
): Promise<CliRun> {
  const output = await cliCommand(args, options).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/**
 * A `Deno.Command` for the CLI, for tests that need the child process itself. With
 * `openFiles`, the child runs under `ulimit -n openFiles` (through `sh`, which it replaces).
 */
export function cliCommand(
  args: string[],
  options: { env?: Record<string, string>; stdin?: "null" | "piped"; openFiles?: number } = {},
): Deno.Command {
  const deno = [Deno.execPath(), "run", "--quiet", ...PERMISSIONS, MAIN, ...args];
  const [command, ...rest] = options.openFiles === undefined
    ? deno
    : ["sh", "-c", `ulimit -n ${options.openFiles} && exec "$@"`, "sh", ...deno];
  return new Deno.Command(command!, {
    args: rest,
    env: { ...cleanEnv(), ...options.env },
    clearEnv: true,
    stdin: options.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  });
}

function cleanEnv(): Record<string, string> {
  const keep = ["PATH", "DENO_DIR", "TMPDIR", "LANG", "TZ"];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  if (!env.DENO_DIR) {
    // Children share the parent's module cache, so they start without downloading anything.
    const cache = Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache");
    env.DENO_DIR = join(cache, "deno");
  }
  return env;
}

/** Reads every file below `dir` as text (for secret-leak checks). */
export async function readAllText(dir: string): Promise<string> {
  let out = "";
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out += await readAllText(path);
    else if (entry.isFile) out += await Deno.readTextFile(path).catch(() => "");
  }
  return out;
}

/** Kills a spawned CLI child (if still running) and releases its pipes. */
export async function stopChild(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await child.status;
  await child.stdout.cancel().catch(() => {});
  await child.stderr.cancel().catch(() => {});
}
