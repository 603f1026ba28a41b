import assert from "node:assert/strict";
import { sparkline } from "../../lib/trends/sparkline.ts";

Deno.test("sparkline() scales between min and max; null is a gap; flat is low", () => {
  assert.equal(sparkline([0, 7, 14]), "▁▅█");
  assert.equal(sparkline([1, null, 1]), "▁ ▁");
  assert.equal(sparkline([null, null]), "  ");
  assert.equal(sparkline([]), "");
});
