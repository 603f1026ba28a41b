/**
 * One API call to completion, the loop every call of an {@link IntercomClient} goes through:
 * wait for the shared {@link RateLimiter}, send with a per-attempt timeout, classify the
 * outcome, then return the JSON body, wait for the rate-limit window (429), back off and retry
 * (5xx, empty/HTML/truncated bodies, connection errors, timeouts), or throw a typed error at
 * once (401, other 4xx). Counts every attempt in {@link ClientStats}.
 */
import type { Logger } from "@logtape/logtape";
import type { Clock, Sleep } from "../util/clock.ts";
import { IntercomError, RateLimitError, redact } from "./errors.ts";
import { endpointTemplate } from "./endpoint_template.ts";
import type { RateLimitedResponse, RateLimiter, RateLimitPermit } from "./rate_limiter.ts";
import {
  type AttemptOutcome,
  backoffDelay,
  type BackoffOptions,
  classifyResponse,
  giveUpError,
} from "./retry.ts";

/** Counters of one client's traffic, updated live. */
export interface ClientStats {
  /** HTTP attempts sent (first tries, retries and 429s). */
  requests: number;
  /** Attempts repeated after a retryable failure (429 waits excluded). */
  retries: number;
  /** 429 responses received. */
  rateLimited: number;
  /** Wall-clock ms during which at least one request waited for the rate limit. */
  rateLimitWaitMs: number;
  /** Calls that ended in an {@link IntercomError} (aborts excluded). */
  errors: number;
  /**
   * Attempts by endpoint template (`GET /conversations/{id}`) and outcome: the HTTP status,
   * or `timeout`, `network` or `aborted` when no response arrived. Sums to `requests`.
   */
  byEndpoint: Record<string, Record<string, number>>;
}

/** One request as the client sends it. */
export interface Call {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  notFoundAsNull?: boolean;
}

/** How a {@link Transport} sends, paces and retries (resolved by `IntercomClient`). */
export interface TransportOptions {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** Host of the base URL, named in network errors. */
  host: string;
  /** The access token: kept out of errors and logs. */
  token: string;
  /** Headers of every request (auth, accept, version, user agent). */
  headers: Record<string, string>;
  timeoutMs: number;
  maxAttempts: number;
  maxRateLimitWaits: number;
  backoff: BackoffOptions;
  fetch: typeof fetch;
  clock: Clock;
  sleep: Sleep;
  limiter: RateLimiter;
  log: Logger;
}

/** The paced, retrying HTTP exchange of one client, with its live counters. */
export class Transport {
  /** Live traffic counters. */
  readonly stats: ClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rateLimitWaitMs: 0,
    errors: 0,
    byEndpoint: {},
  };
  readonly #o: TransportOptions;
  #waiting = 0;
  #waitStartedAt = 0;

  constructor(options: TransportOptions) {
    this.#o = options;
  }

  /** Runs one API call to completion: the JSON body, or `null` for an allowed 404. */
  async call(call: Call): Promise<unknown> {
    try {
      return await this.#loop(call);
    } catch (error) {
      if (error instanceof IntercomError) this.stats.errors++;
      throw error;
    }
  }

  async #loop(call: Call): Promise<unknown> {
    const endpoint = endpointOf(call);
    const at = { endpoint, template: endpointTemplate(call.method, call.path) };
    let attempts = 0;
    let rateLimitWaits = 0;
    for (;;) {
      const permit = await this.#acquire(call.signal);
      attempts++;
      const outcome = await this.#attempt(call, at, permit, attempts);
      if (outcome.kind === "ok") return outcome.json;
      if (outcome.kind === "not_found") return null;
      if (outcome.kind === "fatal") throw outcome.error;
      if (outcome.kind === "rate_limited") {
        attempts--; // 429s do not count against maxAttempts.
        this.stats.rateLimited++;
        if (++rateLimitWaits > this.#o.maxRateLimitWaits) {
          throw new RateLimitError(
            `Intercom kept rate-limiting ${endpoint}: ${rateLimitWaits} consecutive 429 ` +
              "responses — another app or process may be using this workspace's rate limit; " +
              "stop it, lower concurrency, or retry later",
            { status: 429, code: "rate_limit_exceeded" },
          );
        }
        continue;
      }
      rateLimitWaits = 0;
      if (attempts >= this.#o.maxAttempts) {
        throw giveUpError(outcome, { endpoint, host: this.#o.host, attempts });
      }
      const waitMs = backoffDelay(attempts, this.#o.backoff);
      this.#o.log.warn(
        "Retrying {endpoint} in {waitMs} ms after {reason} ({detail}); attempt {next} of {max}",
        {
          endpoint,
          waitMs,
          reason: outcome.reason,
          detail: outcome.detail,
          next: attempts + 1,
          max: this.#o.maxAttempts,
        },
      );
      this.stats.retries++;
      await this.#o.sleep(waitMs, call.signal);
    }
  }

  async #acquire(signal: AbortSignal | undefined): Promise<RateLimitPermit> {
    if (this.#waiting++ === 0) this.#waitStartedAt = this.#o.clock();
    try {
      return await this.#o.limiter.acquire(signal);
    } finally {
      if (--this.#waiting === 0) {
        this.stats.rateLimitWaitMs += this.#o.clock() - this.#waitStartedAt;
      }
    }
  }

  /**
   * One HTTP exchange; only a caller's abort (or a bug) escapes as an exception. `at` names the
   * call's endpoint (in errors) and its template (in the counters), worked out once per call.
   */
  async #attempt(
    call: Call,
    at: { endpoint: string; template: string },
    permit: RateLimitPermit,
    attempt: number,
  ): Promise<AttemptOutcome> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#o.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    const started = this.#o.clock();
    let response: RateLimitedResponse | null = null;
    let outcome = "aborted";
    this.stats.requests++;
    try {
      const res = await this.#o.fetch(`${this.#o.baseUrl}${call.path}`, {
        method: call.method,
        headers: call.method === "POST"
          ? { ...this.#o.headers, "Content-Type": "application/json" }
          : this.#o.headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
      });
      outcome = "network";
      const body = await res.text();
      response = res;
      outcome = String(res.status);
      return classifyResponse(res, body, {
        endpoint: at.endpoint,
        secret: this.#o.token,
        ...(call.notFoundAsNull ? { notFoundAsNull: true } : {}),
      });
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (timeout.signal.aborted) {
        outcome = "timeout";
        const detail = `no answer within ${this.#o.timeoutMs} ms`;
        return { kind: "retry", reason: "timeout", detail, facts: { cause: error } };
      }
      if (!_isConnectionError(error)) throw error;
      outcome = "network";
      const detail = this.#redact(error.message);
      return { kind: "retry", reason: "connection error", detail, facts: { cause: error } };
    } finally {
      clearTimeout(timer);
      permit.release(response);
      const byStatus = this.stats.byEndpoint[at.template] ??= {};
      byStatus[outcome] = (byStatus[outcome] ?? 0) + 1;
      this.#o.log.debug("{method} {path} {status} in {ms} ms (attempt {attempt})", {
        method: call.method,
        path: call.path,
        status: response?.status ?? "no response",
        ms: this.#o.clock() - started,
        attempt,
      });
    }
  }

  #redact(text: string): string {
    return redact(text, this.#o.token);
  }
}

/** A call's endpoint as errors name it: method and path without the query (`GET /me`). */
export function endpointOf(call: Pick<Call, "method" | "path">): string {
  return `${call.method} ${call.path.split("?")[0]}`;
}

/** Errors fetch and body reads raise when the connection fails (as opposed to our bugs). */
function _isConnectionError(error: unknown): error is Error {
  return error instanceof TypeError ||
    Object.values(Deno.errors).some((kind) => error instanceof kind);
}
