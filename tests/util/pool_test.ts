import assert from "node:assert/strict";
import { mapPool, TaskPool } from "../../lib/util/pool.ts";

/** A promise with its resolve function. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

Deno.test("mapPool() keeps order, bounds concurrency and rethrows the first failure", async () => {
  let active = 0;
  let peak = 0;
  const out = await mapPool([1, 2, 3, 4, 5], 2, async (n) => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 1));
    active--;
    return n * 10;
  });
  assert.deepEqual(out, [10, 20, 30, 40, 50]);
  assert.equal(peak, 2);
  await assert.rejects(
    mapPool([1, 2, 3], 1, (n) => n === 2 ? Promise.reject(new Error("two")) : Promise.resolve(n)),
    /two/,
  );
});

Deno.test("TaskPool.run() keeps at most size calls in flight and starts waiting calls in order", async () => {
  const pool = new TaskPool(2);
  const gates = [deferred(), deferred(), deferred(), deferred()];
  const started: number[] = [];
  const runs = gates.map((gate, i) =>
    pool.run(async () => {
      started.push(i);
      await gate.promise;
      return i;
    })
  );
  await Promise.resolve();
  assert.deepEqual(started, [0, 1]);
  assert.equal(pool.active, 2);
  gates[1]!.resolve();
  await runs[1];
  await Promise.resolve();
  assert.deepEqual(started, [0, 1, 2], "the first waiting call takes the free slot");
  gates[0]!.resolve();
  gates[2]!.resolve();
  gates[3]!.resolve();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
  assert.deepEqual(started, [0, 1, 2, 3]);
  assert.equal(pool.active, 0);
});

Deno.test("TaskPool.run() rejects a waiting call whose signal aborted, without running it", async () => {
  const pool = new TaskPool(1);
  const gate = deferred();
  const first = pool.run(() => gate.promise);
  const controller = new AbortController();
  let ran = false;
  const second = pool.run(() => {
    ran = true;
    return Promise.resolve();
  }, controller.signal);
  controller.abort(new Error("stop"));
  gate.resolve();
  await first;
  await assert.rejects(second, /stop/);
  assert.equal(ran, false);
  assert.equal(pool.active, 0);
});
