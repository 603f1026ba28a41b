/** Small fixtures shared by unit tests: temp dirs, dead pids, status records, settings. */
import { join } from "node:path";
import { resolveSettings, type Settings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { hostName } from "../../lib/registry/process_info.ts";
import type { ProcessRecord } from "../../lib/registry/status_reader.ts";

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir(
  prefix: string,
  fn: (dir: string) => Promise<void> | void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The pid of a process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** A running `sync` status record of this process on this host; `overrides` win. */
export function processRecord(id: string, overrides: Partial<ProcessRecord> = {}): ProcessRecord {
  const now = new Date().toISOString();
  return {
    process_id: id,
    process_type: "sync",
    status: "running",
    pid: Deno.pid,
    pid_start_time: null,
    hostname: hostName(),
    start_time: now,
    end_time: null,
    last_heartbeat: now,
    last_progress: null,
    description: "Sync",
    log_files: [],
    progress: {
      current: null,
      total: null,
      percentage: null,
      message: null,
      rate: null,
      eta_seconds: null,
    },
    metadata: {},
    session_id: "s",
    error: null,
    ...overrides,
  };
}

/** Settings with every directory under `root`, no config file, and the given API and token. */
export async function settingsIn(
  root: string,
  options: { apiUrl?: string; token?: string | null } = {},
): Promise<Settings> {
  const vars: Record<string, string> = {
    HOME: join(root, "home"),
    FASTINTERCOM_STATUS_DIR: join(root, "status"),
    ...(options.apiUrl ? { FASTINTERCOM_API_URL: options.apiUrl } : {}),
    ...(options.token ? { INTERCOM_ACCESS_TOKEN: options.token } : {}),
  };
  const env = (name: string) => vars[name];
  const paths = resolvePaths({ dataDir: join(root, "data"), env });
  return await resolveSettings(paths, {}, { env, file: null });
}

/**
 * Makes `path` (a file or directory) unwritable for this user, even root: `chattr +i` when
 * running as root (root ignores permission bits), `chmod a-w` otherwise. Returns the undo, or
 * null when it cannot be done here (no chattr, a file system without the attribute); the test
 * then skips that case.
 */
export async function makeReadOnly(path: string): Promise<(() => Promise<void>) | null> {
  if (Deno.uid() !== 0) {
    const mode = (await Deno.stat(path)).mode ?? 0o644;
    await Deno.chmod(path, mode & ~0o222);
    return () => Deno.chmod(path, mode);
  }
  const chattr = async (flag: string) => {
    try {
      const out = await new Deno.Command("chattr", { args: [flag, path], stderr: "null" })
        .output();
      return out.success;
    } catch {
      return false;
    }
  };
  if (!(await chattr("+i"))) return null;
  return async () => {
    await chattr("-i");
  };
}
