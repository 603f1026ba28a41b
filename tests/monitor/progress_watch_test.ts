import assert from "node:assert/strict";
import { ProgressWatch } from "../../lib/monitor/progress_watch.ts";
import type { ProcessSnapshot } from "../../lib/monitor/snapshot.ts";

const T0 = Date.parse("2026-07-01T15:30:00Z");

function process(over: Partial<ProcessSnapshot>): ProcessSnapshot {
  return {
    process_id: "sync-1",
    process_type: "sync",
    status: "running",
    alert: null,
    description: "Sync",
    pid: 4242,
    current: 100,
    total: 1000,
    percentage: 10,
    rate: 16.7,
    eta_seconds: 54,
    message: "batch 2",
    started_at: new Date(T0).toISOString(),
    last_heartbeat: new Date(T0).toISOString(),
    heartbeat_age_seconds: 0,
    progress_age_seconds: 0,
    no_progress: false,
    ...over,
  };
}

Deno.test("ProgressWatch counts 'no progress' from the last time it saw the counter move", () => {
  const watch = new ProgressWatch();
  watch.apply([process({})], T0, 60);
  // the process keeps writing heartbeats and messages, and its own clock says progress is fresh
  const later = (s: number, over: Partial<ProcessSnapshot> = {}) =>
    watch.apply(
      [process({
        last_heartbeat: new Date(T0 + s * 1000).toISOString(),
        message: `waiting for rate limit, resets in ${s % 10}s`,
        progress_age_seconds: 0,
        ...over,
      })],
      T0 + s * 1000,
      60,
    )[0]!;
  assert.equal(later(30).no_progress, false);
  const stuck = later(103);
  assert.equal(stuck.progress_age_seconds, 103);
  assert.equal(stuck.no_progress, true);
  assert.equal(stuck.alert, null, "alive: its heartbeat changes");
  assert.equal(stuck.rate, null, "no stale rate");
  assert.equal(stuck.eta_seconds, null, "no stale ETA");
  const moving = later(110, { current: 101 });
  assert.equal(moving.no_progress, false);
  assert.equal(moving.rate, 16.7);
});

Deno.test("ProgressWatch calls a process stalled when its heartbeat stops changing, whatever its clock", () => {
  const watch = new ProgressWatch();
  const frozen = process({ heartbeat_age_seconds: 0 });
  watch.apply([frozen], T0, 60);
  // SIGSTOP: the record stops changing; a clock far ahead would make it look fresh
  const at = (s: number) => watch.apply([frozen], T0 + s * 1000, 60)[0]!;
  assert.equal(at(45).alert, null);
  const stalled = at(103);
  assert.equal(stalled.alert, "stalled");
  assert.equal(stalled.heartbeat_age_seconds, 103);
  assert.equal(stalled.rate, null);
  const crashed = watch.apply([process({ alert: "crashed", status: "crashed" })], T0 + 200_000, 60);
  assert.equal(crashed[0]!.alert, "crashed", "a crash (pid gone) stays a crash");
});
