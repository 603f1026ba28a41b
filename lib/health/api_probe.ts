/**
 * Is the Intercom API reachable, and does it accept the token? One real `GET /me` with a short
 * timeout and no retries, classified: not configured (no token), connected (with latency and
 * workspace), token rejected (401), rate limited (429: reachable, token not proven),
 * unreachable (connection failure or timeout), or another error.
 */
import type { Settings } from "../config/config.ts";
import { AppError } from "../errors.ts";
import { clientFromSettings } from "../config/client.ts";
import { AuthError, NetworkError, RateLimitError } from "../intercom/errors.ts";
import { workspaceLabel } from "../intercom/types.ts";
import { type Clock, systemClock } from "../util/clock.ts";

/** The outcome of a probe. */
export type ApiState =
  | "connected"
  | "not_configured"
  | "token_rejected"
  | "rate_limited"
  | "unreachable"
  | "error";

/** What a probe found. */
export interface ApiProbe {
  state: ApiState;
  /** One line for people. */
  detail: string;
  /** Round trip of `GET /me`, ms; null when no request was answered. */
  latencyMs: number | null;
  /** When the probe ran, ms since the epoch. */
  checkedAt: number;
  /** The workspace the token belongs to, when connected. */
  workspace: { id: string; name: string } | null;
  apiUrl: string;
  /** HTTP status of the answer, when there was one. */
  status: number | null;
}

/** Options for {@link probeApi}. */
export interface ProbeOptions {
  /** Timeout of the one attempt, ms. Default: the smaller of api_timeout_seconds and 5 s. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `systemClock`. */
  clock?: Clock;
}

/** Calls `GET /me` once and classifies the outcome; never throws for API failures. */
export async function probeApi(settings: Settings, options: ProbeOptions = {}): Promise<ApiProbe> {
  const clock = options.clock ?? systemClock;
  const started = clock();
  const base = { checkedAt: started, apiUrl: settings.apiUrl, workspace: null, status: null };
  if (!settings.token) {
    return {
      ...base,
      state: "not_configured",
      detail: "no access token: run `fast-intercom-mcp init` or set INTERCOM_ACCESS_TOKEN",
      latencyMs: null,
    };
  }
  const timeoutMs = options.timeoutMs ?? Math.min(settings.apiTimeoutSeconds * 1000, 5000);
  const client = clientFromSettings(settings, {
    timeoutMs,
    maxAttempts: 1,
    maxRateLimitWaits: 0,
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  try {
    const me = await client.me();
    const latencyMs = clock() - started;
    return {
      ...base,
      state: "connected",
      detail: `token accepted for ${workspaceLabel(me)} in ${latencyMs} ms`,
      latencyMs,
      workspace: me.app && { id: me.app.id_code, name: me.app.name },
      status: 200,
    };
  } catch (error) {
    return { ...base, ...classify(error, clock() - started) };
  }
}

function classify(error: unknown, elapsed: number): Omit<ApiProbe, "checkedAt" | "apiUrl"> {
  const status = error instanceof AppError && "status" in error
    ? (error as { status?: number }).status ?? null
    : null;
  const message = error instanceof Error ? error.message : String(error);
  const answered = { latencyMs: elapsed, workspace: null, status };
  if (error instanceof AuthError) {
    return { ...answered, state: "token_rejected", detail: `token rejected (401): ${message}` };
  }
  if (error instanceof RateLimitError) {
    return { ...answered, state: "rate_limited", detail: `reachable but rate limited (429)` };
  }
  if (error instanceof NetworkError) {
    return {
      state: "unreachable",
      detail: `unreachable: ${message}`,
      ...answered,
      latencyMs: null,
    };
  }
  return { ...answered, state: "error", detail: message };
}

/** Options for {@link ApiProbeCache}. */
export interface ApiProbeCacheOptions extends ProbeOptions {
  /** How long a result is reused. Default: 30 s. */
  ttlMs?: number;
  /** The probe. Default: {@link probeApi}. */
  probe?: (settings: Settings, options: ProbeOptions) => Promise<ApiProbe>;
}

/** Reuses a probe's result for a while, so a dashboard refreshing every few seconds stays light. */
export class ApiProbeCache {
  readonly #options: ApiProbeCacheOptions;
  #last: { key: string; probe: ApiProbe } | null = null;

  constructor(options: ApiProbeCacheOptions = {}) {
    this.#options = options;
  }

  /** The cached result for these settings if fresh, else a new probe; `cached` says which. */
  async get(settings: Settings): Promise<{ probe: ApiProbe; cached: boolean }> {
    const clock = this.#options.clock ?? systemClock;
    const key = `${settings.apiUrl}\n${settings.token ?? ""}`;
    const ttl = this.#options.ttlMs ?? 30_000;
    if (this.#last && this.#last.key === key && clock() - this.#last.probe.checkedAt < ttl) {
      return { probe: this.#last.probe, cached: true };
    }
    const probe = await (this.#options.probe ?? probeApi)(settings, this.#options);
    this.#last = { key, probe };
    return { probe, cached: false };
  }
}
