import assert from "node:assert/strict";
import { sharedRead } from "../../lib/util/single_flight.ts";

Deno.test("sharedRead() runs one read for concurrent callers and keeps it for ttlMs", async () => {
  let now = 0;
  let runs = 0;
  const read = sharedRead(() => Promise.resolve(++runs), { ttlMs: 1000, clock: () => now });
  assert.deepEqual(await Promise.all([read(), read(), read()]), [1, 1, 1]);
  now = 999;
  assert.equal(await read(), 1);
  now = 1000;
  assert.equal(await read(), 2);
});

Deno.test("sharedRead() does not keep a failure", async () => {
  let fail = true;
  const read = sharedRead(() => fail ? Promise.reject(new Error("busy")) : Promise.resolve("ok"));
  await assert.rejects(read(), /busy/);
  fail = false;
  assert.equal(await read(), "ok");
});
