/**
 * Free disk space of the file system holding a directory. Deno 2.9 has no `statfs`, so this
 * asks POSIX `df -Pk` (one line per file system, sizes in KiB); null when that is unavailable.
 */
import { dirname } from "node:path";

/** Free and total bytes of a file system. */
export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
  /** The directory measured (the nearest existing ancestor of the one asked about). */
  path: string;
}

/** Reads `df -Pk` output (header, then one data line); null when it is not that. */
export function parseDfOutput(text: string): { freeBytes: number; totalBytes: number } | null {
  const lines = text.trim().split("\n");
  const data = lines[lines.length - 1];
  if (lines.length < 2 || data === undefined) return null;
  // Filesystem 1024-blocks Used Available Capacity Mounted-on; the name may hold spaces,
  // so count fields from the end
  const fields = data.trim().split(/\s+/);
  const available = Number(fields[fields.length - 3]);
  const total = Number(fields[fields.length - 5]);
  if (!Number.isFinite(available) || !Number.isFinite(total) || fields.length < 6) return null;
  return { freeBytes: available * 1024, totalBytes: total * 1024 };
}

/** The nearest existing directory at or above `path`. */
export async function existingAncestor(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      if ((await Deno.stat(current)).isDirectory) return current;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

/** Options for {@link diskSpace}. */
export interface DiskSpaceOptions {
  /** Runs `df -Pk <dir>` and returns its stdout; null when it cannot run. Default: Deno.Command. */
  runDf?: (dir: string) => Promise<string | null>;
}

async function runDf(dir: string): Promise<string | null> {
  try {
    const output = await new Deno.Command("df", {
      args: ["-Pk", dir],
      stdout: "piped",
      stderr: "null",
      env: { LC_ALL: "C" },
    }).output();
    return output.success ? new TextDecoder().decode(output.stdout) : null;
  } catch {
    return null; // no df, or no --allow-run
  }
}

/** Free space where `path` lives (or would be created); null when it cannot be measured. */
export async function diskSpace(
  path: string,
  options: DiskSpaceOptions = {},
): Promise<DiskSpace | null> {
  const dir = await existingAncestor(path);
  const text = await (options.runDf ?? runDf)(dir);
  const parsed = text === null ? null : parseDfOutput(text);
  return parsed === null ? null : { ...parsed, path: dir };
}
