import assert from "node:assert/strict";
import { CallTurns } from "../../lib/mcp/call_turns.ts";

/** A hand-cranked event loop: `turn()` runs the callback asked for last. */
function manualTurns() {
  const waiting: (() => void)[] = [];
  return {
    next: (callback: () => void) => void waiting.push(callback),
    /** Runs one turn (after the microtasks before it), or returns false when none is asked. */
    async turn(): Promise<boolean> {
      await new Promise((resolve) => setTimeout(resolve, 0)); // settle microtasks
      const callback = waiting.shift();
      callback?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return callback !== undefined;
    },
    get asked() {
      return waiting.length;
    },
  };
}

Deno.test("CallTurns starts the first call at once and each later one on its own turn, in arrival order", async () => {
  const loop = manualTurns();
  const turns = new CallTurns(loop.next);
  const events: string[] = [];
  const answers = [1, 2, 3, 4].map((n) =>
    turns.run(() => {
      events.push(`start ${n}`);
      return Promise.resolve(n);
    }).then((value) => void events.push(`answer ${value}`))
  );
  assert.deepEqual(events, ["start 1"]);
  assert.equal(turns.pending, 3);
  await loop.turn();
  assert.deepEqual(events, ["start 1", "answer 1", "start 2", "answer 2"]);
  while (await loop.turn());
  await Promise.all(answers);
  assert.deepEqual(events, [
    "start 1",
    "answer 1",
    "start 2",
    "answer 2",
    "start 3",
    "answer 3",
    "start 4",
    "answer 4",
  ]);
  assert.equal(turns.pending, 0);
  assert.equal(loop.asked, 0, "an idle queue asks for no turn");
  // idle again: the next call starts at once
  let started = false;
  const again = turns.run(() => Promise.resolve(started = true));
  assert.ok(started);
  await again;
});

Deno.test("CallTurns: a call waiting for I/O does not hold the next; failures reach their caller only", async () => {
  const loop = manualTurns();
  const turns = new CallTurns(loop.next);
  const slow = Promise.withResolvers<string>();
  const first = turns.run(() => slow.promise);
  const second = assert.rejects(
    turns.run(() => Promise.reject(new Error("tool failed"))),
    /tool failed/,
  );
  const third = assert.rejects(
    turns.run((): Promise<string> => {
      throw new Error("thrown at once");
    }),
    /thrown at once/,
  );
  const fourth = turns.run(() => Promise.resolve("fourth"));
  while (await loop.turn());
  await second;
  await third;
  assert.equal(await fourth, "fourth");
  slow.resolve("first");
  assert.equal(await first, "first");
});
