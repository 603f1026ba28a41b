import assert from "node:assert/strict";
import { mad, median, robustZ } from "../../lib/trends/robust.ts";

Deno.test("median() and mad() of odd, even and empty lists", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(mad([1, 1, 2, 2, 4, 6, 9]), 1);
});

Deno.test("robustZ() ignores the outlier it measures and floors a zero spread", () => {
  const baseline = [10, 11, 9, 10, 12, 10, 1000];
  assert.ok(Math.abs(robustZ(10, baseline)) < 1);
  assert.ok(robustZ(40, baseline) > 3.5);
  // identical history: the floor (5 % of the median) keeps small changes finite
  assert.equal(robustZ(10.5, [10, 10, 10, 10, 10]), (0.6745 * 0.5) / 0.5);
});
