import assert from "node:assert/strict";
import { join } from "node:path";
import { timestampOf } from "../../lib/logs/entry.ts";
import { readLinesForward } from "../../lib/logs/lines.ts";
import { firstTimestamp, lastTimestamp, seekToTime } from "../../lib/logs/seek.ts";

const BASE = Date.UTC(2026, 6, 1);

function line(ms: number, padding: number): string {
  return JSON.stringify({
    timestamp: new Date(ms).toISOString(),
    level: "info",
    component: "sync",
    message: "x".repeat(padding),
  }) + "\n";
}

/** A file of `count` lines one second apart, some very long, with a garbage line inside. */
async function makeFile(dir: string, count: number): Promise<string> {
  const path = join(dir, "main.log");
  let text = "";
  for (let i = 0; i < count; i++) {
    text += line(BASE + i * 1000, i % 97 === 0 ? 70_000 : 40 + (i % 13) * 30);
    if (i === count / 2) text += "not a log line\n";
  }
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("seekToTime() finds an offset from which every line at or after the target is read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-seek-" });
  try {
    const path = await makeFile(dir, 3000);
    const size = (await Deno.stat(path)).size;
    for (const second of [0, 1, 96, 97, 1500, 1501, 2999, 3000, 5000]) {
      const target = new Date(BASE + second * 1000).toISOString();
      const offset = await seekToTime(path, target, size);
      const times: string[] = [];
      for await (const lines of readLinesForward(path, { start: offset })) {
        for (const l of lines) {
          const ts = timestampOf(l);
          if (ts !== null) times.push(ts);
        }
      }
      const expected = Math.max(0, 3000 - second);
      assert.equal(times.filter((t) => t >= target).length, expected, `second ${second}`);
      assert.ok(offset === 0 || times[0]! < target || expected === 0, "starts at a line start");
      // it skips most of the file: what it reads before the target is under one probe span
      const before = times.filter((t) => t < target).length;
      assert.ok(before < 400, `read ${before} older lines for second ${second}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("firstTimestamp() and lastTimestamp() read the ends of a file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-seek-" });
  try {
    const path = await makeFile(dir, 10);
    assert.equal(await firstTimestamp(path), new Date(BASE).toISOString());
    assert.equal(await lastTimestamp(path), new Date(BASE + 9000).toISOString());
    const empty = join(dir, "empty.log");
    await Deno.writeTextFile(empty, "");
    assert.equal(await firstTimestamp(empty), null);
    assert.equal(await lastTimestamp(empty), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
