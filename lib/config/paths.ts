/** Where the program keeps its files, resolved from flags, environment and home directory. */
import { join } from "node:path";
import { ConfigError } from "../errors.ts";

/** Every path the program reads or writes. */
export interface Paths {
  /** Data directory: config.json, the store and (by default) logs/. */
  dataDir: string;
  configFile: string;
  /** The store; its `sync_runs` rows are written by the sync engine (see `sync/run_record.ts`). */
  storeFile: string;
  /** One sync per data directory: held by the running sync; read by a second sync and `status`. */
  syncLockFile: string;
  /** Logs (every process) and `progress.jsonl` (syncs); read by `logs` and `monitor logs`. */
  logDir: string;
  /** Process registry: written by each process's status tracker; read by monitor, health, MCP. */
  statusDir: string;
}

/** Options for {@link resolvePaths}. */
export interface ResolvePathsOptions {
  /** `--data-dir`; wins over `FASTINTERCOM_DATA_DIR`. Default: none. */
  dataDir?: string | undefined;
  /** Environment lookup. Default: `Deno.env.get`. */
  env?: (name: string) => string | undefined;
}

/** The home directory, or a ConfigError saying how to set a data directory instead. */
export function homeDir(env: (name: string) => string | undefined): string {
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) {
    throw new ConfigError(
      "cannot find the home directory (HOME is not set): set FASTINTERCOM_DATA_DIR or pass --data-dir",
    );
  }
  return home;
}

/**
 * Resolves the data, log and status directories: `--data-dir` > `FASTINTERCOM_DATA_DIR` >
 * `~/.fast-intercom-mcp`; `FASTINTERCOM_LOG_DIR` > `<data>/logs`;
 * `FASTINTERCOM_STATUS_DIR` > `~/.fastintercom-status`.
 */
export function resolvePaths(options: ResolvePathsOptions = {}): Paths {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const nonEmpty = (v: string | undefined) => (v && v.trim() !== "" ? v : undefined);
  const dataDir = nonEmpty(options.dataDir) ?? nonEmpty(env("FASTINTERCOM_DATA_DIR")) ??
    join(homeDir(env), ".fast-intercom-mcp");
  const logDir = nonEmpty(env("FASTINTERCOM_LOG_DIR")) ?? join(dataDir, "logs");
  const statusDir = nonEmpty(env("FASTINTERCOM_STATUS_DIR")) ??
    join(homeDir(env), ".fastintercom-status");
  return {
    dataDir,
    configFile: join(dataDir, "config.json"),
    storeFile: join(dataDir, "data.db"),
    syncLockFile: join(dataDir, "sync.lock"),
    logDir,
    statusDir,
  };
}
