import assert from "node:assert/strict";
import { compileQuery, type SearchSchema } from "../../lib/simulator/query_dsl.ts";
import { SimHttpError } from "../../lib/simulator/responses.ts";

interface Rec {
  id: string;
  at: number | null;
  n: number;
  name: string | null;
  flag: boolean;
  tags: string[];
  extra: Record<string, unknown>;
}

const FIELDS: Record<
  string,
  { type: "date" | "int" | "string" | "id" | "ids" | "bool"; get: (r: Rec) => unknown }
> = {
  id: { type: "id", get: (r) => r.id },
  at: { type: "date", get: (r) => r.at },
  n: { type: "int", get: (r) => r.n },
  name: { type: "string", get: (r) => r.name },
  flag: { type: "bool", get: (r) => r.flag },
  tags: { type: "ids", get: (r) => r.tags },
};
const schema: SearchSchema<Rec> = { resolve: (f) => FIELDS[f], dayGranularDates: false };
const daySchema: SearchSchema<Rec> = { ...schema, dayGranularDates: true };

const RECORDS: Rec[] = [
  { id: "1", at: 1000, n: 5, name: "Alice Anderson", flag: true, tags: ["a", "b"], extra: {} },
  { id: "2", at: 2000, n: 10, name: "Bob Bianchi", flag: false, tags: [], extra: {} },
  { id: "3", at: 3000, n: 15, name: "田中 太郎", flag: true, tags: ["b"], extra: {} },
  { id: "4", at: null, n: 20, name: null, flag: false, tags: ["c"], extra: {} },
];

function ids(query: unknown, options: { strictGreaterThan?: boolean; s?: SearchSchema<Rec> } = {}) {
  const predicate = compileQuery(query, options.s ?? schema, options);
  return RECORDS.filter(predicate).map((r) => r.id);
}

function assertBadQuery(query: unknown, pattern: RegExp, field?: string) {
  assert.throws(() => compileQuery(query, schema), (e: unknown) => {
    assert.ok(e instanceof SimHttpError);
    assert.equal(e.status, 400);
    assert.equal(e.code, "parameter_invalid");
    assert.match(e.message, pattern);
    if (field) assert.equal(e.field, field);
    return true;
  });
}

Deno.test("compileQuery() evaluates = and != on every field type", () => {
  assert.deepEqual(ids({ field: "id", operator: "=", value: 2 }), ["2"]);
  assert.deepEqual(ids({ field: "id", operator: "!=", value: "2" }), ["1", "3", "4"]);
  assert.deepEqual(ids({ field: "at", operator: "=", value: 3000 }), ["3"]);
  assert.deepEqual(ids({ field: "name", operator: "=", value: "Bob Bianchi" }), ["2"]);
  assert.deepEqual(ids({ field: "flag", operator: "=", value: true }), ["1", "3"]);
  assert.deepEqual(ids({ field: "name", operator: "=", value: null }), ["4"]);
});

Deno.test("compileQuery() evaluates IN and NIN", () => {
  assert.deepEqual(ids({ field: "n", operator: "IN", value: [5, 20] }), ["1", "4"]);
  assert.deepEqual(ids({ field: "n", operator: "NIN", value: [5, 20] }), ["2", "3"]);
});

Deno.test("compileQuery() treats > and < on dates as strict by default and inclusive on request", () => {
  assert.deepEqual(ids({ field: "at", operator: ">", value: 2000 }), ["3"]);
  assert.deepEqual(ids({ field: "at", operator: "<", value: 2000 }), ["1"]);
  assert.deepEqual(ids({ field: "at", operator: ">", value: 2000 }, { strictGreaterThan: false }), [
    "2",
    "3",
  ]);
  assert.deepEqual(ids({ field: "at", operator: "<", value: 2000 }, { strictGreaterThan: false }), [
    "1",
    "2",
  ]);
  assert.deepEqual(ids({ field: "at", operator: ">=", value: 2000 }), ["2", "3"]);
  assert.deepEqual(ids({ field: "at", operator: "<=", value: 2000 }), ["1", "2"]);
  assert.deepEqual(ids({ field: "n", operator: ">", value: 10 }), ["3", "4"]);
});

Deno.test("compileQuery() evaluates ~ !~ ^ $ case-insensitively, null never matching", () => {
  assert.deepEqual(ids({ field: "name", operator: "~", value: "AN" }), ["1", "2"]);
  assert.deepEqual(ids({ field: "name", operator: "!~", value: "an" }), ["3", "4"]);
  assert.deepEqual(ids({ field: "name", operator: "^", value: "bob" }), ["2"]);
  assert.deepEqual(ids({ field: "name", operator: "$", value: "太郎" }), ["3"]);
});

Deno.test("compileQuery() matches multi-valued fields when any value matches", () => {
  assert.deepEqual(ids({ field: "tags", operator: "=", value: "b" }), ["1", "3"]);
  assert.deepEqual(ids({ field: "tags", operator: "IN", value: ["a", "c"] }), ["1", "4"]);
  assert.deepEqual(ids({ field: "tags", operator: "!=", value: "b" }), ["2", "4"]);
  assert.deepEqual(ids({ field: "tags", operator: "NIN", value: ["a", "c"] }), ["2", "3"]);
});

Deno.test("compileQuery() combines AND and OR two levels deep", () => {
  const query = {
    operator: "OR",
    value: [
      {
        operator: "AND",
        value: [{ field: "flag", operator: "=", value: true }, {
          field: "n",
          operator: ">",
          value: 5,
        }],
      },
      { field: "id", operator: "=", value: "4" },
    ],
  };
  assert.deepEqual(ids(query), ["3", "4"]);
});

Deno.test("compileQuery() matches dates by UTC day when the schema is day-granular", () => {
  const day = 86_400;
  const dayRecords: Rec[] = [
    { ...RECORDS[0]!, id: "a", at: 10 * day + 5 },
    { ...RECORDS[0]!, id: "b", at: 10 * day + day - 1 },
    { ...RECORDS[0]!, id: "c", at: 11 * day },
  ];
  const run = (operator: string, value: number) =>
    dayRecords.filter(compileQuery({ field: "at", operator, value }, daySchema)).map((r) => r.id);
  assert.deepEqual(run("=", 10 * day + 3600), ["a", "b"]);
  assert.deepEqual(run(">", 10 * day), ["c"]);
  assert.deepEqual(run("<", 11 * day + 99), ["a", "b"]);
  assert.deepEqual(run("!=", 11 * day), ["a", "b"]);
});

Deno.test("compileQuery() rejects more than 2 levels of nesting", () => {
  const leaf = { field: "n", operator: "=", value: 1 };
  const level3 = {
    operator: "AND",
    value: [{ operator: "OR", value: [{ operator: "AND", value: [leaf] }] }],
  };
  assertBadQuery(level3, /nesting exceeds 2 levels/, "query");
});

Deno.test("compileQuery() rejects more than 15 filters in a group and empty groups", () => {
  const leaf = { field: "n", operator: "=", value: 1 };
  assert.doesNotThrow(() => compileQuery({ operator: "OR", value: Array(15).fill(leaf) }, schema));
  assertBadQuery({ operator: "OR", value: Array(16).fill(leaf) }, /16 filters; at most 15/);
  assertBadQuery({ operator: "AND", value: [] }, /non-empty list/);
});

Deno.test("compileQuery() rejects values of the wrong type, naming the field", () => {
  assertBadQuery(
    { field: "at", operator: ">", value: "2024-01-01" },
    /"2024-01-01" for field "at".*a Unix timestamp \(an integer, or its digits as a string\)/,
    "at",
  );
  assertBadQuery({ field: "n", operator: "=", value: 1.5 }, /expected an integer/, "n");
  assertBadQuery({ field: "name", operator: "~", value: 3 }, /expected a string/, "name");
  assertBadQuery({ field: "flag", operator: "=", value: "true" }, /expected true or false/, "flag");
  assertBadQuery({ field: "id", operator: "IN", value: "1" }, /IN on "id" needs a list/, "id");
  assertBadQuery({ field: "id", operator: "IN", value: [1, {}] }, /expected an id/, "id");
});

Deno.test("compileQuery() rejects unknown fields, unsupported operators and malformed nodes", () => {
  assertBadQuery(
    { field: "nope", operator: "=", value: 1 },
    /"nope" is not a searchable field/,
    "nope",
  );
  assertBadQuery(
    { field: "flag", operator: ">", value: true },
    /operator ">" is not supported for field "flag"/,
  );
  assertBadQuery({ field: "name", operator: "LIKE", value: "x" }, /operator "LIKE"/);
  assertBadQuery({ operator: "XOR", value: [] }, /needs a field, or operator AND\/OR/);
  assertBadQuery("updated_at > 1", /query must be an object/);
});
