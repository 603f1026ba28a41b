import assert from "node:assert/strict";
import { join } from "node:path";
import { ownStartTime } from "../../lib/registry/process_info.ts";
import {
  defaultStatusDir,
  type ProcessRecord,
  readStatus,
  STATUS_FILES,
} from "../../lib/registry/status_reader.ts";
import { mutateStatus } from "../../lib/registry/status_writer.ts";
import { deadPid, processRecord, withTempDir } from "../_fixtures/fs.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);
const iso = (ms: number) => new Date(ms).toISOString();

async function record(id: string, overrides: Partial<ProcessRecord> = {}): Promise<ProcessRecord> {
  return processRecord(id, {
    pid_start_time: await ownStartTime(),
    start_time: iso(T0),
    last_heartbeat: iso(T0),
    description: "Syncing",
    session_id: "sess-test",
    ...overrides,
  });
}

async function writeActive(dir: string, records: ProcessRecord[]): Promise<void> {
  await mutateStatus(dir, (state) => {
    for (const r of records) state.active[r.process_id] = r;
  }, { clock: () => T0 });
}

Deno.test("defaultStatusDir() prefers FASTINTERCOM_STATUS_DIR, else ~/.fastintercom-status", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(
    defaultStatusDir({ env: env({ FASTINTERCOM_STATUS_DIR: "/tmp/st", HOME: "/home/a" }) }),
    "/tmp/st",
  );
  assert.equal(defaultStatusDir({ env: env({ HOME: "/home/a" }) }), "/home/a/.fastintercom-status");
});

Deno.test("readStatus() of a directory that does not exist is empty", async () => {
  const report = await readStatus("/nonexistent/status-dir", { clock: () => T0 });
  assert.deepEqual(report.active, []);
  assert.deepEqual(report.completed, []);
  assert.equal(report.summary.active_count, 0);
});

Deno.test("readStatus() reports a live, recently heard-from process as running", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    await writeActive(dir, [await record("sync-a")]);
    const report = await readStatus(dir, { clock: () => T0 + 30_000 });
    assert.deepEqual(report.active.map((r) => r.status), ["running"]);
    assert.deepEqual(report.summary.by_status, { running: 1 });
    assert.deepEqual(report.summary.by_type, { sync: { running: 1 } });
  });
});

Deno.test("readStatus() reports a process silent past the threshold as stalled", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    await writeActive(dir, [await record("sync-a")]);
    const report = await readStatus(dir, { clock: () => T0 + 61_000, stallAfterSeconds: 60 });
    assert.equal(report.active[0]?.status, "stalled");
    assert.deepEqual(report.summary.by_status, { stalled: 1 });
    // reading derives the state; the file still says running
    const stored = JSON.parse(await Deno.readTextFile(join(dir, STATUS_FILES.active)));
    assert.equal(stored["sync-a"].status, "running");
  });
});

Deno.test("readStatus() reports a process whose pid is gone as crashed", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    await writeActive(dir, [await record("sync-a", { pid: await deadPid() })]);
    const report = await readStatus(dir, { clock: () => T0 });
    assert.equal(report.active[0]?.status, "crashed");
  });
});

Deno.test("readStatus() reports a reused pid with another start time as crashed", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    await writeActive(dir, [await record("sync-a", { pid_start_time: "2001-01-01T00:00:00Z" })]);
    const report = await readStatus(dir, { clock: () => T0 });
    assert.equal(report.active[0]?.status, "crashed");
    const unchecked = await readStatus(dir, { clock: () => T0, checkPid: false });
    assert.equal(unchecked.active[0]?.status, "running");
  });
});

Deno.test("readStatus() does not judge pids recorded on another host", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    await writeActive(dir, [await record("sync-a", { hostname: "elsewhere", pid: 999_999 })]);
    const report = await readStatus(dir, { clock: () => T0 });
    assert.equal(report.active[0]?.status, "running");
  });
});

Deno.test("readStatus() never reports a record twice while it moves to completed", async () => {
  await withTempDir("status_reader_test_", async (dir) => {
    const r = await record("sync-a");
    await writeActive(dir, [r]);
    // as if a reader read active just before and completed just after the move
    await Deno.writeTextFile(
      join(dir, STATUS_FILES.completed),
      JSON.stringify({ "sync-a": { ...r, status: "completed", end_time: iso(T0) } }),
    );
    const report = await readStatus(dir, { clock: () => T0 });
    assert.deepEqual(report.active, []);
    assert.deepEqual(report.completed.map((x) => x.status), ["completed"]);
  });
});
