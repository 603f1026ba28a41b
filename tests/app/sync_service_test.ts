import assert from "node:assert/strict";
import { describe } from "../../lib/app/sync_service.ts";
import type { Checkpoint } from "../../lib/sync/plan.ts";

const checkpoint = (over: Partial<Checkpoint>): Checkpoint => ({
  version: 1,
  runId: 3,
  mode: "all",
  windowStart: 0,
  windowEnd: 1_780_000_000,
  startedAt: 1_780_000_000,
  resumeFrom: 1_700_000_000,
  done: 450,
  pagesDone: 3,
  force: false,
  ...over,
});

Deno.test("describe() names a sync by its mode, and a resumed one by the run it resumes", () => {
  assert.equal(describe({ mode: "incremental" }), "Incremental sync of conversations");
  assert.equal(describe({ mode: "all" }), "Full sync of every conversation");
  assert.equal(
    describe({ mode: "incremental" }, checkpoint({})),
    "Resuming run 3: full sync of every conversation",
    "a plain sync resuming an interrupted --all is not an incremental sync",
  );
  assert.equal(
    describe(
      { mode: "incremental" },
      checkpoint({ mode: "days", windowStart: 1_780_000_000 - 30 * 86400 }),
    ),
    "Resuming run 3: sync of the last 30 days of conversations",
  );
});
