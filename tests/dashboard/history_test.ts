import assert from "node:assert/strict";
import { RateHistory } from "../../lib/dashboard/history.ts";

const totals = (conv: number, api: number, limited = 0, retries = 0) => ({
  conversations_fetched: conv,
  api_calls: api,
  rate_limited: limited,
  retries,
});

Deno.test("RateHistory.add() turns totals into rates over the trailing span", () => {
  const h = new RateHistory({ spanSeconds: 10 });
  assert.equal(h.add(0, totals(0, 0)), null);
  assert.deepEqual(h.add(2000, totals(20, 40, 2, 1)), {
    t: 2,
    conversations_per_second: 10,
    api_calls_per_second: 20,
    rate_limited_per_second: 1,
    retries_per_second: 0.5,
  });
  h.add(10_000, totals(100, 200));
  // the base moves once a newer sample is at least the span old
  const p = h.add(14_000, totals(120, 240))!;
  assert.equal(p.conversations_per_second, (120 - 20) / 12);
});

Deno.test("RateHistory.add() prefers the live rate and reads a reset as zero", () => {
  const h = new RateHistory();
  h.add(0, totals(100, 100));
  assert.equal(h.add(1000, totals(110, 100), 7.5)!.conversations_per_second, 7.5);
  assert.equal(h.add(2000, totals(0, 0))!.api_calls_per_second, 0);
});

Deno.test("RateHistory.points() keeps the window only", () => {
  const h = new RateHistory({ windowSeconds: 60 });
  for (let s = 0; s <= 120; s += 10) h.add(s * 1000, totals(s, s));
  const points = h.points();
  assert.equal(points[0]!.t, 60);
  assert.equal(points.at(-1)!.t, 120);
});
