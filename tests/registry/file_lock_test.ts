import assert from "node:assert/strict";
import { join } from "node:path";
import { LockedError } from "../../lib/errors.ts";
import {
  acquireFileLock,
  holderPath,
  probeFileLock,
  withFileLock,
} from "../../lib/registry/file_lock.ts";
import { hostName } from "../../lib/registry/process_info.ts";
import { withTempDir } from "../_fixtures/fs.ts";

/** Holds the lock at `path` through another open file, as another process would. */
async function holdElsewhere(path: string, holder: object | null): Promise<Deno.FsFile> {
  const file = await Deno.open(path, { create: true, read: true, write: true });
  assert.ok(await file.tryLock(true));
  if (holder) await Deno.writeTextFile(holderPath(path), JSON.stringify(holder));
  return file;
}

const OTHER = {
  pid: 4242,
  hostname: "host-a",
  started_at: "2026-07-01T15:30:22Z",
  process_id: null,
};

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
    assert.throws(() => Deno.statSync(holderPath(path)), Deno.errors.NotFound);
    assert.equal(await probeFileLock(path), null);
  });
});

Deno.test("acquireFileLock() writes its holder beside the lock file and removes it on release", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, "new", ".lock");
    const lock = await acquireFileLock(path, {
      processId: "sync-x",
      clock: () => 1_782_920_222_500,
    });
    const holder = JSON.parse(await Deno.readTextFile(holderPath(path)));
    assert.deepEqual(holder, {
      pid: Deno.pid,
      hostname: hostName(),
      started_at: "2026-07-01T15:37:02Z",
      process_id: "sync-x",
    });
    assert.deepEqual(lock.holder, holder);
    assert.deepEqual(await probeFileLock(path), holder);
    lock.release();
    lock.release(); // safe twice
    assert.throws(() => Deno.statSync(holderPath(path)), Deno.errors.NotFound);
    assert.equal(await probeFileLock(path), null);
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
    assert.equal(await withFileLock(path, () => 42, { timeoutMs: 0 }), 42);
  });
});

Deno.test("acquireFileLock() throws LockedError naming the holder once timeoutMs has passed", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    using _other = await holdElsewhere(path, OTHER);
    let now = 0;
    let attempts = 0;
    const options = {
      timeoutMs: 100,
      clock: () => now,
      sleep: (ms: number) => {
        attempts++;
        now += ms;
        return Promise.resolve();
      },
    };
    await assert.rejects(acquireFileLock(path, options), (error: unknown) => {
      assert.ok(error instanceof LockedError);
      assert.equal(
        error.message,
        `Cannot lock "${path}": held by pid 4242 on host-a since 2026-07-01T15:30:22Z; ` +
          "wait for it to finish",
      );
      return true;
    });
    assert.ok(attempts >= 10, `retried until the deadline (${attempts} sleeps)`);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(holderPath(path))), OTHER);
  });
});

Deno.test("acquireFileLock() takes the lock as soon as its holder lets go", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const other = await holdElsewhere(path, null);
    let sleeps = 0;
    const lock = await acquireFileLock(path, {
      sleep: () => {
        if (++sleeps === 3) other.close(); // closing the file releases its lock
        return Promise.resolve();
      },
    });
    assert.equal(sleeps, 3);
    assert.equal(lock.tookOverFrom, null);
    lock.release();
  });
});

Deno.test("acquireFileLock() takes over from a holder killed while holding it, and names it", async () => {
  await withTempDir("file_lock_test_", async (dir) => {
    const path = join(dir, ".lock");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `const f = await Deno.open(${
          JSON.stringify(path)
        }, { create: true, read: true, write: true });
         await f.lock(true);
         await Deno.writeTextFile(${JSON.stringify(holderPath(path))},
           JSON.stringify({ pid: Deno.pid, hostname: "host-b", started_at: "x", process_id: "p" }));
         console.log("locked");
         await new Promise((r) => setTimeout(r, 20000));`,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = child.stdout.getReader();
      await reader.read(); // "locked"
      reader.releaseLock();
      await assert.rejects(acquireFileLock(path, { timeoutMs: 0 }), LockedError);
      child.kill("SIGKILL");
      await child.status;
      // the kernel released the dead holder's lock; its holder file is left behind
      using lock = await acquireFileLock(path, { timeoutMs: 0 });
      assert.equal(lock.tookOverFrom?.pid, child.pid);
      assert.equal(lock.holder.pid, Deno.pid);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.stdout.cancel().catch(() => {});
    }
  });
});
