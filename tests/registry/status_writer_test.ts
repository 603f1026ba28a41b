import assert from "node:assert/strict";
import { join } from "node:path";
import { type ProcessRecord, readStatus, STATUS_FILES } from "../../lib/registry/status_reader.ts";
import { mutateStatus, prune, reconcile } from "../../lib/registry/status_writer.ts";
import { deadPid, processRecord, withTempDir } from "../_fixtures/fs.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 22);
const iso = (ms: number) => new Date(ms).toISOString();

function record(id: string, overrides: Partial<ProcessRecord> = {}): ProcessRecord {
  return processRecord(id, { start_time: iso(T0), last_heartbeat: iso(T0), ...overrides });
}

async function writeActive(dir: string, records: ProcessRecord[]): Promise<void> {
  await mutateStatus(dir, (state) => {
    for (const r of records) state.active[r.process_id] = r;
  }, { clock: () => T0 });
}

Deno.test("reconcile() moves crashed records to completed under the lock", async () => {
  await withTempDir("status_writer_test_", async (dir) => {
    const gone = await deadPid();
    await writeActive(dir, [record("sync-dead", { pid: gone }), record("sync-live")]);
    const moved = await reconcile(dir, { clock: () => T0 + 5000 });
    assert.deepEqual(moved, ["sync-dead"]);
    const report = await readStatus(dir, { clock: () => T0 + 5000 });
    assert.deepEqual(report.active.map((r) => r.process_id), ["sync-live"]);
    assert.equal(report.completed[0]?.status, "crashed");
    assert.equal(report.completed[0]?.end_time, iso(T0 + 5000));
    assert.match(report.completed[0]?.error ?? "", new RegExp(`process ${gone} ended`));
    const summary = JSON.parse(await Deno.readTextFile(join(dir, STATUS_FILES.summary)));
    assert.deepEqual(summary.by_status, { running: 1, crashed: 1 });
  });
});

Deno.test("prune() removes completed records and logs older than the retention", async () => {
  await withTempDir("status_writer_test_", async (dir) => {
    const day = 86_400_000;
    await mutateStatus(dir, (state) => {
      state.completed["old"] = record("old", { status: "completed", end_time: iso(T0) });
      state.completed["new"] = record("new", {
        status: "completed",
        end_time: iso(T0 + 6 * day),
      });
      state.active["live"] = record("live");
    });
    const logs = join(dir, STATUS_FILES.logs);
    await Deno.mkdir(logs);
    for (const id of ["old", "new", "live", "orphan", "recent-orphan"]) {
      await Deno.writeTextFile(join(logs, `${id}.log`), "line\n");
    }
    await Deno.utime(join(logs, "orphan.log"), new Date(T0), new Date(T0));
    await Deno.utime(
      join(logs, "recent-orphan.log"),
      new Date(T0 + 8 * day),
      new Date(T0 + 8 * day),
    );
    const removed = await prune(dir, { retentionDays: 7, clock: () => T0 + 8 * day });
    assert.deepEqual(removed, ["old"]);
    const report = await readStatus(dir, { checkPid: false, clock: () => T0 + 8 * day });
    assert.deepEqual(report.completed.map((r) => r.process_id), ["new"]);
    const left = [...Deno.readDirSync(logs)].map((e) => e.name).sort();
    assert.deepEqual(left, ["live.log", "new.log", "recent-orphan.log"]);
  });
});

Deno.test("prune() keeps at most maxCompleted records, newest first", async () => {
  await withTempDir("status_writer_test_", async (dir) => {
    await mutateStatus(dir, (state) => {
      for (let i = 0; i < 5; i++) {
        state.completed[`p${i}`] = record(`p${i}`, {
          status: "completed",
          end_time: iso(T0 + i * 1000),
        });
      }
    });
    const removed = await prune(dir, { maxCompleted: 2, clock: () => T0 });
    assert.deepEqual(removed.sort(), ["p0", "p1", "p2"]);
  });
});

Deno.test("mutateStatus() moves a corrupt status file aside instead of failing forever", async () => {
  await withTempDir("status_writer_test_", async (dir) => {
    await Deno.writeTextFile(join(dir, STATUS_FILES.active), "{ half a fi");
    await writeActive(dir, [record("sync-a")]);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.ok(names.some((n) => n.startsWith(`${STATUS_FILES.active}.corrupt-`)));
    const report = await readStatus(dir, { clock: () => T0 });
    assert.deepEqual(report.active.map((r) => r.process_id), ["sync-a"]);
  });
});
