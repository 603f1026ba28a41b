import assert from "node:assert/strict";
import { join } from "node:path";
import { ownLockProcessId } from "../../lib/mcp/sync_runner.ts";

Deno.test("ownLockProcessId() reads this process's sync id from the lock holder file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "sync.lock.json");
    assert.equal(await ownLockProcessId(path), null, "missing file");
    const holder = { pid: Deno.pid, hostname: "h", started_at: "2026-01-01T00:00:00Z" };
    await Deno.writeTextFile(path, JSON.stringify({ ...holder, process_id: null }));
    assert.equal(await ownLockProcessId(path), null, "not registered yet");
    await Deno.writeTextFile(path, JSON.stringify({ ...holder, process_id: "sync-1" }));
    assert.equal(await ownLockProcessId(path), "sync-1");
    await Deno.writeTextFile(
      path,
      JSON.stringify({ ...holder, pid: Deno.pid + 1, process_id: "x" }),
    );
    assert.equal(await ownLockProcessId(path), null, "another process's sync");
    await Deno.writeTextFile(path, "{half");
    assert.equal(await ownLockProcessId(path), null, "being replaced");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
