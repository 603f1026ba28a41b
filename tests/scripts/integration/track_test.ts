import assert from "node:assert/strict";
import { followCommands, PROCESS_TYPE } from "../../../scripts/integration/track.ts";
import { StatusTracker } from "../../../lib/registry/status_tracker.ts";

async function* lines(...items: string[]) {
  for (const item of items) yield item;
}

async function withTracker(fn: (tracker: StatusTracker, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "fim-track-" });
  try {
    await fn(new StatusTracker({ dir, heartbeatIntervalMs: 0, updateIntervalMs: 0 }), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("followCommands() records steps, log lines and the result of a completed run", async () => {
  await withTracker(async (tracker, dir) => {
    const tracked = await tracker.start(PROCESS_TYPE, "integration test", { sessionId: "s-1" });
    const outcome = await followCommands(
      tracked,
      lines(
        "step 3 8 compare the store",
        "log check sync pass: 100 conversations",
        'complete {"exit_code":0}',
      ),
    );
    assert.equal(outcome, "completed");
    const report = await tracker.read();
    const record = report.completed.find((r) => r.process_id === tracked.id);
    assert.ok(record, "the run is among the completed processes");
    assert.equal(record.process_type, "integration_test");
    assert.equal(record.status, "completed");
    assert.equal(record.session_id, "s-1");
    assert.equal(record.progress.current, 3);
    assert.equal(record.progress.total, 8);
    assert.equal(record.progress.percentage, 38);
    assert.equal(record.progress.message, "compare the store");
    assert.deepEqual(record.metadata.result, { exit_code: 0 });
    const log = await Deno.readTextFile(`${dir}/aggregated_logs/${tracked.id}.log`);
    assert.match(log, /step 3\/8: compare the store\n.*check sync pass: 100 conversations\n$/);
  });
});

Deno.test("followCommands() records a failure, and the end of input as interrupted", async () => {
  await withTracker(async (tracker) => {
    const failed = await tracker.start(PROCESS_TYPE, "run 1");
    assert.equal(
      await followCommands(failed, lines("fail exit 3: the MCP server failed a check")),
      "failed",
    );
    const cut = await tracker.start(PROCESS_TYPE, "run 2");
    assert.equal(await followCommands(cut, lines("step 1 8 environment")), "interrupted");
    const report = await tracker.read();
    const byId = new Map(report.completed.map((r) => [r.process_id, r]));
    assert.equal(byId.get(failed.id)?.status, "failed");
    assert.match(byId.get(failed.id)?.error ?? "", /exit 3: the MCP server failed a check/);
    assert.equal(byId.get(cut.id)?.status, "interrupted");
    assert.equal(report.active.length, 0);
  });
});
