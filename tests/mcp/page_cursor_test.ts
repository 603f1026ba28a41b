import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import {
  decodeCursor,
  encodeCursor,
  filterKey,
  nextPageCursor,
  resumeCursor,
} from "../../lib/mcp/page_cursor.ts";

Deno.test("encodeCursor() and decodeCursor() round-trip offset, window and key", () => {
  const cursors = [
    { offset: 20, start: 1767225600, end: 1767311999, key: "abc" },
    { offset: 0, start: null, end: null, key: filterKey({ query: "réfund 💸" }) },
  ];
  for (const cursor of cursors) {
    const text = encodeCursor(cursor);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(text), cursor);
  }
});

Deno.test("decodeCursor() returns null for text it did not write", () => {
  const bad = [
    "",
    "not a cursor!",
    btoa("{}"),
    btoa(JSON.stringify([2, 0, null, null, "k"])),
    btoa(JSON.stringify([1, -5, null, null, "k"])),
    btoa(JSON.stringify([1, 1.5, null, null, "k"])),
    btoa(JSON.stringify([1, 0, "x", null, "k"])),
    btoa(JSON.stringify([1, 0, null, null, 7])),
  ];
  for (const text of bad) assert.equal(decodeCursor(text), null, text);
});

Deno.test("filterKey() ignores key order and tells filters apart", () => {
  assert.equal(filterKey({ a: 1, b: "x" }), filterKey({ b: "x", a: 1 }));
  assert.equal(filterKey({ a: undefined }), filterKey({ a: null }));
  assert.notEqual(filterKey({ query: "refund" }), filterKey({ query: "refunds" }));
  assert.notEqual(filterKey({ state: "open" }), filterKey({ tag: "open" }));
});

Deno.test("resumeCursor() refuses malformed cursors and cursors of other filters", () => {
  const key = filterKey({ query: "refund" });
  const text = encodeCursor({ offset: 40, start: null, end: 99, key });
  assert.deepEqual(resumeCursor(text, key), { offset: 40, start: null, end: 99, key });
  assert.throws(
    () => resumeCursor("garbage", key),
    (e: unknown) => e instanceof InputError && /cursor "garbage" is not valid/.test(e.message),
  );
  assert.throws(
    () => resumeCursor(text, filterKey({ query: "invoice" })),
    /cursor belongs to a search with other filters/,
  );
});

Deno.test("nextPageCursor() points past the page while results remain, else is null", () => {
  const key = filterKey({ q: "x" });
  assert.deepEqual(
    decodeCursor(nextPageCursor({ offset: 20, returned: 20, total: 45, key })!),
    { offset: 40, start: null, end: null, key },
  );
  assert.deepEqual(
    decodeCursor(
      nextPageCursor({ offset: 0, returned: 5, total: 9, key, window: { start: 10, end: 20 } })!,
    ),
    { offset: 5, start: 10, end: 20, key },
  );
  assert.equal(nextPageCursor({ offset: 40, returned: 5, total: 45, key }), null);
  assert.equal(nextPageCursor({ offset: 45, returned: 0, total: 45, key }), null);
  assert.equal(nextPageCursor({ offset: 0, returned: 0, total: 0, key, more: true }), null);
  // a lower-bound total: more results follow though the page reached it
  assert.deepEqual(
    decodeCursor(nextPageCursor({ offset: 0, returned: 10, total: 10, key, more: true })!),
    { offset: 10, start: null, end: null, key },
  );
});
