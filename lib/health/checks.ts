/**
 * The individual health checks. Each answers one question with ok | warn | fail and a line of
 * detail that says what was found and, when it is not ok, what to do.
 */
import type { Settings } from "../config/config.ts";
import type { Paths } from "../config/paths.ts";
import { formatBytes } from "../util/format.ts";
import type { ApiProbe } from "./api_probe.ts";
import type { DiskSpace } from "./disk.ts";

/** The result of one check. */
export type CheckStatus = "ok" | "warn" | "fail";

/** One check of the report (snake_case: it is printed as JSON as is). */
export interface HealthCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** Round-trip time, for checks that talk to something. */
  latency_ms?: number;
}

const check = (name: string, status: CheckStatus, detail: string): HealthCheck => ({
  name,
  status,
  detail,
});

/** Config: valid file, no file yet (warn), or invalid (fail, with the loader's message). */
export function configCheck(paths: Paths, settings: Settings | null, error: Error | null) {
  if (error !== null) return check("config", "fail", error.message);
  if (settings?.configured) return check("config", "ok", `${paths.configFile} is valid`);
  return check(
    "config",
    "warn",
    `no config file at ${paths.configFile}: run \`fast-intercom-mcp init\``,
  );
}

/** Token: present (and where from), or missing (warn: not configured). */
export function tokenCheck(settings: Settings | null): HealthCheck {
  if (settings?.token) {
    const from = settings.tokenSource === "env"
      ? "INTERCOM_ACCESS_TOKEN"
      : settings.tokenSource === "flag"
      ? "--token"
      : "the config file";
    return check("token", "ok", `access token present (from ${from})`);
  }
  return check(
    "token",
    "warn",
    "no access token (not configured): run `fast-intercom-mcp init` or set INTERCOM_ACCESS_TOKEN",
  );
}

/** API: the probe's outcome; not configured is a warning, any failure to connect a failure. */
export function apiCheck(probe: ApiProbe): HealthCheck {
  const status: CheckStatus = probe.state === "connected"
    ? "ok"
    : probe.state === "not_configured" || probe.state === "rate_limited"
    ? "warn"
    : "fail";
  const detail = probe.state === "connected"
    ? `${probe.apiUrl} reachable, ${probe.detail}`
    : probe.state === "token_rejected"
    ? `token rejected by ${probe.apiUrl} (401): run \`fast-intercom-mcp init\` with a valid token`
    : probe.state === "unreachable"
    ? `${probe.apiUrl} ${probe.detail}`
    : probe.detail;
  const result = check("api", status, detail);
  if (probe.latencyMs !== null) result.latency_ms = probe.latencyMs;
  return result;
}

/** Free disk where the store lives: fail under 100 MB, warn under 1 GB, warn when unknown. */
export function diskCheck(space: DiskSpace | null): HealthCheck {
  if (space === null) return check("disk", "warn", "free disk space unknown (df unavailable)");
  const mb = space.freeBytes / 1e6;
  const detail = `${formatBytes(space.freeBytes)} free on the file system of ${space.path}`;
  if (mb < 100) return check("disk", "fail", `${detail}: free some space before syncing`);
  if (mb < 1000) return check("disk", "warn", `${detail}: getting low`);
  return check("disk", "ok", detail);
}
