/**
 * Processes the sync benchmarks start: the simulator (`simulate`) and a sync (`sync --all
 * --json`), each a separate `deno run` of main.ts with the `cli` task's flags, so that what is
 * measured is the program as users run it.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { taskFlags } from "./task_flags.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PERMS = taskFlags("cli"); // as in the `cli` task
/** The simulator's default token. */
export const TOKEN = "sim-token-0123456789";

/** A simulator running in its own process. */
export interface SimProcess {
  url: string;
  child: Deno.ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `main.ts …args` with the `cli` task's flags; stdout piped or dropped. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  stdout: "piped" | "null" = "null",
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, join(ROOT, "main.ts"), "--quiet", ...args],
    env,
    stdout,
    stderr: "null",
    stdin: "null",
  }).spawn();
}

/** The first line a child prints on its (piped) stdout. */
export async function firstLine(child: Deno.ChildProcess): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("child exited before printing");
    text += value;
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

/**
 * CPU seconds (user + system) a live process and its reaped children have used, from
 * /proc/<pid>/stat; null where that cannot be read.
 */
export async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime, in clock ticks (100 per second)
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) /
      100;
  } catch {
    return null;
  }
}

/** Starts `simulate --port 0 …args` and waits for the URL it prints. */
export async function startSimProcess(args: string[]): Promise<SimProcess> {
  const child = spawnCli(["simulate", "--port", "0", ...args], {}, "piped");
  const url = (await firstLine(child)).trim();
  return {
    url,
    child,
    async stop() {
      child.kill("SIGINT");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

/** What one sync process did. */
export interface SyncRun {
  summary: Record<string, number>;
  /** Wall-clock start and end of the sync process, ms since the epoch. */
  startMs: number;
  endMs: number;
  peakRssBytes: number;
  wallSeconds: number;
  status: Record<string, number>;
}

/**
 * The environment of a CLI child with its own home, data and status directories under `dir`,
 * pointed at the simulator at `url` (Deno's module cache and PATH kept).
 */
export function sandboxEnv(dir: string, url: string): Record<string, string> {
  return {
    HOME: dir,
    FASTINTERCOM_DATA_DIR: join(dir, "data"),
    FASTINTERCOM_STATUS_DIR: join(dir, "status"),
    FASTINTERCOM_API_URL: url,
    INTERCOM_ACCESS_TOKEN: TOKEN,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    PATH: Deno.env.get("PATH") ?? "",
  };
}

/** Runs `sync --all --json …extra` against `url` in a fresh data directory. */
export async function runSyncProcess(url: string, extra: string[]): Promise<SyncRun> {
  const dir = await Deno.makeTempDir({ prefix: "fim-bench-" });
  const env = {
    FASTINTERCOM_DATA_DIR: join(dir, "data"),
    FASTINTERCOM_STATUS_DIR: join(dir, "status"),
    FASTINTERCOM_API_URL: url,
    INTERCOM_ACCESS_TOKEN: TOKEN,
    FASTINTERCOM_QUIET: "true",
  };
  try {
    const started = performance.now();
    const startMs = Date.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMS, join(ROOT, "main.ts"), "sync", "--all", "--json", ...extra],
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
      } catch {
        // exited
      }
    }, 100);
    const out = await child.output();
    clearInterval(poll);
    const endMs = Date.now();
    const wallSeconds = (performance.now() - started) / 1000;
    if (out.code !== 0) throw new Error(`sync failed: ${new TextDecoder().decode(out.stderr)}`);
    const status = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMS, join(ROOT, "main.ts"), "status", "--json"],
      env,
      stdout: "piped",
    }).output();
    return {
      summary: JSON.parse(new TextDecoder().decode(out.stdout)),
      startMs,
      endMs,
      peakRssBytes: peak,
      wallSeconds,
      status: JSON.parse(new TextDecoder().decode(status.stdout)),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
