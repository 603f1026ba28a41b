/**
 * The differential check (issue 10) on a few seeds: a seeded schedule of changes (same-second
 * replies, state flips, revivals, new conversations, late contacts, merges, churn, unreadable
 * records) runs while syncs run and are interrupted and resumed; the store must then equal the
 * simulator's truth. `deno task bench:diff` runs it over many more seeds, also with killed
 * processes.
 */
import assert from "node:assert/strict";
import { differentialBehaviour, runDifferential } from "../../scripts/integration/differential.ts";

const SEEDS = [1, 3, 4];

for (const seed of SEEDS) {
  Deno.test(`runSync() mirrors the workspace exactly after a random schedule of changes and interruptions (seed ${seed})`, async () => {
    const result = await runDifferential({ seed, steps: 6 });
    assert.ok(result.interrupted >= 1, "a sync was interrupted and resumed");
    assert.deepEqual(result.differences, [], `seed ${seed}: ${JSON.stringify(result)}`);
  });
}

Deno.test("differentialBehaviour() of the test seeds covers unsorted search and contact-search lag", () => {
  const behaviours = SEEDS.map(differentialBehaviour);
  assert.ok(behaviours.some((b) => b.searchSort === "ignored"), "a seed answers newest first");
  assert.ok(behaviours.some((b) => b.searchSort === "honoured"), "a seed answers in order");
  assert.ok(behaviours.some((b) => b.contactSearchLagSeconds > 0), "a seed lags contact search");
});
