import assert from "node:assert/strict";
import { RateEstimator } from "../../lib/progress/eta.ts";

Deno.test("RateEstimator.rate() is null until a second of data has been seen", () => {
  const estimator = new RateEstimator();
  estimator.record(0, 0);
  assert.equal(estimator.rate(), null);
  estimator.record(5, 500);
  assert.equal(estimator.rate(), null);
  assert.equal(estimator.eta(100), null);
  estimator.record(10, 1000);
  assert.ok(Math.abs((estimator.rate() ?? 0) - 10) < 1e-9);
});

Deno.test("RateEstimator gives the exact rate and ETA for a steady counter", () => {
  const estimator = new RateEstimator();
  for (let second = 0; second <= 30; second++) estimator.record(second * 12, second * 1000);
  assert.ok(Math.abs((estimator.rate() ?? 0) - 12) < 1e-9);
  assert.ok(Math.abs((estimator.eta(600) ?? 0) - 50) < 1e-6);
});

Deno.test("RateEstimator keeps the ETA steady when the rate alternates between 5/s and 15/s", () => {
  const estimator = new RateEstimator();
  const total = 2000;
  let count = 0;
  estimator.record(0, 0);
  const etas: number[] = [];
  const naive: number[] = [];
  for (let second = 1; second <= 120; second++) {
    const burst = second % 2 === 0 ? 5 : 15;
    count += burst;
    estimator.record(count, second * 1000);
    if (second > 20) {
      etas.push(estimator.eta(total - count) ?? Number.NaN);
      naive.push((total - count) / burst);
    }
  }
  const worstChange = (values: number[]) =>
    Math.max(...values.slice(1).map((v, i) => Math.abs(v - values[i]!) / values[i]!));
  // a naive per-update rate makes the ETA jump by a factor of three; the smoothed one barely moves
  assert.ok(worstChange(naive) > 0.6, `naive ${worstChange(naive)}`);
  assert.ok(worstChange(etas) < 0.1, `smoothed ${worstChange(etas)}`);
});

Deno.test("RateEstimator weighs data older than 15 seconds at most 10%", () => {
  const estimator = new RateEstimator();
  let count = 0;
  for (let second = 0; second <= 60; second++) {
    estimator.record(count, second * 1000);
    count += 100;
  }
  count -= 100;
  for (let second = 61; second <= 75; second++) {
    count += 10;
    estimator.record(count, second * 1000);
  }
  const rate = estimator.rate() ?? 0;
  assert.ok(rate > 10 && rate <= 10 + 0.1 * 90 + 0.01, `rate ${rate}`);
});

Deno.test("RateEstimator merges samples closer than 100 ms and restarts when the count drops", () => {
  const estimator = new RateEstimator();
  estimator.record(0, 0);
  for (let ms = 10; ms <= 2000; ms += 10) estimator.record(ms / 10, ms); // 100/s in tiny steps
  assert.ok(Math.abs((estimator.rate() ?? 0) - 100) < 1e-6);
  estimator.record(0, 2100); // restarted from zero: a new baseline, not a negative rate
  estimator.record(100, 3100);
  assert.ok((estimator.rate() ?? 0) > 0);
});
