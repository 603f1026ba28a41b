import assert from "node:assert/strict";
import { decodeCursor } from "../../lib/simulator/cursor.ts";
import { compareIds, type PageRequest, paginate } from "../../lib/simulator/paging.ts";
import { SimHttpError } from "../../lib/simulator/responses.ts";

interface Row {
  id: string;
  t: number;
}

// Many equal sort values so the id tie-break is exercised.
const ROWS: Row[] = Array.from(
  { length: 100 },
  (_, i) => ({ id: String(1000 + i * 7), t: 500 + (i % 13) }),
);

function request(overrides: Partial<PageRequest<Row>> = {}): PageRequest<Row> {
  return {
    records: ROWS,
    predicate: () => true,
    sortValue: (r) => r.t,
    id: (r) => r.id,
    order: "ascending",
    perPage: 7,
    ...overrides,
  };
}

function walk(overrides: Partial<PageRequest<Row>>) {
  const seen: string[] = [];
  const pages = [];
  let startingAfter: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = paginate(request({ ...overrides, startingAfter }));
    pages.push(page.pages);
    seen.push(...page.items.map((r) => r.id));
    if (!page.pages.next) break;
    startingAfter = page.pages.next.starting_after;
  }
  return { seen, pages };
}

for (const perPage of [7, 150]) {
  for (const order of ["ascending", "descending"] as const) {
    Deno.test(`paginate() walks ${order} at per_page ${perPage} without duplicates or gaps`, () => {
      const predicate = (r: Row) => Number(r.id) % 3 !== 0;
      const { seen, pages } = walk({ perPage, order, predicate });
      const expected = ROWS.filter(predicate);
      assert.equal(seen.length, expected.length);
      assert.equal(new Set(seen).size, seen.length);
      const sign = order === "ascending" ? 1 : -1;
      const byId = new Map(ROWS.map((r) => [r.id, r]));
      for (let i = 1; i < seen.length; i++) {
        const a = byId.get(seen[i - 1]!)!;
        const b = byId.get(seen[i]!)!;
        assert.ok(sign * (a.t - b.t || compareIds(a.id, b.id)) < 0, `${a.id} before ${b.id}`);
      }
      assert.equal(pages.length, Math.ceil(expected.length / perPage));
      pages.forEach((p, i) => {
        assert.equal(p.page, i + 1);
        assert.equal(p.per_page, perPage);
        assert.equal(p.total_pages, Math.ceil(expected.length / perPage));
      });
      assert.equal(pages.at(-1)!.next, undefined);
    });
  }
}

Deno.test("paginate() reports zero results with total_pages 0 and no next", () => {
  const page = paginate(request({ predicate: () => false }));
  assert.deepEqual(page.items, []);
  assert.equal(page.totalCount, 0);
  assert.deepEqual(page.pages, { type: "pages", page: 1, per_page: 7, total_pages: 0 });
});

Deno.test("paginate() omits next when the last page is exactly full", () => {
  const page = paginate(request({ perPage: 100 }));
  assert.equal(page.items.length, 100);
  assert.equal(page.pages.next, undefined);
});

Deno.test("paginate() cursors encode the last record's sort value in ms, its id and the next page", () => {
  const page = paginate(request());
  const last = page.items.at(-1)!;
  assert.deepEqual(decodeCursor(page.pages.next!.starting_after), {
    sortValueMs: last.t * 1000,
    id: last.id,
    page: 2,
  });
});

Deno.test("paginate() rejects a garbage cursor with 400 parameter_invalid", () => {
  assert.throws(() => paginate(request({ startingAfter: "garbage" })), (e: unknown) => {
    assert.ok(e instanceof SimHttpError);
    assert.equal(e.status, 400);
    assert.equal(e.field, "starting_after");
    return true;
  });
});

Deno.test("paginate() re-evaluates live data: a record updated between pages is returned again", () => {
  const rows = ROWS.map((r) => ({ ...r }));
  const first = paginate(request({ records: rows }));
  const moved = first.items[0]!;
  moved.t = 10_000; // updated after page 1 was served: it now sorts last
  const later: string[] = [];
  let cursor: string | undefined = first.pages.next!.starting_after;
  while (cursor !== undefined) {
    const page: ReturnType<typeof paginate<Row>> = paginate(
      request({ records: rows, startingAfter: cursor }),
    );
    later.push(...page.items.map((r) => r.id));
    cursor = page.pages.next?.starting_after;
  }
  assert.equal(later.at(-1), moved.id);
  assert.equal(first.items.length + later.length, rows.length + 1);
});
