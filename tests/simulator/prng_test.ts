import assert from "node:assert/strict";
import { deriveSeed, Prng } from "../../lib/simulator/prng.ts";

Deno.test("Prng yields the same sequence for the same seed and a different one for another", () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const seqA = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(Array.from({ length: 20 }, () => b.next()), seqA);
  assert.notDeepEqual(Array.from({ length: 20 }, () => c.next()), seqA);
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
});

Deno.test("Prng.int() stays within inclusive bounds and reaches both ends", () => {
  const rng = new Prng(7);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 6));
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6]);
});

Deno.test("Prng.weighted() follows the weights", () => {
  const rng = new Prng(1);
  let heavy = 0;
  for (let i = 0; i < 10_000; i++) if (rng.weighted({ heavy: 9, light: 1 }) === "heavy") heavy++;
  assert.ok(heavy > 8700 && heavy < 9300, `heavy=${heavy}`);
});

Deno.test("Prng.pick() rejects an empty array", () => {
  assert.throws(() => new Prng(1).pick([]), RangeError);
});

Deno.test("deriveSeed() separates streams of the same seed", () => {
  assert.notEqual(deriveSeed(1, "faults"), deriveSeed(1, "latency"));
  assert.equal(deriveSeed(1, "faults"), deriveSeed(1, "faults"));
});
