/**
 * Intercom's search query language: validation (operators, value types, nesting and group
 * limits → 400) and evaluation, compiled once per request into a predicate.
 */
import { invalidParameter } from "./responses.ts";

/** How a field's values are typed and compared. */
export type FieldType = "date" | "int" | "string" | "id" | "ids" | "bool" | "any";

/** A searchable field: its type and how to read it from a record. */
export interface FieldSpec<T> {
  type: FieldType;
  get(record: T): unknown;
  /** Operators allowed on this field, when fewer than its type allows. Default: the type's. */
  operators?: readonly string[];
}

/** The searchable fields of one entity. */
export interface SearchSchema<T> {
  /** The spec of `field`, or undefined when it is not searchable. */
  resolve(field: string): FieldSpec<T> | undefined;
  /** Dates compare by calendar day (contacts) instead of to the second. */
  dayGranularDates: boolean;
}

/** Options of {@link compileQuery}. */
export interface CompileOptions {
  /** `>` and `<` on dates are strict; false makes them inclusive. Default true. */
  strictGreaterThan?: boolean;
  /** The calendar day of a time, for day-granular schemas. Default: the UTC day. */
  dayOf?: (seconds: number) => number;
}

/** A compiled query. */
export type Predicate<T> = (record: T) => boolean;

const MAX_DEPTH = 2;
const MAX_GROUP = 15;
const DAY = 86_400;

const OPERATORS_BY_TYPE: Record<FieldType, readonly string[]> = {
  date: ["=", "!=", "IN", "NIN", ">", "<", ">=", "<="],
  int: ["=", "!=", "IN", "NIN", ">", "<", ">=", "<="],
  string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
  id: ["=", "!=", "IN", "NIN"],
  ids: ["=", "!=", "IN", "NIN"],
  bool: ["=", "!="],
  any: ["=", "!=", "IN", "NIN", ">", "<", ">=", "<=", "~", "!~", "^", "$"],
};

/** Validates `query` against `schema` and compiles it; throws a 400 SimHttpError when invalid. */
export function compileQuery<T>(
  query: unknown,
  schema: SearchSchema<T>,
  options: CompileOptions = {},
): Predicate<T> {
  return compileNode(query, schema, {
    strict: options.strictGreaterThan ?? true,
    depth: 0,
    dayOf: options.dayOf ?? ((t) => Math.floor(t / DAY)),
  });
}

interface Context {
  strict: boolean;
  depth: number;
  dayOf: (seconds: number) => number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compileNode<T>(node: unknown, schema: SearchSchema<T>, ctx: Context): Predicate<T> {
  if (!isRecord(node)) throw invalidParameter("query must be an object", "query");
  if (node.operator === "AND" || node.operator === "OR") {
    if ("field" in node) throw invalidParameter("a compound filter takes no field", "query");
    return compileGroup(node.operator, node.value, schema, ctx);
  }
  if (typeof node.field !== "string") {
    throw invalidParameter(
      `query needs a field, or operator AND/OR with a list of filters (got operator ${
        JSON.stringify(node.operator)
      })`,
      "query",
    );
  }
  return compileFilter(node.field, node.operator, node.value, schema, ctx);
}

function compileGroup<T>(
  operator: "AND" | "OR",
  value: unknown,
  schema: SearchSchema<T>,
  ctx: Context,
): Predicate<T> {
  const depth = ctx.depth + 1;
  if (depth > MAX_DEPTH) {
    throw invalidParameter(`query nesting exceeds ${MAX_DEPTH} levels`, "query");
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidParameter(`${operator} needs a non-empty list of filters`, "query");
  }
  if (value.length > MAX_GROUP) {
    throw invalidParameter(
      `${operator} group has ${value.length} filters; at most ${MAX_GROUP} are allowed`,
      "query",
    );
  }
  const parts = value.map((child) => compileNode(child, schema, { ...ctx, depth }));
  return operator === "AND" ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
}

function compileFilter<T>(
  field: string,
  operator: unknown,
  value: unknown,
  schema: SearchSchema<T>,
  ctx: Context,
): Predicate<T> {
  const spec = schema.resolve(field);
  if (!spec) throw invalidParameter(`"${field}" is not a searchable field`, field);
  const allowed = spec.operators ?? OPERATORS_BY_TYPE[spec.type];
  if (typeof operator !== "string" || !allowed.includes(operator)) {
    throw invalidParameter(
      `operator ${JSON.stringify(operator)} is not supported for field "${field}"`,
      field,
    );
  }
  const list = operator === "IN" || operator === "NIN";
  if (list && !Array.isArray(value)) {
    throw invalidParameter(`${operator} on "${field}" needs a list value`, field);
  }
  const values = list ? (value as unknown[]) : [value];
  for (const v of values) checkValue(field, spec.type, operator, v);
  const dayOf = schema.dayGranularDates && spec.type === "date" ? ctx.dayOf : (t: number) => t;
  const test = scalarTest(operator, values, spec.type, { strict: ctx.strict, dayOf });
  if (spec.type === "ids") {
    const negative = operator === "!=" || operator === "NIN";
    const positive = negative
      ? scalarTest(operator === "!=" ? "=" : "IN", values, "id", ctx)
      : test;
    return (r) => {
      const got = spec.get(r) as readonly string[];
      const any = got.some((v) => positive(v));
      return negative ? !any : any;
    };
  }
  return (r) => test(spec.get(r));
}

function checkValue(field: string, type: FieldType, operator: string, value: unknown): void {
  const shown = JSON.stringify(value) ?? String(value);
  const fail = (expected: string) => {
    throw invalidParameter(
      `Invalid value ${shown} for field "${field}": expected ${expected}`,
      field,
    );
  };
  const nullable = value === null && (operator === "=" || operator === "!=");
  if (nullable && type !== "bool" && type !== "ids") return;
  switch (type) {
    case "date":
      // The description's own search example sends the timestamp as a string ("1306054154").
      if (!Number.isInteger(value) && !isDigits(value)) {
        fail("a Unix timestamp (an integer, or its digits as a string)");
      }
      return;
    case "int":
      if (!Number.isInteger(value)) fail("an integer");
      return;
    case "string":
      if (typeof value !== "string") fail("a string");
      return;
    case "id":
    case "ids":
      if (typeof value !== "string" && !Number.isInteger(value)) fail("an id (string or integer)");
      return;
    case "bool":
      if (typeof value !== "boolean") fail("true or false");
      return;
    case "any": {
      const ordered = operator === ">" || operator === "<" || operator === ">=" ||
        operator === "<=";
      const textual = operator === "~" || operator === "!~" || operator === "^" || operator === "$";
      if (ordered && typeof value !== "number") fail("a number");
      if (textual && typeof value !== "string") fail("a string");
      if (!["string", "number", "boolean"].includes(typeof value)) {
        fail("a string, number or boolean");
      }
    }
  }
}

function isDigits(value: unknown): value is string {
  return typeof value === "string" && /^\d{1,12}$/.test(value);
}

interface TestOptions {
  strict: boolean;
  dayOf?: (t: number) => number;
}

/** A test of one stored value against the filter's value(s). */
function scalarTest(
  operator: string,
  values: unknown[],
  type: FieldType,
  options: TestOptions,
): (got: unknown) => boolean {
  const norm = (v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (type === "id" || type === "ids") return String(v);
    if (type === "date" && (typeof v === "number" || isDigits(v))) {
      return (options.dayOf ?? ((t) => t))(Number(v));
    }
    return v;
  };
  const wanted = values.map(norm);
  const first = wanted[0];
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : null);
  const needle = lower(first) ?? "";
  const inclusive = !options.strict && type === "date";
  switch (operator) {
    case "=":
      return (got) => norm(got) === first;
    case "!=":
      return (got) => norm(got) !== first;
    case "IN":
      return (got) => wanted.includes(norm(got));
    case "NIN":
      return (got) => !wanted.includes(norm(got));
    case ">":
      return (got) => compare(norm(got), first, (a, b) => (inclusive ? a >= b : a > b));
    case "<":
      return (got) => compare(norm(got), first, (a, b) => (inclusive ? a <= b : a < b));
    case ">=":
      return (got) => compare(norm(got), first, (a, b) => a >= b);
    case "<=":
      return (got) => compare(norm(got), first, (a, b) => a <= b);
    case "~":
      return (got) => lower(got)?.includes(needle) ?? false;
    case "!~":
      return (got) => !(lower(got)?.includes(needle) ?? false);
    case "^":
      return (got) => lower(got)?.startsWith(needle) ?? false;
    case "$":
      return (got) => lower(got)?.endsWith(needle) ?? false;
    default:
      throw invalidParameter(`operator "${operator}" is not supported`);
  }
}

function compare(got: unknown, want: unknown, op: (a: number, b: number) => boolean): boolean {
  return typeof got === "number" && typeof want === "number" && op(got, want);
}
