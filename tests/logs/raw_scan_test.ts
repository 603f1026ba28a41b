import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLogFilter, prepareFilter } from "../../lib/logs/filter.ts";
import {
  linesWithNeedles,
  needleSafe,
  rawPrefilter,
  requiredPrefix,
  scanCandidates,
} from "../../lib/logs/raw_scan.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const needlesOf = (flags: Parameters<typeof buildLogFilter>[0]) =>
  rawPrefilter(prepareFilter(buildLogFilter(flags)));

Deno.test("needleSafe() refuses strings that could match in the LEVEL component: prefix", () => {
  for (const safe of ["Retrying GET", "database is locked", "HTTP 503", "sync failed"]) {
    assert.equal(needleSafe(safe), true, safe);
  }
  for (
    const unsafe of [
      "ERROR", // the upper-case level word exists only in the filter text
      "R sync", // the end of a level word and a component
      "sync: sync failed", // spans the prefix's end
      " failed", // could start at the prefix's last space
      "api", // a component name, or part of one
      'say "hi"', // JSON escapes quotes in the raw line
      "ab", // too short to be worth it
    ]
  ) assert.equal(needleSafe(unsafe), false, unsafe);
});

Deno.test("rawPrefilter() picks ids, then a pattern's plain strings, then warning-or-worse levels", () => {
  const strings = (...s: string[]) => ({ kind: "strings", strings: s });
  assert.deepEqual(needlesOf({ session: "sess-1234" }), strings("sess-1234"));
  assert.deepEqual(
    needlesOf({ filter: ["Retrying GET|HTTP 503"] }),
    strings("Retrying GET", "HTTP 503"),
  );
  assert.deepEqual(needlesOf({ level: "error" }), { kind: "levels", levels: ["error", "fatal"] });
  assert.deepEqual(needlesOf({ level: "warning..warning" }), {
    kind: "levels",
    levels: ["warning"],
  });
  assert.equal(needlesOf({ level: "info" }), null);
  assert.equal(needlesOf({ filter: ["(HTTP|http) 5\\d\\d"] }), null, "no plain prefix, no needle");
  assert.equal(needlesOf({ filter: ["ERROR sync"] }), null);
});

Deno.test("linesWithNeedles() cuts whole lines, once each, in order, without \\r", () => {
  const text = "a x1\nb\r\nc x2 y\r\nd y\ne\n";
  assert.deepEqual(linesWithNeedles(text, ["y", "x"]), ["a x1", "c x2 y", "d y"]);
  assert.deepEqual(linesWithNeedles("no newline x", ["x"]), ["no newline x"]);
  assert.deepEqual(linesWithNeedles(text, ["zzz"]), []);
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
    await Deno.writeTextFile(
      path,
      lines.join("\n") + "\n" + '{"timestamp":"2026-01-01T01:00:00.000Z","level":"error"',
    );
    const found: string[] = [];
    const firsts: (string | null)[] = [];
    const errors = { kind: "levels", levels: ["error"] } as const;
    for await (const batch of scanCandidates(path, errors, { chunkSize: 997 })) {
      found.push(...batch.lines);
      firsts.push(batch.firstTimestamp);
    }
    assert.deepEqual(
      found.map((l) => l.slice(0, 40)),
      [lines[7], lines[57], lines[107], lines[157]].map((l) => l!.slice(0, 40))
        .concat(['{"timestamp":"2026-01-01T01:00:00.000Z",']),
    );
    assert.equal(firsts[0], "2026-01-01T00:00:00.000Z");
    assert.ok(firsts.every((t, i) => i === 0 || t === null || t >= firsts[i - 1]!));
    const tail: string[] = [];
    const offset = new TextEncoder().encode(lines.slice(0, 100).join("\n") + "\n").length;
    for await (
      const b of scanCandidates(path, errors, { start: offset, end: offset + 50000 })
    ) {
      tail.push(...b.lines);
    }
    assert.equal(tail.length, 3, "lines 107 and 157 and the unfinished last line");
  });
});

Deno.test("scanCandidates() reads lines longer than its chunk", async () => {
  await withTempDir("raw-scan-", async (dir) => {
    const path = join(dir, "main.log");
    const long = `{"timestamp":"2026-01-01T00:00:00.000Z","level":"error","message":"${
      "x".repeat(300)
    }"}`;
    await Deno.writeTextFile(path, `${long}\nshort needle\n${long}\n`);
    const found: string[] = [];
    for await (
      const b of scanCandidates(path, { kind: "strings", strings: ["xxxx"] }, { chunkSize: 16 })
    ) {
      found.push(...b.lines);
    }
    assert.deepEqual(found, [long, long]);
  });
});

Deno.test("requiredPrefix() finds the plain text a regex match starts with", () => {
  const cases: [RegExp, string | null][] = [
    [/HTTP 5\d\d/, "HTTP 5"],
    [/database is locked/, "database is locked"],
    [/timeouts?/, "timeout"],
    [/GET \/me\?x/, "GET /me?x"],
    [/sync (failed|done)/, null],
    [/^sync/, null],
    [/ab\d/, null],
    [/http 5/i, null],
  ];
  for (const [pattern, expected] of cases) {
    assert.equal(requiredPrefix(pattern), expected, String(pattern));
  }
  assert.deepEqual(needlesOf({ filter: ["HTTP 5\\d\\d"] }), {
    kind: "strings",
    strings: ["HTTP 5"],
  });
});
