import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLogFilter, prepareFilter } from "../../lib/logs/filter.ts";
import { readLinesForward } from "../../lib/logs/lines.ts";
import { rawPrefilter } from "../../lib/logs/raw_prefilter.ts";
import { linesOfBytes, linesWithNeedles, scanCandidates } from "../../lib/logs/raw_scan.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const everything = { needles: null, head: null };

/** Bytes that are hard to cut into lines: a byte order mark first, CRLF, empty lines, bad
 * UTF-8, characters of 2–4 bytes, a line far longer than a chunk, no final newline. */
function trickyBytes(): Uint8Array {
  const parts: (string | number[])[] = [
    [0xef, 0xbb, 0xbf],
    '{"timestamp":"2026-01-01T00:00:00.000Z","level":"info","component":"a","message":"é"}\r\n',
    "\n\r\n",
    "plain x line\n",
    [0x61, 0xe2, 0x82, 0x0a], // a cut 3-byte sequence just before the newline
    [0xff, 0xfe, 0x20, 0x78, 0x0a],
    "caf\u00e9 \u2014 \ud83d\ude00 x\n",
    `${"long x ".repeat(400)}\n`,
    [0xef, 0xbb, 0xbf],
    "a mark mid-file stays x\n",
    "last x without newline\r",
  ];
  const chunks = parts.map((p) => (typeof p === "string" ? encode(p) : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function scanAll(
  path: string,
  prefilter: Parameters<typeof scanCandidates>[1],
  options = {},
) {
  const lines: string[] = [];
  for await (const batch of scanCandidates(path, prefilter, options)) lines.push(...batch.lines);
  return lines;
}

Deno.test("linesWithNeedles() cuts whole lines, once each, in order, without \\r", () => {
  const text = "a x1\nb\r\nc x2 y\r\nd y\ne\n";
  assert.deepEqual(linesWithNeedles(text, ["y", "x"]), ["a x1", "c x2 y", "d y"]);
  assert.deepEqual(linesWithNeedles("no newline x", ["x"]), ["no newline x"]);
  assert.deepEqual(linesWithNeedles("caf\u00e9 \u2014\nother", ["\u00e9 \u2014"]), [
    "caf\u00e9 \u2014",
  ]);
  assert.deepEqual(linesWithNeedles(text, ["zzz"]), []);
});

Deno.test("scanCandidates() gives the lines readLinesForward() gives, for any chunk size", async () => {
  await withTempDir("raw-scan-", async (dir) => {
    const path = join(dir, "main.log");
    const bytes = trickyBytes();
    await Deno.writeFile(path, bytes);
    const plain: string[] = [];
    for await (const batch of readLinesForward(path)) plain.push(...batch);
    assert.equal(plain[0]!.charCodeAt(0), 123, "the mark at the start is dropped");
    assert.ok(plain.includes("\ufeffa mark mid-file stays x"));
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, 1 << 22]) {
      assert.deepEqual(await scanAll(path, everything, { chunkSize }), plain, `chunk ${chunkSize}`);
      assert.deepEqual(
        await scanAll(path, { needles: [" x"], head: null }, { chunkSize }),
        plain.filter((l) => l.includes(" x")),
        `needle, chunk ${chunkSize}`,
      );
    }
    assert.deepEqual(linesOfBytes(bytes, everything), linesOfBytes(bytes, null));
    assert.deepEqual(linesOfBytes(bytes, null), plain);
  });
});

Deno.test("scanCandidates() finds lines across chunk borders and reports each chunk's first time", async () => {
  await withTempDir("raw-scan-", async (dir) => {
    const path = join(dir, "main.log");
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        level: i % 50 === 7 ? "error" : "info",
        component: "sync",
        message: `line ${i} ${"é".repeat(i % 5)}`,
      }));
    const unfinished = '{"timestamp":"2026-01-01T01:00:00.000Z","level":"error"';
    await Deno.writeFile(path, encode(lines.join("\n") + "\n" + unfinished));
    const errors = rawPrefilter(prepareFilter(buildLogFilter({ level: "error" })));
    const found: string[] = [];
    const firsts: (string | null)[] = [];
    const ends: number[] = [];
    for await (const batch of scanCandidates(path, errors, { chunkSize: 997 })) {
      found.push(...batch.lines);
      firsts.push(batch.firstTimestamp);
      ends.push(batch.end);
    }
    assert.deepEqual(found, [lines[7], lines[57], lines[107], lines[157], unfinished]);
    assert.equal(firsts[0], "2026-01-01T00:00:00.000Z");
    assert.ok(firsts.every((t, i) => i === 0 || t === null || t >= firsts[i - 1]!));
    assert.ok(ends.every((end, i) => i === 0 || end > ends[i - 1]!));
    assert.equal(ends.at(-1), (await Deno.stat(path)).size);
    const offset = encode(lines.slice(0, 100).join("\n") + "\n").length;
    const tail = await scanAll(path, errors, { start: offset, end: offset + 50000 });
    assert.deepEqual(tail, [lines[107], lines[157], unfinished]);
  });
});

Deno.test("scanCandidates() reads lines longer than its chunk", async () => {
  await withTempDir("raw-scan-", async (dir) => {
    const path = join(dir, "main.log");
    const long = `{"timestamp":"2026-01-01T00:00:00.000Z","level":"error","message":"${
      "x".repeat(300)
    }"}`;
    await Deno.writeTextFile(path, `${long}\nshort needle\n${long}\n`);
    const found = await scanAll(path, { needles: ["xxxx"], head: null }, { chunkSize: 16 });
    assert.deepEqual(found, [long, long]);
  });
});
