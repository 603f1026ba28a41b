import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import {
  levelRank,
  messageOf,
  parseLevelName,
  parseLevelRange,
  parseLogEntry,
  parseLogHead,
  timestampOf,
} from "../../lib/logs/entry.ts";

const LINE = '{"timestamp":"2026-07-01T15:30:45.123Z","level":"error","component":"sync",' +
  '"message":"sync failed: \\"quoted\\" — and a \\\\ backslash","session_id":"sess-1","pid":42,' +
  '"process_id":"sync-1","reason":"boom","runId":3}';

Deno.test("parseLevelName() accepts LogTape names, aliases and Python-style upper case", () => {
  const cases: [string, string | null][] = [
    ["debug", "debug"],
    ["INFO", "info"],
    ["warning", "warning"],
    ["warn", "warning"],
    ["WARNING", "warning"],
    ["Error", "error"],
    ["fatal", "fatal"],
    ["CRITICAL", "fatal"],
    ["verbose", null],
  ];
  for (const [text, expected] of cases) assert.equal(parseLevelName(text), expected, text);
});

Deno.test("parseLevelRange() reads a minimum or a range of levels", () => {
  const r = (name: string) => levelRank(name);
  const cases: [string, { min: number; max: number }][] = [
    ["warning", { min: r("warning"), max: r("fatal") }],
    ["ERROR", { min: r("error"), max: r("fatal") }],
    ["warning..error", { min: r("warning"), max: r("error") }],
    ["warn..ERROR", { min: r("warning"), max: r("error") }],
    ["..info", { min: 0, max: r("info") }],
    ["error..", { min: r("error"), max: r("fatal") }],
    ["critical", { min: r("fatal"), max: r("fatal") }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseLevelRange(text), expected, text);
});

Deno.test("parseLevelRange() rejects unknown levels and reversed ranges with exit code 2", () => {
  for (const bad of ["loud", "error..warning", "info..warning..error", "..nope"]) {
    assert.throws(() => parseLevelRange(bad), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /--level ".*" is not valid .*debug, info, warning \(warn\)/);
      return true;
    }, bad);
  }
});

Deno.test("parseLogHead() reads timestamp, level and component without parsing the line", () => {
  const head = parseLogHead(LINE);
  assert.equal(head?.timestamp, "2026-07-01T15:30:45.123Z");
  assert.equal(head?.level, "error");
  assert.equal(head?.component, "sync");
  assert.equal(typeof head?.messageAt, "number");
});

Deno.test("parseLogHead() falls back to JSON for other key orders and rejects non-records", () => {
  const reordered = '{"level":"info","timestamp":"2026-07-01T15:30:45+02:00","component":"api",' +
    '"message":"m"}';
  assert.deepEqual(parseLogHead(reordered), {
    timestamp: "2026-07-01T13:30:45.000Z",
    level: "info",
    component: "api",
  });
  for (const bad of ["", "plain text", '{"level":"info"}', "[1,2]", '{"timestamp":"2026-07-0']) {
    assert.equal(parseLogHead(bad), null, bad);
  }
});

Deno.test("parseLogEntry() keeps the message apart from the properties", () => {
  const entry = parseLogEntry(LINE);
  assert.ok(entry);
  assert.equal(entry.message, 'sync failed: "quoted" — and a \\ backslash');
  assert.equal(entry.sessionId, "sess-1");
  assert.equal(entry.pid, 42);
  assert.equal(entry.processId, "sync-1");
  assert.deepEqual(entry.properties, { reason: "boom", runId: 3 });
  assert.equal(entry.raw, LINE);
});

Deno.test("messageOf() reads the message from the raw line, escapes included", () => {
  const head = parseLogHead(LINE)!;
  assert.equal(messageOf(LINE, head), 'sync failed: "quoted" — and a \\ backslash');
  const plain = '{"timestamp":"2026-07-01T15:30:45.123Z","level":"info","component":"api",' +
    '"message":"GET /me 200","pid":1}';
  assert.equal(messageOf(plain, parseLogHead(plain)!), "GET /me 200");
  const endsInBackslash = '{"timestamp":"2026-07-01T15:30:45.123Z","level":"info",' +
    '"component":"api","message":"C:\\\\","pid":1}';
  assert.equal(messageOf(endsInBackslash, parseLogHead(endsInBackslash)!), "C:\\");
});

Deno.test("timestampOf() reads only the timestamp", () => {
  assert.equal(timestampOf(LINE), "2026-07-01T15:30:45.123Z");
  assert.equal(timestampOf("garbage"), null);
});

Deno.test("messageOf() decodes escaped line breaks and unicode escapes", () => {
  const line = '{"timestamp":"2026-07-01T15:30:45.123Z","level":"info","component":"api",' +
    '"message":"two\\nlines \\u00e9","pid":1}';
  assert.equal(messageOf(line, parseLogHead(line)!), "two\nlines é");
});
