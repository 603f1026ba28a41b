import assert from "node:assert/strict";
import {
  hostName,
  isProcessAlive,
  normalizeLstart,
  ownStartTime,
  processStartTime,
  processStartTimes,
} from "../../lib/registry/process_info.ts";
import { deadPid } from "../_fixtures/fs.ts";

/** The pid of a child that has exited and been reaped. */

Deno.test("normalizeLstart() turns ps lstart output into a UTC ISO time", () => {
  const cases: [string, string | null][] = [
    ["Sun Nov 29 01:49:57 2026", "2026-11-29T01:49:57Z"],
    ["Wed Jul  1 15:30:22 2026\n", "2026-07-01T15:30:22Z"],
    ["  Thu Jan  2 03:04:05 2025 ", "2025-01-02T03:04:05Z"],
    ["2026-07-01 15:30:22", null],
    ["Sun Foo 29 01:49:57 2026", null],
    ["", null],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeLstart(input), expected, input);
});

Deno.test("isProcessAlive() is true for this process and false for an exited one", async () => {
  assert.equal(isProcessAlive(Deno.pid), true);
  assert.equal(isProcessAlive(await deadPid()), false);
  assert.equal(isProcessAlive(0), false);
  assert.equal(isProcessAlive(-5), false);
});

Deno.test("processStartTime() reports this process's start as a UTC second", async () => {
  const start = await processStartTime(Deno.pid);
  assert.match(start ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.ok(Date.parse(start!) <= Date.now());
  assert.ok(Date.now() - Date.parse(start!) < 10 * 60_000);
  assert.equal(await ownStartTime(), start);
});

Deno.test("processStartTimes() leaves out pids that do not exist", async () => {
  const gone = await deadPid();
  const times = await processStartTimes([Deno.pid, gone, Deno.pid]);
  assert.deepEqual([...(times?.keys() ?? [])], [Deno.pid]);
  assert.equal(await processStartTime(gone), null);
  assert.deepEqual(await processStartTimes([]), new Map());
});

Deno.test("hostName() names this machine", () => {
  assert.equal(hostName(), Deno.hostname());
});

Deno.test("process_info answers null without --allow-run instead of throwing", async () => {
  const url = new URL("../../lib/registry/process_info.ts", import.meta.url).href;
  const code = `import * as p from "${url}";
    console.log(JSON.stringify([p.isProcessAlive(1), await p.processStartTime(Deno.pid)]));`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--quiet", "--ext=ts", "-"],
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const output = await child.output();
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "[null,null]");
});
