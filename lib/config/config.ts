/**
 * Configuration: the config file (`<data>/config.json`), environment overrides and flags,
 * resolved into one typed {@link Settings}. A bad file fails with its path, the key and what
 * is wrong, and is never overwritten or deleted by a failed command.
 */
import { dirname } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { explainError } from "../explain_error.ts";
import { parseRegion, type Region, REGION_HOSTS } from "../intercom/hosts.ts";
import { atomicWriteTextFile } from "../util/atomic_write.ts";
import type { Paths } from "./paths.ts";

/** Log levels accepted in config and env (Python-style upper case too). */
export type LogLevel = "debug" | "info" | "warning" | "error";
const LOG_LEVELS: Record<string, LogLevel> = {
  debug: "debug",
  info: "info",
  warning: "warning",
  warn: "warning",
  error: "error",
};

const wholeNumber = (min: number) => z.number().int().min(min);

/** The config file's keys. Unknown keys are refused so that typos do not pass silently. */
export const FileConfigSchema = z.object({
  access_token: z.string().min(1).optional(),
  workspace_id: z.string().optional(),
  workspace_name: z.string().optional(),
  region: z.enum(["us", "eu", "au"]).optional(),
  api_url: z.string().url().optional(),
  intercom_version: z.string().min(1).optional(),
  log_level: z.string().refine((v) => v.toLowerCase() in LOG_LEVELS, {
    message: "must be one of debug, info, warning, error",
  }).optional(),
  max_sync_age_minutes: wholeNumber(0).optional(),
  background_sync_interval_minutes: wholeNumber(0).optional(),
  initial_sync_days: wholeNumber(1).optional(),
  api_timeout_seconds: wholeNumber(1).optional(),
  sync_concurrency: wholeNumber(1).max(64).optional(),
  log_max_bytes: wholeNumber(1024).optional(),
  log_max_files: wholeNumber(1).max(100).optional(),
  log_archive_max_files: wholeNumber(0).max(100_000).optional(),
  log_archive_max_days: wholeNumber(1).max(36_500).optional(),
  stall_after_seconds: wholeNumber(1).optional(),
  status_retention_days: wholeNumber(1).optional(),
  alert_webhook_url: z.string().url().refine((v) => /^https?:\/\//i.test(v), {
    message: "must be an http:// or https:// URL",
  }).optional(),
}).strict();
/** The config file as stored. */
export type FileConfig = z.infer<typeof FileConfigSchema>;

/** Everything a command needs, resolved from flags > environment > config file > defaults. */
export interface Settings {
  paths: Paths;
  token: string | null;
  tokenSource: "flag" | "env" | "config" | null;
  apiUrl: string;
  region: Region;
  intercomVersion: string;
  logLevel: LogLevel;
  maxSyncAgeMinutes: number;
  backgroundSyncIntervalMinutes: number;
  initialSyncDays: number;
  apiTimeoutSeconds: number;
  syncConcurrency: number;
  logMaxBytes: number;
  logMaxFiles: number;
  /** Compressed rotated logs kept per log file (0: rotated logs are deleted, not kept). */
  logArchiveMaxFiles: number;
  /** Compressed rotated logs older than this many days are deleted. */
  logArchiveMaxDays: number;
  stallAfterSeconds: number;
  statusRetentionDays: number;
  /** Where alerts are posted (crash, stall, anomaly, recovery); a secret. Null: no alerts. */
  alertWebhookUrl: string | null;
  workspaceId: string | null;
  workspaceName: string | null;
  /** Whether a config file exists (false before `init`). */
  configured: boolean;
}

/** The defaults every unset key takes. */
export const DEFAULTS = {
  intercomVersion: "2.11",
  logLevel: "info" as LogLevel,
  maxSyncAgeMinutes: 5,
  backgroundSyncIntervalMinutes: 10,
  initialSyncDays: 7,
  apiTimeoutSeconds: 30,
  syncConcurrency: 16,
  logMaxBytes: 10 * 1024 * 1024,
  logMaxFiles: 5,
  logArchiveMaxFiles: 50,
  logArchiveMaxDays: 30,
  stallAfterSeconds: 60,
  statusRetentionDays: 7,
};

/** Reads and validates the config file; `null` when it does not exist. */
export async function loadConfigFile(path: string): Promise<FileConfig | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    const why = explainError(error) ?? (error as Error).message;
    throw new ConfigError(`cannot read config file ${path}: ${why}`, { cause: error });
  }
  let raw: unknown;
  try {
    // Editors on Windows (Notepad) save UTF-8 with a byte-order mark; JSON.parse refuses it.
    raw = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid JSON (${
        (error as Error).message
      }): fix it, or move it away and run \`fast-intercom-mcp init\``,
      { cause: error },
    );
  }
  const parsed = FileConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`config file ${path}: ${describeIssue(parsed.error.issues[0], raw)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function describeIssue(issue: z.ZodIssue | undefined, raw: unknown): string {
  if (!issue) return "invalid content";
  if (issue.code === "unrecognized_keys") {
    return `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove it (known keys: ${
      Object.keys(FileConfigSchema.shape).join(", ")
    })`;
  }
  if (issue.path.length === 0) return `must be a JSON object (${issue.message})`;
  const key = issue.path.join(".");
  const value = key === "access_token" || key === "alert_webhook_url"
    ? "(hidden)"
    : JSON.stringify((raw as Record<string, unknown>)[String(issue.path[0])]);
  return `key "${key}" ${issue.message.toLowerCase()} (got ${value}): fix or remove it`;
}

/** Writes the config file atomically with mode 0600 in a 0700 directory. */
export async function saveConfigFile(path: string, config: FileConfig): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.chmod(dir, 0o700).catch(() => {});
  await atomicWriteTextFile(path, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
}

/** Flags that override configuration. */
export interface SettingFlags {
  token?: string | undefined;
  apiUrl?: string | undefined;
  region?: string | undefined;
}

/** Options for {@link resolveSettings}. */
export interface ResolveOptions {
  /** Environment lookup. Default: `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** The config file's content (from {@link loadConfigFile}). Default: read from `paths`. */
  file?: FileConfig | null;
}

/** Resolves settings: flags > `INTERCOM_ACCESS_TOKEN`/`FASTINTERCOM_*` > config file > defaults. */
export async function resolveSettings(
  paths: Paths,
  flags: SettingFlags = {},
  options: ResolveOptions = {},
): Promise<Settings> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const file = options.file !== undefined ? options.file : await loadConfigFile(paths.configFile);
  const cfg = file ?? {};
  const envText = (name: string) => {
    const v = env(name);
    return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
  };
  const envInt = (name: string, min: number) => {
    const v = envText(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min) {
      throw new ConfigError(
        `environment variable ${name}="${v}" must be a whole number ≥ ${min}: fix or unset it`,
      );
    }
    return Number(v);
  };

  // A pasted token often carries a space or a newline: never part of a token.
  const flagToken = flags.token?.trim();
  const fileToken = cfg.access_token?.trim();
  const [token, tokenSource] = flagToken
    ? [flagToken, "flag" as const]
    : envText("INTERCOM_ACCESS_TOKEN")
    ? [envText("INTERCOM_ACCESS_TOKEN")!, "env" as const]
    : fileToken
    ? [fileToken, "config" as const]
    : [null, null];

  const regionText = flags.region ?? envText("FASTINTERCOM_REGION") ?? cfg.region ?? "us";
  const region = parseRegion(regionText);
  const apiUrl = normaliseApiUrl(
    flags.apiUrl ?? envText("FASTINTERCOM_API_URL") ?? cfg.api_url ?? REGION_HOSTS[region],
  );

  const levelText = envText("FASTINTERCOM_LOG_LEVEL") ?? cfg.log_level ?? DEFAULTS.logLevel;
  const logLevel = LOG_LEVELS[levelText.toLowerCase()];
  if (!logLevel) {
    throw new ConfigError(
      `FASTINTERCOM_LOG_LEVEL="${levelText}" is not a log level: use debug, info, warning or error`,
    );
  }

  return {
    paths,
    token,
    tokenSource,
    apiUrl,
    region,
    intercomVersion: envText("FASTINTERCOM_INTERCOM_VERSION") ?? cfg.intercom_version ??
      DEFAULTS.intercomVersion,
    logLevel,
    maxSyncAgeMinutes: envInt("FASTINTERCOM_MAX_SYNC_AGE_MINUTES", 0) ??
      cfg.max_sync_age_minutes ?? DEFAULTS.maxSyncAgeMinutes,
    backgroundSyncIntervalMinutes: envInt("FASTINTERCOM_BACKGROUND_SYNC_INTERVAL_MINUTES", 0) ??
      cfg.background_sync_interval_minutes ?? DEFAULTS.backgroundSyncIntervalMinutes,
    initialSyncDays: envInt("FASTINTERCOM_INITIAL_SYNC_DAYS", 1) ?? cfg.initial_sync_days ??
      DEFAULTS.initialSyncDays,
    apiTimeoutSeconds: envInt("FASTINTERCOM_API_TIMEOUT_SECONDS", 1) ??
      cfg.api_timeout_seconds ?? DEFAULTS.apiTimeoutSeconds,
    syncConcurrency: envInt("FASTINTERCOM_SYNC_CONCURRENCY", 1) ?? cfg.sync_concurrency ??
      DEFAULTS.syncConcurrency,
    logMaxBytes: envInt("FASTINTERCOM_LOG_MAX_BYTES", 1024) ?? cfg.log_max_bytes ??
      DEFAULTS.logMaxBytes,
    logMaxFiles: envInt("FASTINTERCOM_LOG_MAX_FILES", 1) ?? cfg.log_max_files ??
      DEFAULTS.logMaxFiles,
    logArchiveMaxFiles: envInt("FASTINTERCOM_LOG_ARCHIVE_MAX_FILES", 0) ??
      cfg.log_archive_max_files ?? DEFAULTS.logArchiveMaxFiles,
    logArchiveMaxDays: envInt("FASTINTERCOM_LOG_ARCHIVE_MAX_DAYS", 1) ??
      cfg.log_archive_max_days ?? DEFAULTS.logArchiveMaxDays,
    stallAfterSeconds: envInt("FASTINTERCOM_STALL_AFTER_SECONDS", 1) ??
      cfg.stall_after_seconds ?? DEFAULTS.stallAfterSeconds,
    statusRetentionDays: envInt("FASTINTERCOM_STATUS_RETENTION_DAYS", 1) ??
      cfg.status_retention_days ?? DEFAULTS.statusRetentionDays,
    alertWebhookUrl: webhookUrl(envText("FASTINTERCOM_ALERT_WEBHOOK_URL")) ??
      cfg.alert_webhook_url ?? null,
    workspaceId: cfg.workspace_id ?? null,
    workspaceName: cfg.workspace_name ?? null,
    configured: file !== null,
  };
}

/** Validates an alert webhook URL from the environment; undefined when unset. */
function webhookUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!URL.canParse(text) || !/^https?:\/\//i.test(text)) {
    throw new ConfigError(
      "environment variable FASTINTERCOM_ALERT_WEBHOOK_URL is not an http(s) URL: fix or unset it",
    );
  }
  return text;
}

/** Validates an API base URL and strips a trailing slash. */
export function normaliseApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new ConfigError(
      `API URL "${text}" is not a URL: use e.g. https://api.intercom.io or http://127.0.0.1:8080`,
      { cause: error },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`API URL "${text}" must start with http:// or https://`);
  }
  return url.toString().replace(/\/+$/, "");
}
