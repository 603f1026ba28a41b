import assert from "node:assert/strict";
import { join } from "node:path";
import { anomalyFlags, currentAnomalyFlags } from "../../lib/trends/anomaly_flags.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("anomalyFlags() gives every kind, true for those found", () => {
  assert.deepEqual(
    anomalyFlags([{ kind: "missed_interval", detail: "", run_id: null, value: 1, usual: 1 }]),
    {
      slow_run: false,
      high_retry_rate: false,
      run_failed: false,
      missed_interval: true,
      stopped_growing: false,
    },
  );
});

Deno.test("currentAnomalyFlags() is all clear without a store or with a broken one", async () => {
  await withTempDir("flags-", async (dir) => {
    assert.ok(Object.values(currentAnomalyFlags(join(dir, "none.db"))).every((v) => v === false));
    await Deno.writeTextFile(join(dir, "bad.db"), "not sqlite");
    assert.ok(Object.values(currentAnomalyFlags(join(dir, "bad.db"))).every((v) => v === false));
  });
});
