/**
 * `debug diagnose`: deeper, slower tests than `debug health`, each reporting what it measured.
 *
 * - API: `GET /me` and one conversation search, their latency, and the rate-limit headers seen.
 * - Database: SQLite's full integrity check, the full-text index check, parts whose
 *   conversation is missing, and the counts.
 * - Config: the resolved settings, secrets redacted.
 */
import type { Settings } from "../config/config.ts";
import { clientFromSettings } from "../config/client.ts";
import { workspaceLabel } from "../intercom/types.ts";
import { Store } from "../store/store.ts";
import { type Clock, systemClock, unixSeconds } from "../util/clock.ts";

/** One timed step. */
export interface StepResult {
  ok: boolean;
  latency_ms: number | null;
  detail: string;
}

/** The rate-limit window as the API last reported it. */
export interface RateLimitSeen {
  limit: number | null;
  remaining: number | null;
  reset_at: string | null;
}

/** What `--test-api` found. */
export interface ApiDiagnosis {
  ok: boolean;
  api_url: string;
  me: StepResult & { workspace: { id: string; name: string } | null };
  search: StepResult & { total_count: number | null };
  /** Null when no response carried `X-RateLimit-*` headers. */
  rate_limit: RateLimitSeen | null;
}

/** Options for {@link diagnoseApi}. */
export interface DiagnoseApiOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Per-request timeout, ms. Default: api_timeout_seconds. */
  timeoutMs?: number;
}

const skipped = (detail: string) => ({ ok: false, latency_ms: null, detail });

function headerInt(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value === null || !/^\d+$/.test(value.trim()) ? null : Number(value);
}

/** Calls `/me` and one search with no retries, timing each and noting rate-limit headers. */
export async function diagnoseApi(
  settings: Settings,
  options: DiagnoseApiOptions = {},
): Promise<ApiDiagnosis> {
  const clock = options.clock ?? systemClock;
  if (!settings.token) {
    const detail = "not configured: run `fast-intercom-mcp init` or set INTERCOM_ACCESS_TOKEN";
    return {
      ok: false,
      api_url: settings.apiUrl,
      me: { ...skipped(detail), workspace: null },
      search: { ...skipped(detail), total_count: null },
      rate_limit: null,
    };
  }
  let rateLimit: RateLimitSeen | null = null;
  const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    const limit = headerInt(response.headers, "x-ratelimit-limit");
    const remaining = headerInt(response.headers, "x-ratelimit-remaining");
    const reset = headerInt(response.headers, "x-ratelimit-reset");
    if (limit !== null || remaining !== null || reset !== null) {
      rateLimit = {
        limit,
        remaining,
        reset_at: reset === null ? null : new Date(reset * 1000).toISOString(),
      };
    }
    return response;
  };
  const client = clientFromSettings(settings, {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    maxAttempts: 1,
    maxRateLimitWaits: 0,
    fetch: recordingFetch,
    clock,
  });
  const timed = async <T>(fn: () => Promise<T>) => {
    const started = clock();
    try {
      return { value: await fn(), ms: clock() - started, error: null };
    } catch (error) {
      return { value: null, ms: clock() - started, error: error as Error };
    }
  };
  const me = await timed(() => client.me());
  const nowSeconds = unixSeconds(clock);
  const search = await timed(() =>
    client.searchConversationsPage(
      { field: "updated_at", operator: ">", value: nowSeconds - 86_400 },
      { perPage: 1 },
    )
  );
  const meResult = me.value === null
    ? { ok: false, latency_ms: me.ms, detail: me.error?.message ?? "failed", workspace: null }
    : {
      ok: true,
      latency_ms: me.ms,
      detail: `token accepted for ${workspaceLabel(me.value)}`,
      workspace: me.value.app && { id: me.value.app.id_code, name: me.value.app.name },
    };
  const searchResult = search.value === null
    ? {
      ok: false,
      latency_ms: search.ms,
      detail: search.error?.message ?? "failed",
      total_count: null,
    }
    : {
      ok: true,
      latency_ms: search.ms,
      detail: `${search.value.totalCount} conversations updated in the last 24 hours`,
      total_count: search.value.totalCount,
    };
  return {
    ok: meResult.ok && searchResult.ok,
    api_url: settings.apiUrl,
    me: meResult,
    search: searchResult,
    rate_limit: rateLimit,
  };
}

/** What `--test-database` found. */
export interface DatabaseDiagnosis {
  ok: boolean;
  path: string;
  exists: boolean;
  schema_version: number | null;
  integrity: { ok: boolean; problems: string[] };
  /** Null when the check could not run (it needs a writable store; a sync may hold it). */
  fts_integrity: { ok: boolean; problems: string[] } | null;
  fts_detail: string;
  orphan_parts: number | null;
  counts: { conversations: number; parts: number; contacts: number; size_bytes: number } | null;
  duration_ms: number;
  error: string | null;
}

/** Runs the full integrity checks of the store. */
export function diagnoseDatabase(
  settings: Settings,
  options: { clock?: Clock } = {},
): DatabaseDiagnosis {
  const clock = options.clock ?? systemClock;
  const started = clock();
  const path = settings.paths.storeFile;
  const result: DatabaseDiagnosis = {
    ok: false,
    path,
    exists: false,
    schema_version: null,
    integrity: { ok: false, problems: [] },
    fts_integrity: null,
    fts_detail: "not run",
    orphan_parts: null,
    counts: null,
    duration_ms: 0,
    error: null,
  };
  try {
    Deno.statSync(path);
    result.exists = true;
  } catch {
    result.error = `no store at ${path}: run \`fast-intercom-mcp sync\``;
    return { ...result, duration_ms: clock() - started };
  }
  try {
    using store = Store.open(path, { readOnly: true, busyTimeoutMs: 5000 });
    result.schema_version = store.schemaVersion();
    const problems = store.integrityCheck();
    result.integrity = { ok: problems.length === 0, problems };
    result.orphan_parts = store.orphanParts();
    const stats = store.stats();
    result.counts = {
      conversations: stats.conversations,
      parts: stats.parts,
      contacts: stats.contacts,
      size_bytes: stats.sizeBytes,
    };
  } catch (error) {
    result.error = (error as Error).message;
    return { ...result, duration_ms: clock() - started };
  }
  if (result.schema_version === Store.SCHEMA_VERSION) {
    // FTS5's integrity-check is a write command: it needs a writable connection (no migration
    // runs at the current schema version)
    try {
      using store = Store.open(path, { busyTimeoutMs: 2000 });
      const problems = store.ftsIntegrityCheck();
      result.fts_integrity = { ok: problems.length === 0, problems };
      result.fts_detail = problems.length === 0 ? "full-text index matches" : problems.join("; ");
    } catch (error) {
      result.fts_detail = `not run: ${(error as Error).message}`;
    }
  } else {
    result.fts_detail = `not run: schema version ${result.schema_version} is not current`;
  }
  result.ok = result.integrity.ok && result.orphan_parts === 0 &&
    (result.fts_integrity?.ok ?? true);
  return { ...result, duration_ms: clock() - started };
}

/** The resolved settings for `--show-config`, snake_case, the token redacted. */
export function configView(settings: Settings): Record<string, unknown> {
  return {
    configured: settings.configured,
    config_file: settings.paths.configFile,
    access_token: settings.token ? `[REDACTED] (from ${settings.tokenSource})` : null,
    api_url: settings.apiUrl,
    region: settings.region,
    intercom_version: settings.intercomVersion,
    workspace_id: settings.workspaceId,
    workspace_name: settings.workspaceName,
    log_level: settings.logLevel,
    max_sync_age_minutes: settings.maxSyncAgeMinutes,
    background_sync_interval_minutes: settings.backgroundSyncIntervalMinutes,
    initial_sync_days: settings.initialSyncDays,
    api_timeout_seconds: settings.apiTimeoutSeconds,
    sync_concurrency: settings.syncConcurrency,
    log_max_bytes: settings.logMaxBytes,
    log_max_files: settings.logMaxFiles,
    log_archive_max_files: settings.logArchiveMaxFiles,
    log_archive_max_days: settings.logArchiveMaxDays,
    stall_after_seconds: settings.stallAfterSeconds,
    status_retention_days: settings.statusRetentionDays,
    alert_webhook_url: settings.alertWebhookUrl ? "[REDACTED]" : null,
    paths: {
      data_dir: settings.paths.dataDir,
      store_file: settings.paths.storeFile,
      log_dir: settings.paths.logDir,
      status_dir: settings.paths.statusDir,
      sync_lock_file: settings.paths.syncLockFile,
    },
  };
}
