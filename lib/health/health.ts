/**
 * `debug health`: every check (checks.ts, dir_checks.ts, store_checks.ts, sync_check.ts) run
 * together, each isolated from the others' failures, and the verdict machines gate on.
 *
 * Exit codes (the contract for CI and container health checks):
 *   0  healthy: no check failed (warnings allowed, unless `strict`)
 *   1  unhealthy: a check failed (or, with `strict`, warned)
 *   2  usage error (bad flags)
 */
import { resolveSettings, type SettingFlags, type Settings } from "../config/config.ts";
import { type Paths, resolvePaths } from "../config/paths.ts";
import { ChecksFailedError, ConfigError } from "../errors.ts";
import { explainError } from "../explain_error.ts";
import { registerSecret } from "../logging/redact.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { anomalyCheck } from "./anomaly_check.ts";
import { type ApiProbe, probeApi } from "./api_probe.ts";
import { apiCheck, configCheck, diskCheck, type HealthCheck, tokenCheck } from "./checks.ts";
import { directoryCheck } from "./dir_checks.ts";
import { storeChecks, type StoreFindings } from "./store_checks.ts";
import { syncCheck } from "./sync_check.ts";
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
  /** Pages of the store the integrity sample reads at most. Default: see `storeChecks`. */
  samplePages?: number;
}

/** Runs every check and decides healthy or not. Never throws: a check that throws fails. */
export async function runHealthChecks(
  loaded: LoadedSettings,
  options: HealthOptions = {},
): Promise<HealthReport> {
  const clock = options.clock ?? systemClock;
  const started = clock();
  const { paths, settings } = loaded;
  const wantApi = options.api !== false;
  const probe = options.probe ?? ((s: Settings) => probeApi(s, { clock }));
  const stallAfterSeconds = settings?.stallAfterSeconds ?? 60;
  // The async checks (API, df, probe files) run while the store is read, which blocks.
  const pending = Promise.all([
    wantApi && settings !== null
      ? guard(["api"], async () => [apiCheck(await probe(settings))])
      : [],
    guard(["disk"], async () => [diskCheck(await (options.disk ?? diskSpace)(paths.dataDir))]),
    guard(["data_dir"], async () => [await directoryCheck("data_dir", paths.dataDir)]),
    guard(["log_dir"], async () => [await directoryCheck("log_dir", paths.logDir)]),
    guard(["status_dir"], async () => [await directoryCheck("status_dir", paths.statusDir)]),
  ]);
  let findings: StoreFindings = { checks: [], runs: [], lastCompleted: null };
  const store = await guard(["store"], () => {
    findings = storeChecks(paths, {
      now: clock(),
      maxSyncAgeSeconds: options.maxSyncAgeSeconds ?? 86_400,
      ...(options.samplePages === undefined ? {} : { samplePages: options.samplePages }),
    });
    return findings.checks;
  });
  const sync = await guard(
    ["sync"],
    async () => [await syncCheck(paths, findings, { now: clock(), stallAfterSeconds })],
  );
  const anomalies = await guard(["anomalies"], () => [anomalyCheck(paths, clock())]);
  const [api, disk, dataDir, logs, status] = await pending;
  const checks: HealthCheck[] = [
    configCheck(paths, settings, loaded.error),
    tokenCheck(settings),
    ...api,
    ...dataDir,
    ...store,
    ...sync,
    ...anomalies,
    ...disk,
    ...logs,
    ...status,
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

/** Runs checks; whatever they throw becomes a failed check named `names[0]`. */
async function guard(
  names: string[],
  fn: () => HealthCheck[] | Promise<HealthCheck[]>,
): Promise<HealthCheck[]> {
  try {
    return await fn();
  } catch (error) {
    const why = explainError(error) ?? (error instanceof Error ? error.message : String(error));
    return [{ name: names[0]!, status: "fail", detail: `the check itself failed: ${why}` }];
  }
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
