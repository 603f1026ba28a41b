import assert from "node:assert/strict";
import { nestingDepth, q, updatedBetween } from "../../lib/intercom/query.ts";

Deno.test("q builds each operator as Intercom spells it", () => {
  assert.deepEqual(q.eq("state", "open"), { field: "state", operator: "=", value: "open" });
  assert.deepEqual(q.ne("open", true), { field: "open", operator: "!=", value: true });
  assert.deepEqual(q.gt("created_at", 5), { field: "created_at", operator: ">", value: 5 });
  assert.deepEqual(q.gte("created_at", 5), { field: "created_at", operator: ">=", value: 5 });
  assert.deepEqual(q.lt("created_at", 5), { field: "created_at", operator: "<", value: 5 });
  assert.deepEqual(q.lte("created_at", 5), { field: "created_at", operator: "<=", value: 5 });
  assert.deepEqual(q.in_("tag_ids", ["1", "2"]), {
    field: "tag_ids",
    operator: "IN",
    value: ["1", "2"],
  });
  assert.deepEqual(q.nin("state", ["closed"]), {
    field: "state",
    operator: "NIN",
    value: ["closed"],
  });
  assert.deepEqual(q.contains("source.body", "refund").operator, "~");
  assert.deepEqual(q.notContains("source.body", "refund").operator, "!~");
  assert.deepEqual(q.startsWith("source.subject", "Re:").operator, "^");
  assert.deepEqual(q.endsWith("source.author.email", "@x.com").operator, "$");
});

Deno.test("q.and() and q.or() nest up to two levels", () => {
  const query = q.and(q.eq("open", true), q.or(q.eq("state", "open"), q.eq("state", "snoozed")));
  assert.deepEqual(query, {
    operator: "AND",
    value: [
      { field: "open", operator: "=", value: true },
      {
        operator: "OR",
        value: [
          { field: "state", operator: "=", value: "open" },
          { field: "state", operator: "=", value: "snoozed" },
        ],
      },
    ],
  });
  assert.equal(nestingDepth(query), 2);
  assert.equal(nestingDepth(q.eq("a", 1)), 0);
});

Deno.test("q.and() rejects a third level, empty groups and more than 15 filters", () => {
  const two = q.and(q.eq("a", 1), q.or(q.eq("b", 1), q.eq("c", 1)));
  assert.throws(() => q.or(two, q.eq("d", 1)), /nests AND\/OR groups 3 levels deep/);
  assert.throws(() => q.and(), /needs at least one filter/);
  const sixteen = Array.from({ length: 16 }, (_, i) => q.eq("id", String(i)));
  assert.throws(() => q.or(...sixteen), /has 16 filters; Intercom accepts at most 15/);
  assert.deepEqual(q.or(...sixteen.slice(1)), { operator: "OR", value: sixteen.slice(1) });
});

Deno.test("q rejects an empty field name", () => {
  assert.throws(() => q.eq(" ", 1), RangeError);
});

Deno.test("updatedBetween() is inclusive at both ends using strict operators", () => {
  assert.deepEqual(updatedBetween(1_700_000_000, 1_700_000_600), {
    operator: "AND",
    value: [
      { field: "updated_at", operator: ">", value: 1_699_999_999 },
      { field: "updated_at", operator: "<", value: 1_700_000_601 },
    ],
  });
  assert.deepEqual(updatedBetween(100), { field: "updated_at", operator: ">", value: 99 });
  assert.deepEqual(updatedBetween(0, 0).value, [
    { field: "updated_at", operator: ">", value: -1 },
    { field: "updated_at", operator: "<", value: 1 },
  ]);
});

Deno.test("updatedBetween() rejects milliseconds, fractions and reversed ranges", () => {
  assert.throws(() => updatedBetween(1_700_000_000_000), /milliseconds\? divide by 1000/);
  assert.throws(() => updatedBetween(1.5), /whole Unix seconds/);
  assert.throws(() => updatedBetween(-1), /whole Unix seconds/);
  assert.throws(() => updatedBetween(10, 9), /end 9 is before start 10/);
});
