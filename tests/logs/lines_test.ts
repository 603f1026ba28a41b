import assert from "node:assert/strict";
import { join } from "node:path";
import { readLinesBackward, readLinesForward } from "../../lib/logs/lines.ts";

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "log-lines-" });
  try {
    const path = join(dir, "f.log");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function collect(gen: AsyncGenerator<string[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of gen) out.push(...batch);
  return out;
}

const TEXT = "first\r\nsecond — é\n\nfourth with a longer body than the chunk\nlast-no-newline";
const LINES = [
  "first",
  "second — é",
  "",
  "fourth with a longer body than the chunk",
  "last-no-newline",
];

Deno.test("readLinesForward() splits lines across chunk boundaries and multibyte characters", async () => {
  await withFile(TEXT, async (path) => {
    for (const chunkSize of [1, 2, 3, 7, 1 << 20]) {
      assert.deepEqual(await collect(readLinesForward(path, { chunkSize })), LINES, `${chunkSize}`);
    }
  });
});

Deno.test("readLinesForward() starts at an offset and stops at an end", async () => {
  await withFile("aa\nbb\ncc\ndd\n", async (path) => {
    assert.deepEqual(await collect(readLinesForward(path, { start: 3, end: 9 })), ["bb", "cc"]);
  });
});

Deno.test("readLinesBackward() yields newest first, whatever the chunk size", async () => {
  await withFile(TEXT, async (path) => {
    for (const chunkSize of [1, 2, 5, 1 << 18]) {
      assert.deepEqual(
        await collect(readLinesBackward(path, { chunkSize })),
        [...LINES].reverse(),
        `${chunkSize}`,
      );
    }
  });
});

Deno.test("readLinesBackward() stops at an end offset and handles a trailing newline", async () => {
  await withFile("aa\nbb\ncc\n", async (path) => {
    assert.deepEqual(await collect(readLinesBackward(path, { chunkSize: 2 })), ["cc", "bb", "aa"]);
    assert.deepEqual(await collect(readLinesBackward(path, { end: 6 })), ["bb", "aa"]);
  });
});
