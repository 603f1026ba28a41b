import assert from "node:assert/strict";
import { concatBytes } from "../../lib/util/bytes.ts";

Deno.test("concatBytes() joins two arrays and returns the non-empty one unchanged", () => {
  const a = new Uint8Array([1, 2]);
  const b = new Uint8Array([3]);
  assert.deepEqual(concatBytes(a, b), new Uint8Array([1, 2, 3]));
  assert.equal(concatBytes(a, new Uint8Array(0)), a);
  assert.equal(concatBytes(new Uint8Array(0), b), b);
});
