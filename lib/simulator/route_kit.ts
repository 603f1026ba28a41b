/**
 * What the simulator's route modules share: the route table entry, JSON bodies, `per_page`
 * and the search request (query, pagination, sort) over any kind of record.
 */
import { paginate, type SortOrder } from "./paging.ts";
import { compileQuery, type SearchSchema } from "./query_dsl.ts";
import { invalidParameter, SimHttpError } from "./responses.ts";
import type { RouteContext } from "./routes.ts";
import { workspaceDay } from "./search_fields.ts";

/** Answers one request. */
export type Handler = (
  ctx: RouteContext,
  req: Request,
  params: string[],
) => Response | Promise<Response>;

export interface Route {
  method: string;
  /** Stable name for stats and logs, e.g. "GET /conversations/{id}". */
  name: string;
  pattern: RegExp;
  handle: Handler;
}

/** The largest page any list or search answers. */
export const MAX_PER_PAGE = 150;

/** A route for `METHOD /path/{id}`. */
export function route(method: string, path: string, handle: Handler): Route {
  const source = path.replace(/\{id\}/g, "([^/]+)");
  return { method, name: `${method} ${path}`, pattern: new RegExp(`^${source}/?$`), handle };
}

/** The request's JSON object body ({} when empty); 400 when it is not one. */
export async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SimHttpError(400, "bad_request", "Request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new SimHttpError(400, "bad_request", "Request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** A valid `per_page` (1…150), `fallback` when absent; 400 otherwise. */
export function perPageOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_PER_PAGE) {
    throw invalidParameter(
      `per_page must be an integer from 1 to ${MAX_PER_PAGE}, got ${JSON.stringify(value)}`,
      "per_page",
    );
  }
  return n as number;
}

/** What a search runs over. */
export interface SearchSpec<T> {
  records: readonly T[];
  schema: SearchSchema<T>;
  sortFields: Record<string, (r: T) => number | null>;
  id: (r: T) => string;
  defaultPerPage: number;
  /** Records the search leaves out whatever the query (merged, not yet indexed). */
  hidden?: (r: T) => boolean;
  /** Answer in the default order whatever `sort` asks. Default false. */
  ignoreSort?: boolean;
}

/** Runs a search body (query, pagination, sort) against `spec`. */
export function runSearch<T>(
  ctx: RouteContext,
  body: Record<string, unknown>,
  spec: SearchSpec<T>,
) {
  if (!("query" in body)) {
    throw new SimHttpError(400, "parameter_not_found", "query is required", "query");
  }
  const matches = compileQuery(body.query, spec.schema, {
    strictGreaterThan: ctx.strictGreaterThan,
    dayOf: workspaceDay(ctx.ws.app.timezone),
  });
  const hidden = spec.hidden;
  const predicate = hidden ? (r: T) => !hidden(r) && matches(r) : matches;
  const pagination = (body.pagination ?? {}) as Record<string, unknown>;
  const sort = (spec.ignoreSort ? {} : body.sort ?? {}) as Record<string, unknown>;
  const field = sort.field ?? "updated_at";
  const order = sort.order ?? "descending";
  const sortValue = typeof field === "string" && Object.hasOwn(spec.sortFields, field)
    ? spec.sortFields[field]
    : undefined;
  if (!sortValue) throw invalidParameter(`cannot sort by ${JSON.stringify(field)}`, "sort.field");
  if (order !== "ascending" && order !== "descending") {
    throw invalidParameter(
      `sort order must be ascending or descending, got ${JSON.stringify(order)}`,
      "sort.order",
    );
  }
  const startingAfter = pagination.starting_after;
  if (startingAfter !== undefined && startingAfter !== null && typeof startingAfter !== "string") {
    throw invalidParameter("starting_after must be a string", "starting_after");
  }
  return paginate({
    records: spec.records,
    predicate,
    sortValue,
    id: spec.id,
    order: order as SortOrder,
    perPage: perPageOf(pagination.per_page, spec.defaultPerPage),
    startingAfter,
  });
}
