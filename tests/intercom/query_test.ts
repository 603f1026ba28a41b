import assert from "node:assert/strict";
import { q, updatedBetween } from "../../lib/intercom/query.ts";

Deno.test("q builds each operator as Intercom spells it", () => {
  assert.deepEqual(q.gt("created_at", 5), { field: "created_at", operator: ">", value: 5 });
  assert.deepEqual(q.lt("created_at", 5), { field: "created_at", operator: "<", value: 5 });
});

Deno.test("q.and() nests up to two levels", () => {
  const query = q.and(q.gt("a", 1), q.and(q.gt("b", 1), q.lt("b", 9)));
  assert.deepEqual(query, {
    operator: "AND",
    value: [
      { field: "a", operator: ">", value: 1 },
      {
        operator: "AND",
        value: [
          { field: "b", operator: ">", value: 1 },
          { field: "b", operator: "<", value: 9 },
        ],
      },
    ],
  });
});

Deno.test("q.and() rejects a third level, empty groups and more than 15 filters", () => {
  const two = q.and(q.gt("a", 1), q.and(q.gt("b", 1), q.lt("c", 1)));
  assert.throws(() => q.and(two, q.gt("d", 1)), /nests AND\/OR groups 3 levels deep/);
  assert.throws(() => q.and(), /needs at least one filter/);
  const sixteen = Array.from({ length: 16 }, (_, i) => q.gt("id", i));
  assert.throws(() => q.and(...sixteen), /has 16 filters; Intercom accepts at most 15/);
  assert.deepEqual(q.and(...sixteen.slice(1)), { operator: "AND", value: sixteen.slice(1) });
});

Deno.test("q rejects an empty field name", () => {
  assert.throws(() => q.gt(" ", 1), RangeError);
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
