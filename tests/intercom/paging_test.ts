import assert from "node:assert/strict";
import { searchBody, toPage } from "../../lib/intercom/paging.ts";

Deno.test("searchBody() sends the query, page size, cursor and ascending updated_at sort", () => {
  const query = { field: "updated_at", operator: ">", value: 1 };
  assert.deepEqual(searchBody(query, {}), {
    query,
    pagination: { per_page: 150 },
    sort: { field: "updated_at", order: "ascending" },
  });
  assert.deepEqual(searchBody(query, { perPage: 20, startingAfter: "abc" }).pagination, {
    per_page: 20,
    starting_after: "abc",
  });
  assert.throws(() => searchBody(query, { perPage: 151 }), RangeError);
  assert.throws(() => searchBody(query, { perPage: 0 }), RangeError);
});

Deno.test("toPage() reads the next cursor and treats a missing next as the last page", () => {
  const more = toPage([1, 2], 10, {
    page: 1,
    per_page: 2,
    total_pages: 5,
    next: { page: 2, starting_after: "c2" },
  });
  assert.deepEqual(more, {
    items: [1, 2],
    unreadable: [],
    totalCount: 10,
    nextCursor: "c2",
    page: 1,
    totalPages: 5,
  });
  const last = toPage([], 0, { page: 1, per_page: 2, total_pages: 0 });
  assert.equal(last.nextCursor, null);
  assert.equal(toPage([], 0, null).totalPages, null);
});
