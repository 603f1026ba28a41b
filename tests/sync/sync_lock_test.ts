import assert from "node:assert/strict";
import { join } from "node:path";
import { LockedError } from "../../lib/errors.ts";
import { acquireSyncLock, probeSyncLock } from "../../lib/sync/sync_lock.ts";

Deno.test("acquireSyncLock() creates the directory, records the holder and releases", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "new", "sync.lock");
    assert.equal(await probeSyncLock(path), null);
    const lock = await acquireSyncLock(path);
    assert.equal(lock.holder.pid, Deno.pid);
    assert.match(lock.holder.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await lock.setProcessId("sync-20260701-153022-abc123");
    const info = JSON.parse(await Deno.readTextFile(`${path}.json`));
    assert.equal(info.process_id, "sync-20260701-153022-abc123");
    lock.release();
    lock.release(); // safe twice
    assert.equal(await probeSyncLock(path), null);
    await assert.rejects(Deno.stat(`${path}.json`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireSyncLock() refuses while another process holds it, naming the holder", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "sync.lock");
  const holderCode = `
    const f = await Deno.open(${JSON.stringify(path)}, { create: true, read: true, write: true });
    await f.lock(true);
    await Deno.writeTextFile(${JSON.stringify(path + ".json")}, JSON.stringify({
      pid: Deno.pid, hostname: "host-a", started_at: "2026-07-01T15:30:22Z", process_id: "sync-x" }));
    console.log("locked");
    await new Promise((r) => setTimeout(r, 20000));`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", holderCode],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    await reader.read(); // "locked"
    reader.releaseLock();
    await assert.rejects(acquireSyncLock(path), (error: unknown) => {
      assert.ok(error instanceof LockedError);
      assert.match(
        error.message,
        /another sync is already running .*\(pid \d+ on host-a, started 2026-07-01T15:30:22Z, process sync-x\)/,
      );
      return true;
    });
    assert.equal((await probeSyncLock(path))?.process_id, "sync-x");
    child.kill("SIGKILL");
    await child.status;
    // the kernel released the dead holder's lock: it is taken over
    using lock = await acquireSyncLock(path);
    assert.equal(lock.tookOverFrom?.process_id, "sync-x");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
