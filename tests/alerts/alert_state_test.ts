import assert from "node:assert/strict";
import { join } from "node:path";
import { ALERT_FILES, readAlertState, writeAlertState } from "../../lib/alerts/alert_state.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("readAlertState() is empty without a file or with a broken one; writes round-trip", async () => {
  await withTempDir("alert-state-", async (dir) => {
    assert.deepEqual(await readAlertState(dir), {});
    const state = {
      "crash:x": { event: "crash", title: "x crashed", since: "2026-01-01T00:00:00.000Z" },
    };
    await writeAlertState(dir, state);
    assert.deepEqual(await readAlertState(dir), state);
    await Deno.writeTextFile(join(dir, ALERT_FILES.state), "{broken");
    assert.deepEqual(await readAlertState(dir), {});
  });
});
