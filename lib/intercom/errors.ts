/**
 * Errors the Intercom client throws. Each message says what failed (endpoint, status,
 * Intercom's request_id) and what to check; none ever contains the access token.
 */
import { AppError } from "../errors.ts";
import { ErrorListSchema } from "./types.ts";

/** Extra facts an {@link IntercomError} carries besides its message. */
export interface IntercomErrorOptions extends ErrorOptions {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Intercom's `request_id` of the last response, when it sent one. */
  requestId?: string | null;
  /** Intercom's first error code (`not_found`, `parameter_invalid`, …), when it sent one. */
  code?: string;
}

/** Base of every error raised while talking to the Intercom API. Exit code 1. */
export class IntercomError extends AppError {
  override name = "IntercomError";
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** Intercom's `request_id`, to quote when contacting Intercom support. */
  readonly requestId: string | null;
  /** Intercom's first error code, when it sent one. */
  readonly code?: string;

  constructor(message: string, options: IntercomErrorOptions = {}) {
    super(message, options);
    if (options.status !== undefined) this.status = options.status;
    this.requestId = options.requestId ?? null;
    if (options.code !== undefined) this.code = options.code;
  }
}

/** The message of a rejected token; `detail` is Intercom's own words for it. */
export function tokenRejectedMessage(detail = "Access Token Invalid"): string {
  return `token rejected by Intercom (401): ${detail} — check the token, or run ` +
    "`fast-intercom-mcp init` with a valid one";
}

/** Intercom rejected the access token (HTTP 401). Never retried. */
export class AuthError extends IntercomError {
  override name = "AuthError";

  /** Defaults: the {@link tokenRejectedMessage} for "Access Token Invalid", status 401. */
  constructor(message = tokenRejectedMessage(), options: IntercomErrorOptions = {}) {
    super(message, { status: 401, code: "unauthorized", ...options });
  }
}

/** Intercom kept answering 429 after the allowed number of waits. */
export class RateLimitError extends IntercomError {
  override name = "RateLimitError";
}

/** Any other HTTP failure, or a 2xx body that does not match the API contract. */
export class ApiError extends IntercomError {
  override name = "ApiError";
}

/** What kind of record a {@link MalformedRecordError} is about. */
export type RecordKind =
  | "conversation"
  | "contact"
  | "admin"
  | "team"
  | "tag"
  | "ticket"
  | "ticket_type"
  | "company"
  | "data_attribute";

/**
 * One record in a 2xx body that cannot be read even though everything Intercom's description
 * allows is accepted (e.g. a conversation without `created_at`). Not retried: the same body
 * comes back. A sync sets the record aside (quarantine) and goes on with the rest.
 */
export class MalformedRecordError extends ApiError {
  override name = "MalformedRecordError";
  /** The kind of record. */
  readonly recordKind: RecordKind;
  /** Its id (from the request path or the body); null when the body has none. */
  readonly recordId: string | null;
  /** What is wrong, e.g. `field "created_at": Expected number, received string`. */
  readonly reason: string;
  /** The endpoint that answered it, e.g. "GET /conversations/{id}". */
  readonly endpoint: string;

  constructor(
    message: string,
    record: { kind: RecordKind; id: string | null; reason: string; endpoint: string },
    options: IntercomErrorOptions = {},
  ) {
    super(message, { status: 200, ...options });
    this.recordKind = record.kind;
    this.recordId = record.id;
    this.reason = record.reason;
    this.endpoint = record.endpoint;
  }
}

/** The API could not be reached: connection reset, DNS failure, timeout, after retries. */
export class NetworkError extends IntercomError {
  override name = "NetworkError";
}

/** What an error response says, in a form fit for a message. */
export interface HttpFailure {
  /** `code: message` pairs from Intercom's `error.list`, or a short description of the body. */
  detail: string;
  /** Intercom's `request_id` when the body carried one. */
  requestId: string | null;
  /** The first error code in the body, when it had one. */
  code?: string;
}

/** Reads an error response body (JSON `error.list`, HTML from a gateway, or nothing). */
export function describeHttpFailure(status: number, body: string): HttpFailure {
  const parsed = ErrorListSchema.safeParse(_parseJson(body));
  if (parsed.success && parsed.data.errors.length > 0) {
    const detail = parsed.data.errors
      .map((e) => [e.code, e.message, e.field === null ? null : `field "${e.field}"`])
      .map((parts) => parts.filter((p) => p !== null).join(": "))
      .join("; ");
    const first = parsed.data.errors[0];
    return {
      detail,
      requestId: parsed.data.request_id ?? null,
      ...(first === undefined ? {} : { code: first.code }),
    };
  }
  return { detail: describeBody(body, `HTTP ${status}`), requestId: null };
}

/** A one-phrase description of a body that is not the JSON we expected. */
export function describeBody(body: string, fallback = "unexpected body"): string {
  const trimmed = body.trim();
  if (trimmed === "") return "empty body";
  if (trimmed.startsWith("<")) return "HTML body (probably from a gateway or proxy)";
  const snippet = trimmed.replace(/\s+/g, " ").slice(0, 80);
  return `${fallback}: "${snippet}${trimmed.length > 80 ? "…" : ""}"`;
}

/** Replaces every occurrence of `secret` in `text` with `[redacted]` (no-op for short secrets). */
export function redact(text: string, secret: string): string {
  return secret.length < 4 ? text : text.replaceAll(secret, "[redacted]");
}

function _parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
