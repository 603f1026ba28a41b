import assert from "node:assert/strict";
import { anomalyCheck } from "../../lib/health/anomaly_check.ts";
import { recordRuns } from "../trends/_runs.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

const T0 = 1_780_000_000;

Deno.test("anomalyCheck() is ok without history and warns with each anomaly", async () => {
  await withTempDir("anomaly-check-", async (dir) => {
    const { paths } = await settingsIn(dir);
    assert.equal(anomalyCheck(paths, Date.now()).status, "ok");
    recordRuns(paths.storeFile, 12, 8);
    const check = anomalyCheck(paths, (T0 + 11 * 600 + 900) * 1000);
    assert.equal(check.status, "warn");
    assert.match(
      check.detail,
      /^slow_run: run 12 \(incremental\) fetched .* — see `fast-intercom-mcp monitor trends`$/,
    );
  });
});
