import assert from "node:assert/strict";
import { percentile } from "../../../scripts/integration/percentile.ts";

Deno.test("percentile() uses the nearest rank", () => {
  const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 95), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile(values, 100), 10);
  assert.equal(percentile([42], 95), 42);
  assert.equal(percentile([], 50), null);
});
