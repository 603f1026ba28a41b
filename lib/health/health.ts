/**
 * `debug health`: every check of checks.ts, run together, and the verdict machines gate on.
 *
 * Exit codes (the contract for CI and container health checks):
 *   0  healthy: no check failed (warnings allowed, unless `strict`)
 *   1  unhealthy: a check failed (or, with `strict`, warned)
 *   2  usage error (bad flags)
 */
import { resolveSettings, type SettingFlags, type Settings } from "../config/config.ts";
import { type Paths, resolvePaths } from "../config/paths.ts";
import { ChecksFailedError, ConfigError } from "../errors.ts";
import { registerSecret } from "../logging/redact.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { type ApiProbe, probeApi } from "./api_probe.ts";
import {
  apiCheck,
  configCheck,
  diskCheck,
  type HealthCheck,
  processCheck,
  storeChecks,
  tokenCheck,
  writableCheck,
} from "./checks.ts";
import { type DiskSpace, diskSpace } from "./disk.ts";

/** Settings, or why they could not be resolved (a health check must still run then). */
export interface LoadedSettings {
  paths: Paths;
  settings: Settings | null;
  /** The ConfigError that prevented resolving the settings. */
  error: Error | null;
}

/** Options for {@link loadSettings}. */
export interface LoadSettingsOptions {
  /** Environment lookup. Default: `Deno.env.get`. */
  env?: (name: string) => string | undefined;
}

/** Resolves paths and settings; a ConfigError is returned, not thrown. */
export async function loadSettings(
  dataDir: string | undefined,
  flags: SettingFlags = {},
  options: LoadSettingsOptions = {},
): Promise<LoadedSettings> {
  const env = options.env ? { env: options.env } : {};
  const paths = resolvePaths({ dataDir, ...env });
  try {
    const settings = await resolveSettings(paths, flags, env);
    registerSecret(settings.token);
    return { paths, settings, error: null };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { paths, settings: null, error };
  }
}

/** The verdict of a health run. */
export interface HealthReport {
  status: "healthy" | "unhealthy";
  strict: boolean;
  checked_at: string;
  duration_ms: number;
  counts: { ok: number; warn: number; fail: number };
  checks: HealthCheck[];
  /** Checks left out on purpose (`api` with --no-api). */
  skipped: string[];
  exit_code: 0 | 1;
}

/** Options for {@link runHealthChecks}. */
export interface HealthOptions {
  /** Probe the API. Default: true. */
  api?: boolean;
  /** Warnings make the report unhealthy. Default: false. */
  strict?: boolean;
  /** The last completed sync may be this old before it warns. Default: 24 h. */
  maxSyncAgeSeconds?: number;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: {@link probeApi}. */
  probe?: (settings: Settings) => Promise<ApiProbe>;
  /** Default: {@link diskSpace}. */
  disk?: (path: string) => Promise<DiskSpace | null>;
}

/** Runs every check and decides healthy or not. */
export async function runHealthChecks(
  loaded: LoadedSettings,
  options: HealthOptions = {},
): Promise<HealthReport> {
  const clock = options.clock ?? systemClock;
  const started = clock();
  const { paths, settings } = loaded;
  const wantApi = options.api !== false;
  const probe = options.probe ?? ((s: Settings) => probeApi(s, { clock }));
  const [api, disk, logs, status, processes] = await Promise.all([
    wantApi && settings !== null ? probe(settings).then(apiCheck) : null,
    (options.disk ?? diskSpace)(paths.dataDir).then(diskCheck),
    writableCheck("log_dir", paths.logDir),
    writableCheck("status_dir", paths.statusDir),
    settings === null ? null : processCheck(settings),
  ]);
  const checks: HealthCheck[] = [
    configCheck(paths, settings, loaded.error),
    tokenCheck(settings),
    ...(api === null ? [] : [api]),
    ...storeChecks(paths, {
      now: clock(),
      maxSyncAgeSeconds: options.maxSyncAgeSeconds ?? 86_400,
    }),
    disk,
    logs,
    status,
    ...(processes === null ? [] : [processes]),
  ];
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  const strict = options.strict === true;
  const unhealthy = counts.fail > 0 || (strict && counts.warn > 0);
  return {
    status: unhealthy ? "unhealthy" : "healthy",
    strict,
    checked_at: new Date(started).toISOString(),
    duration_ms: clock() - started,
    counts,
    checks,
    skipped: wantApi ? (settings === null ? ["api"] : []) : ["api"],
    exit_code: unhealthy ? 1 : 0,
  };
}

/** The error for an unhealthy report: which checks failed (or warned, when strict). */
export function unhealthyError(report: HealthReport): ChecksFailedError {
  const bad = report.checks.filter((c) =>
    c.status === "fail" || (report.strict && c.status === "warn")
  );
  return new ChecksFailedError(
    `unhealthy: ${
      bad.map((c) => `${c.name} ${c.status === "fail" ? "failed" : "warned"}`).join(", ")
    }`,
  );
}
