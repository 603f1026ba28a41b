import assert from "node:assert/strict";
import { SearchOrder } from "../../lib/sync/search_order.ts";

Deno.test("SearchOrder gives a resume point only while the search has shown itself ascending", () => {
  const cases: [string, number[][], boolean, number | null][] = [
    ["nothing seen", [], false, null],
    ["one item", [[5]], false, null],
    ["equal values prove nothing", [[5, 5, 5], [5]], false, null],
    ["ascending within a page", [[5, 5, 7]], false, 7],
    ["ascending across pages", [[5, 6], [6, 9]], false, 9],
    ["a step down inside a page", [[5, 7, 6]], true, null],
    ["a step down across pages", [[5, 7], [6, 8]], true, null],
    ["newest first (sort ignored)", [[9, 8, 8], [7]], true, null],
  ];
  for (const [name, pages, unsorted, resume] of cases) {
    const order = new SearchOrder();
    for (const page of pages) order.observe(page);
    assert.equal(order.unsorted, unsorted, name);
    assert.equal(order.resumePoint(), resume, name);
  }
});
