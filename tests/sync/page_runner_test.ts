import assert from "node:assert/strict";
import { windowQuery } from "../../lib/sync/page_runner.ts";

Deno.test("windowQuery() bounds updated_at inclusively on both ends", () => {
  assert.deepEqual(windowQuery(100, 200), {
    operator: "AND",
    value: [
      { field: "updated_at", operator: ">", value: 99 },
      { field: "updated_at", operator: "<", value: 201 },
    ],
  });
});
