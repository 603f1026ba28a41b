import assert from "node:assert/strict";
import { join } from "node:path";
import { readRunTrends, trendReport } from "../../lib/trends/trends.ts";
import { withTempDir } from "../_fixtures/fs.ts";
import { recordRuns } from "./_runs.ts";

const T0 = 1_780_000_000;

Deno.test("trendReport() reads the newest runs and judges anomalies on the longer history", async () => {
  await withTempDir("trends-", (dir) => {
    const path = join(dir, "store.db");
    assert.deepEqual(readRunTrends(path, 5), [], "no store: no runs");
    recordRuns(path, 12, 8);
    const report = trendReport(path, T0 + 11 * 600 + 900, { limit: 3 });
    assert.deepEqual(report.runs.map((r) => r.run_id), [12, 11, 10]);
    assert.deepEqual(report.anomalies.map((a) => a.kind), ["slow_run"]);
  });
});
