import assert from "node:assert/strict";
import { join } from "node:path";
import { LockedError } from "../../lib/errors.ts";
import { acquireFileLock, type LockHolder, withFileLock } from "../../lib/registry/file_lock.ts";
import { hostName, ownStartTime } from "../../lib/registry/process_info.ts";
import { deadPid, withTempDir } from "../_fixtures/fs.ts";

function holder(overrides: Partial<LockHolder>): string {
  return JSON.stringify({
    pid: Deno.pid,
    pid_start_time: null,
    hostname: hostName(),
    acquired_ms: Date.now(),
    token: "someone-else",
    ...overrides,
  });
}

Deno.test("withFileLock() runs callers one at a time", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 8 }, (_, i) =>
      withFileLock(path, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((resolve) => setTimeout(resolve, 2));
        order.push(i);
        inside--;
      })));
    assert.equal(maxInside, 1);
    assert.equal(order.length, 8);
    assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
  });
});

Deno.test("acquireFileLock() writes the holder's pid and start time into the lock file", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const lock = await acquireFileLock(path);
    const content = JSON.parse(await Deno.readTextFile(path));
    assert.equal(content.pid, Deno.pid);
    assert.equal(content.pid_start_time, await ownStartTime());
    assert.equal(content.hostname, hostName());
    assert.equal(typeof content.acquired_ms, "number");
    await lock.release();
    await lock.release();
    assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
  });
});

Deno.test("withFileLock() releases the lock when the callback throws", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    await assert.rejects(
      withFileLock(path, () => {
        throw new RangeError("inside");
      }),
      RangeError,
    );
    assert.equal(await withFileLock(path, () => 42), 42);
  });
});

Deno.test("acquireFileLock() breaks a lock whose holder process is gone", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    await Deno.writeTextFile(path, holder({ pid: await deadPid(), acquired_ms: Date.now() - 600 }));
    await withFileLock(path, async () => {
      assert.equal(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
    }, { timeoutMs: 2000 });
  });
});

Deno.test("acquireFileLock() breaks a lock whose pid was reused by a later process", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const stale = holder({ pid_start_time: "2000-01-01T00:00:00Z", acquired_ms: Date.now() - 600 });
    await Deno.writeTextFile(path, stale);
    await withFileLock(path, () => {}, { timeoutMs: 2000 });
  });
});

Deno.test("acquireFileLock() breaks a lock older than staleMs even if its holder lives", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    await Deno.writeTextFile(path, holder({ acquired_ms: Date.now() - 60_000 }));
    await withFileLock(path, () => {}, { timeoutMs: 2000 });
  });
});

Deno.test("acquireFileLock() throws LockedError when a live holder keeps the lock", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    await Deno.writeTextFile(path, holder({ pid_start_time: await ownStartTime() }));
    await assert.rejects(acquireFileLock(path, { timeoutMs: 50 }), (error: unknown) => {
      assert.ok(error instanceof LockedError);
      assert.match(error.message, new RegExp(`held by pid ${Deno.pid}`));
      return true;
    });
    assert.equal(JSON.parse(await Deno.readTextFile(path)).token, "someone-else");
  });
});

Deno.test("release() leaves alone a lock that was taken over by someone else", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const lock = await acquireFileLock(path);
    await Deno.writeTextFile(path, holder({}));
    await lock.release();
    assert.equal(JSON.parse(await Deno.readTextFile(path)).token, "someone-else");
  });
});

Deno.test("acquireFileLock() waits for a live holder past the check age, then gives up", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const live = holder({ pid_start_time: await ownStartTime(), acquired_ms: Date.now() - 600 });
    await Deno.writeTextFile(path, live);
    await assert.rejects(acquireFileLock(path, { timeoutMs: 100 }), LockedError);
    assert.equal(await Deno.readTextFile(path), live);
  });
});
