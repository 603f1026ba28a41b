import assert from "node:assert/strict";
import { alertConditions } from "../../lib/alerts/conditions.ts";
import { processSnapshot } from "../../lib/monitor/snapshot.ts";
import { processRecord } from "../_fixtures/fs.ts";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

Deno.test("alertConditions() keys crashed, stalled and progress-less processes and anomalies", () => {
  const processes = [
    processRecord("a", { status: "crashed", last_heartbeat: ago(90) }),
    processRecord("b", { status: "stalled", last_heartbeat: ago(300) }),
    processRecord("c", { last_heartbeat: ago(1), last_progress: ago(400) }),
    processRecord("d", { last_heartbeat: ago(1), last_progress: ago(1) }),
  ].map((r) => processSnapshot(r, NOW, 60));
  const conditions = alertConditions(processes, [
    { kind: "slow_run", detail: "run 3 was slow", run_id: 3, value: 1, usual: 5 },
  ]);
  assert.deepEqual(conditions.map((c) => [c.key, c.event]), [
    ["crash:a", "crash"],
    ["stall:b", "stall"],
    ["stall:c", "stall"],
    ["anomaly:slow_run", "anomaly"],
  ]);
  assert.equal(conditions[0]!.title, `sync a (pid ${Deno.pid}) crashed`);
  assert.equal(conditions[2]!.detail, "alive, but no progress for 400s (retrying or waiting?)");
});
