import assert from "node:assert/strict";
import { decodeCursor, encodeCursor } from "../../lib/simulator/cursor.ts";

Deno.test("encodeCursor() is base64 of JSON [sort_value_ms, id, page] and round-trips", () => {
  const cursor = encodeCursor({ sortValueMs: 1_750_000_000_000, id: "100000000042", page: 3 });
  assert.equal(atob(cursor), '[1750000000000,"100000000042",3]');
  assert.deepEqual(decodeCursor(cursor), {
    sortValueMs: 1_750_000_000_000,
    id: "100000000042",
    page: 3,
  });
});

Deno.test("decodeCursor() accepts a null sort value", () => {
  assert.deepEqual(decodeCursor(encodeCursor({ sortValueMs: null, id: "1", page: 2 })), {
    sortValueMs: null,
    id: "1",
    page: 2,
  });
});

Deno.test("decodeCursor() rejects garbage", () => {
  for (
    const bad of [
      "",
      "not base64!",
      btoa("{}"),
      btoa("[1,2,3]"),
      btoa('[1,"x",0]'),
      btoa('[1,"x"]'),
    ]
  ) {
    assert.equal(decodeCursor(bad), undefined, bad);
  }
});
