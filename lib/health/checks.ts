/**
 * The individual health checks. Each answers one question with ok | warn | fail and a line of
 * detail that says what was found and, when it is not ok, what to do.
 */
import { join } from "node:path";
import type { Settings } from "../config/config.ts";
import type { Paths } from "../config/paths.ts";
import { readStatus } from "../registry/status_reader.ts";
import { Store } from "../store/store.ts";
import { formatBytes, formatSeconds } from "../util/format.ts";
import type { ApiProbe } from "./api_probe.ts";
import { type DiskSpace, existingAncestor } from "./disk.ts";

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

/** Options for {@link storeChecks}. */
export interface StoreCheckOptions {
  /** Now, Unix ms. */
  now: number;
  /** The last completed sync may be at most this old. */
  maxSyncAgeSeconds: number;
}

/**
 * The store: it opens (read-only), passes SQLite's quick check, has the schema this program
 * writes, and had a completed sync recently enough.
 */
export function storeChecks(paths: Paths, options: StoreCheckOptions): HealthCheck[] {
  let store: Store;
  try {
    Deno.statSync(paths.storeFile);
  } catch {
    const none = `no store at ${paths.storeFile} yet: run \`fast-intercom-mcp sync\``;
    return [check("store", "warn", none), check("last_sync", "warn", "no sync has run yet")];
  }
  try {
    store = Store.open(paths.storeFile, { readOnly: true, busyTimeoutMs: 2000 });
  } catch (error) {
    return [check("store", "fail", (error as Error).message)];
  }
  try {
    const results = [check("store", "ok", `${paths.storeFile} opens`)];
    const problems = store.quickCheck();
    results.push(
      problems.length === 0 ? check("integrity", "ok", "quick check passed") : check(
        "integrity",
        "fail",
        `quick check found ${problems.length} problem(s): ${problems.slice(0, 3).join("; ")} — ` +
          "run `fast-intercom-mcp debug diagnose --test-database`",
      ),
    );
    results.push(schemaCheck(store.schemaVersion()));
    results.push(lastSyncCheck(store, options));
    return results;
  } finally {
    store.close();
  }
}

function schemaCheck(version: number): HealthCheck {
  const expected = Store.SCHEMA_VERSION;
  if (version === expected) return check("schema", "ok", `schema version ${version}`);
  if (version < expected) {
    return check(
      "schema",
      "warn",
      `schema version ${version}, this program uses ${expected}: the next sync migrates it`,
    );
  }
  return check(
    "schema",
    "fail",
    `schema version ${version} is newer than this program's ${expected}: upgrade fast-intercom-mcp`,
  );
}

function lastSyncCheck(store: Store, options: StoreCheckOptions): HealthCheck {
  const run = store.lastCompletedRun();
  if (run === null || run.finishedAt === null) {
    return check("last_sync", "warn", "no completed sync yet: run `fast-intercom-mcp sync`");
  }
  const age = Math.max(0, Math.floor(options.now / 1000) - run.finishedAt);
  const detail = `last completed sync (run ${run.id}) ${formatSeconds(age)} ago`;
  if (age <= options.maxSyncAgeSeconds) return check("last_sync", "ok", detail);
  return check(
    "last_sync",
    "warn",
    `${detail}, older than ${formatSeconds(options.maxSyncAgeSeconds)}: run ` +
      "`fast-intercom-mcp sync`",
  );
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

/** A directory can be written (or created, when it does not exist yet). */
export async function writableCheck(name: string, dir: string): Promise<HealthCheck> {
  const target = await existingAncestor(dir);
  const probe = join(target, `.health-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  try {
    await Deno.writeTextFile(probe, "", { createNew: true });
    await Deno.remove(probe);
  } catch (error) {
    return check(name, "fail", `${target} is not writable: ${(error as Error).message}`);
  }
  return check(name, "ok", target === dir ? `${dir} writable` : `${dir} can be created`);
}

/** Status-tracker processes: crashed or stalled running records are warnings. */
export async function processCheck(settings: Settings): Promise<HealthCheck> {
  let report;
  try {
    report = await readStatus(settings.paths.statusDir, {
      stallAfterSeconds: settings.stallAfterSeconds,
    });
  } catch (error) {
    return check("processes", "warn", `cannot read ${settings.paths.statusDir}: ${error}`);
  }
  const crashed = report.active.filter((r) => r.status === "crashed");
  const stalled = report.active.filter((r) => r.status === "stalled");
  const running = report.active.filter((r) => r.status === "running");
  if (crashed.length === 0 && stalled.length === 0) {
    return check("processes", "ok", `${running.length} running, none crashed or stalled`);
  }
  const parts = [
    ...crashed.map((r) => `${r.process_id} crashed (pid ${r.pid} is gone)`),
    ...stalled.map((r) =>
      `${r.process_id} stalled (no heartbeat for over ${settings.stallAfterSeconds}s)`
    ),
  ];
  return check(
    "processes",
    "warn",
    `${parts.join("; ")}: see \`fast-intercom-mcp monitor status\`; a new sync resumes the work`,
  );
}
