/**
 * The retry policy for Intercom calls: how one attempt's result is classified (done, wait for
 * the rate limit, retry, or fail at once), how long to back off before a retry (exponential
 * backoff with full jitter), and the error thrown when the attempts run out. Waiting for the
 * rate-limit window after a 429 is the limiter's job, see `rate_limiter.ts`.
 */
import {
  ApiError,
  AuthError,
  describeBody,
  describeHttpFailure,
  type IntercomError,
  type IntercomErrorOptions,
  NetworkError,
  redact,
  tokenRejectedMessage,
} from "./errors.ts";

/** Why an attempt is retried; used in log lines and in the final error message. */
export type RetryReason =
  | "server error"
  | "empty body"
  | "invalid JSON"
  | "HTML body"
  | "connection error"
  | "timeout";

/** What one HTTP attempt came to. */
export type AttemptOutcome =
  | { kind: "ok"; json: unknown }
  | { kind: "not_found" }
  | { kind: "rate_limited" }
  | { kind: "retry"; reason: RetryReason; detail: string; facts: IntercomErrorOptions }
  | { kind: "fatal"; error: IntercomError };

/** Tuning of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. Default 250. */
  baseMs?: number;
  /** Growth of the ceiling per retry. Default 2. */
  factor?: number;
  /** Largest ceiling, in ms. Default 30_000. */
  capMs?: number;
  /** Uniform random source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry): uniform in
 * [0, min(capMs, baseMs · factor^(retry−1))], rounded to whole ms.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const { baseMs = 250, factor = 2, capMs = 30_000, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * factor ** Math.max(0, retry - 1));
  return Math.round(random() * ceiling);
}

/** Whether an HTTP status is a transient failure worth retrying (5xx, and 408 request timeout). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408;
}

/** Context of {@link classifyResponse}. */
export interface ClassifyOptions {
  /** "METHOD /path", for messages. */
  endpoint: string;
  /** Whether a 404 is an answer (`not_found`) rather than an error. Default false. */
  notFoundAsNull?: boolean;
  /** Removed from every message built here (the access token). Default none. */
  secret?: string;
}

/** Classifies a response whose body has been read in full. */
export function classifyResponse(
  response: { status: number; headers: Headers },
  body: string,
  options: ClassifyOptions,
): AttemptOutcome {
  const { status } = response;
  const clean = (text: string) => redact(text, options.secret ?? "");
  if (status >= 200 && status < 300) return _classifyBody(response, body, clean);
  if (status === 429) return { kind: "rate_limited" };
  if (status === 404 && options.notFoundAsNull) return { kind: "not_found" };
  const failure = describeHttpFailure(status, body);
  const facts = {
    status,
    requestId: failure.requestId,
    ...(failure.code === undefined ? {} : { code: failure.code }),
  };
  if (status === 401) {
    const message = tokenRejectedMessage(clean(_authDetail(body)));
    return { kind: "fatal", error: new AuthError(message, facts) };
  }
  const rid = failure.requestId ? ` (request_id "${failure.requestId}")` : "";
  const detail = clean(`HTTP ${status}${rid}: ${failure.detail}`);
  if (isRetryableStatus(status)) return { kind: "retry", reason: "server error", detail, facts };
  const message = `Intercom API ${options.endpoint} failed: ${detail} — ${_hint(status)}`;
  return { kind: "fatal", error: new ApiError(message, facts) };
}

/** The error thrown once `attempts` tries all ended in retryable failures, the last `outcome`. */
export function giveUpError(
  outcome: Extract<AttemptOutcome, { kind: "retry" }>,
  options: { endpoint: string; host: string; attempts: number },
): IntercomError {
  const { endpoint, host, attempts } = options;
  const what = `${outcome.reason}: ${outcome.detail}`;
  if (outcome.reason === "connection error" || outcome.reason === "timeout") {
    const advice = outcome.reason === "timeout"
      ? "check the network connection; Intercom may be slow right now, retry later"
      : "check the network connection, any proxy or firewall, and that the host resolves";
    return new NetworkError(
      `Could not reach Intercom at ${host} for ${endpoint} after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      } ` +
        `(${what}) — ${advice}`,
      outcome.facts,
    );
  }
  return new ApiError(
    `Intercom API ${endpoint} failed after ${attempts} attempt${
      attempts === 1 ? "" : "s"
    } (${what}) — Intercom may be ` +
      "having trouble (see https://www.intercomstatus.com); retry later",
    outcome.facts,
  );
}

/** A 2xx body: JSON, or a retryable failure when it is empty, HTML or cut short. */
function _classifyBody(
  response: { status: number; headers: Headers },
  body: string,
  clean: (text: string) => string,
): AttemptOutcome {
  const facts = { status: response.status, requestId: response.headers.get("x-request-id") };
  const detail = clean(`HTTP ${response.status} with ${describeBody(body)}`);
  if (body.trim() === "") return { kind: "retry", reason: "empty body", detail, facts };
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.includes("text/html") || body.trimStart().startsWith("<")) {
    return { kind: "retry", reason: "HTML body", detail, facts };
  }
  try {
    return { kind: "ok", json: JSON.parse(body) };
  } catch (error) {
    return {
      kind: "retry",
      reason: "invalid JSON",
      detail: `HTTP ${response.status} with a body that is not valid JSON (${body.length} ` +
        "characters, probably cut short)",
      facts: { ...facts, cause: error },
    };
  }
}

function _authDetail(body: string): string {
  const failure = describeHttpFailure(401, body);
  return failure.code === undefined
    ? "Access Token Invalid"
    : failure.detail.replace(/^unauthorized: /, "");
}

function _hint(status: number): string {
  switch (status) {
    case 400:
      return "Intercom rejected the request as invalid; this is probably a fast-intercom-mcp bug " +
        "or an unsupported Intercom-Version — please report it with the request_id";
    case 403:
      return "the token lacks a permission or the workspace's plan restricts this API; check " +
        "the app's scopes in Intercom's Developer Hub";
    case 404:
      return "it does not exist, or the token cannot see it";
    default:
      return "check the request and Intercom's status page (https://www.intercomstatus.com)";
  }
}
