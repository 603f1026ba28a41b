/**
 * This process's limit on open file descriptors (the soft `RLIMIT_NOFILE`), which decides how
 * many connections a server can hold. Deno has no getrlimit: `/proc/self/limits` needs
 * `--allow-all`, so a shell's `ulimit -n` (which inherits the limit) answers otherwise.
 */

/** Options of {@link openFileLimit}. */
export interface OpenFileLimitOptions {
  /** Reads `/proc/self/limits`. Default: `Deno.readTextFile`. */
  readLimits?: () => Promise<string>;
  /** Runs `sh -c "ulimit -n"` and returns its output. Default: `Deno.Command`. */
  runUlimit?: () => Promise<string>;
}

async function shellUlimit(): Promise<string> {
  const out = await new Deno.Command("sh", {
    args: ["-c", "ulimit -n"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Parses the soft "Max open files" of `/proc/<pid>/limits`, or the output of `ulimit -n`. */
export function parseOpenFileLimit(text: string): number | null {
  const line = /^Max open files\s+(\S+)/m.exec(text);
  const value = (line ? line[1]! : text).trim();
  if (value === "unlimited") return Number.POSITIVE_INFINITY;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** The soft limit on open files, or null when it cannot be found out. Never throws. */
export async function openFileLimit(options: OpenFileLimitOptions = {}): Promise<number | null> {
  const readLimits = options.readLimits ?? (() => Deno.readTextFile("/proc/self/limits"));
  const runUlimit = options.runUlimit ?? shellUlimit;
  for (const read of [readLimits, runUlimit]) {
    try {
      const limit = parseOpenFileLimit(await read());
      if (limit !== null) return limit;
    } catch {
      // no permission, no /proc, no shell: try the next way
    }
  }
  return null;
}
