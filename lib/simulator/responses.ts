/** Response helpers: JSON bodies and Intercom's `error.list` error shape. */

/** An HTTP error the simulator answers with an `error.list` body. */
export class SimHttpError extends Error {
  override name = "SimHttpError";
  /** HTTP status to answer with. */
  readonly status: number;
  /** Intercom error code (`parameter_invalid`, `not_found`, ...). */
  readonly code: string;
  /** The offending request field, when there is one. */
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** A 400 `parameter_invalid` naming the field at fault. */
export function invalidParameter(message: string, field?: string): SimHttpError {
  return new SimHttpError(400, "parameter_invalid", message, field);
}

/** The `error.list` body for one error. */
export function errorListBody(
  code: string,
  message: string,
  options: { field?: string | undefined; requestId?: string } = {},
): Record<string, unknown> {
  const error: Record<string, string> = { code, message };
  if (options.field !== undefined) error.field = options.field;
  return {
    type: "error.list",
    request_id: options.requestId ?? crypto.randomUUID(),
    errors: [error],
  };
}

/** A JSON response with the given status and extra headers. */
export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const all = new Headers(headers);
  all.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: all });
}

/** A JSON `error.list` response. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  options: { field?: string | undefined; requestId?: string; headers?: HeadersInit } = {},
): Response {
  const { headers, ...rest } = options;
  return jsonResponse(status, errorListBody(code, message, rest), headers);
}
