import assert from "node:assert/strict";
import { mergeAscending, mergeDescending } from "../../lib/logs/merge.ts";

type Item = { timestamp: string; level: string; component: string; id: string };

async function* batches(...groups: [string, string][][]): AsyncGenerator<Item[]> {
  for (const group of groups) {
    yield group.map(([t, id]) => ({ timestamp: t, level: "info", component: "x", id }));
  }
}

async function ids(gen: AsyncGenerator<Item[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of gen) out.push(...batch.map((i) => i.id));
  return out;
}

Deno.test("mergeAscending() interleaves ordered streams by timestamp, stable on ties", async () => {
  const merged = mergeAscending([
    batches([["1", "a1"], ["3", "a3"]], [["5", "a5"]]),
    batches([["2", "b2"]], [], [["3", "b3"], ["6", "b6"]]),
    batches(),
  ]);
  assert.deepEqual(await ids(merged), ["a1", "b2", "a3", "b3", "a5", "b6"]);
});

Deno.test("mergeDescending() interleaves newest-first streams", async () => {
  const merged = mergeDescending([
    batches([["9", "a9"], ["4", "a4"]]),
    batches([["7", "b7"], ["1", "b1"]]),
  ]);
  assert.deepEqual(await ids(merged), ["a9", "b7", "a4", "b1"]);
});

Deno.test("mergeAscending() stops its sources when the consumer stops early", async () => {
  let closed = 0;
  async function* source(prefix: string): AsyncGenerator<Item[]> {
    try {
      for (let i = 0; i < 100; i++) {
        yield [{
          timestamp: String(i).padStart(3, "0"),
          level: "info",
          component: "x",
          id: `${prefix}${i}`,
        }];
      }
    } finally {
      closed++;
    }
  }
  for await (const batch of mergeAscending([source("a"), source("b")])) {
    assert.ok(batch.length > 0);
    break;
  }
  assert.equal(closed, 2);
});
