import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import {
  ensurePrivateDir,
  openPrivateAppendSync,
  touchPrivateFile,
} from "../../lib/util/private_files.ts";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

/** `root` and every file and directory under it, with their permission bits. */
async function modesUnder(root: string): Promise<Map<string, number>> {
  const found = new Map<string, number>([[root, await mode(root)]]);
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isSymlink) continue;
      found.set(path, await mode(path));
      if (entry.isDirectory) await walk(path);
    }
  };
  await walk(root);
  return found;
}

Deno.test("ensurePrivateDir(), touchPrivateFile() and openPrivateAppendSync() create 0700 / 0600", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await ensurePrivateDir(join(dir, "a", "b"));
    assert.equal(await mode(join(dir, "a")), 0o700);
    assert.equal(await mode(join(dir, "a", "b")), 0o700);
    await touchPrivateFile(join(dir, "a", "f"));
    await touchPrivateFile(join(dir, "a", "f")); // an existing file is kept
    assert.equal(await mode(join(dir, "a", "f")), 0o600);
    openPrivateAppendSync(join(dir, "a", "g")).close();
    assert.equal(await mode(join(dir, "a", "g")), 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a sync and a log export leave only 0600 files and 0700 directories, wherever they are pointed", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 12, seed: 5 });
  try {
    // log and status directories outside the data directory, several levels deep
    const logDir = join(box.dir, "elsewhere", "deep", "logs");
    const statusDir = join(box.dir, "status-root", "nested");
    const env = {
      ...box.env,
      FASTINTERCOM_LOG_DIR: logDir,
      FASTINTERCOM_STATUS_DIR: statusDir,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    };
    const sync = await runCli(["sync", "--all"], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const exported = join(box.dir, "exports", "x", "logs.jsonl");
    const run = await runCli(["logs", "export", "--output", exported], { env });
    assert.equal(run.code, 0, run.stderr);
    const modes = new Map([
      ...await modesUnder(box.dataDir),
      ...await modesUnder(join(box.dir, "elsewhere")),
      ...await modesUnder(join(box.dir, "status-root")),
      ...await modesUnder(join(box.dir, "exports")),
    ]);
    for (const expected of [join(logDir, "main.log"), join(box.dataDir, "data.db"), exported]) {
      assert.ok(modes.has(expected), `${expected} was written`);
    }
    assert.ok([...modes.keys()].some((p) => p.startsWith(statusDir + "/")), "status files written");
    const wrong: string[] = [];
    for (const [path, bits] of modes) {
      const want = (await Deno.stat(path)).isDirectory ? 0o700 : 0o600;
      if (bits !== want) wrong.push(`${path} is ${bits.toString(8)}, not ${want.toString(8)}`);
    }
    assert.deepEqual(wrong, []);
  } finally {
    await sim.close();
  }
});
