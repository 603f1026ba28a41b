import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { parseIsoSeconds, parseTimeSpec, parseTimeSpecFlag } from "../../lib/util/time_spec.ts";

const NOW = Date.UTC(2026, 6, 1, 15, 30, 22) / 1000; // 2026-07-01T15:30:22Z

Deno.test("parseTimeSpec() resolves durations, words and phrases relative to now", () => {
  const cases: [string, number][] = [
    ["30s", NOW - 30],
    ["15m", NOW - 900],
    ["1h30m", NOW - 5400],
    ["2d", NOW - 172800],
    ["now", NOW],
    ["today", Date.UTC(2026, 6, 1) / 1000],
    ["yesterday", Date.UTC(2026, 5, 30) / 1000],
    ["2 days ago", NOW - 172800],
    ["1 hour ago", NOW - 3600],
    ["3 weeks ago", NOW - 3 * 604800],
    ["@1767225600", 1767225600],
  ];
  for (const [text, expected] of cases) assert.equal(parseTimeSpec(text, NOW), expected, text);
});

Deno.test("parseTimeSpec() reads ISO dates and times as UTC unless an offset is given", () => {
  assert.equal(parseTimeSpec("2026-01-02", NOW), Date.UTC(2026, 0, 2) / 1000);
  assert.equal(parseTimeSpec("2026-01-02 15:04", NOW), Date.UTC(2026, 0, 2, 15, 4) / 1000);
  assert.equal(parseTimeSpec("2026-01-02T15:04:05Z", NOW), Date.UTC(2026, 0, 2, 15, 4, 5) / 1000);
  assert.equal(
    parseTimeSpec("2026-01-02T15:04:05.123Z", NOW),
    Date.UTC(2026, 0, 2, 15, 4, 5) / 1000,
  );
  assert.equal(
    parseTimeSpec("2026-01-02T15:04:05+05:30", NOW),
    Date.UTC(2026, 0, 2, 9, 34, 5) / 1000,
  );
  assert.equal(
    parseTimeSpec("2026-01-02T15:04:05-0400", NOW),
    Date.UTC(2026, 0, 2, 19, 4, 5) / 1000,
  );
});

Deno.test("parseIsoSeconds() rejects impossible dates", () => {
  assert.equal(parseIsoSeconds("2026-02-30"), null);
  assert.equal(parseIsoSeconds("2026-13-01"), null);
  assert.equal(parseIsoSeconds("2026-01-01 25:00"), null);
});

Deno.test("parseTimeSpecFlag() rejects anything else with the accepted forms", () => {
  for (const bad of ["yesterdayish", "", "5 parsecs ago", "tomorrow", "-3d", "2026/01/02"]) {
    assert.throws(() => parseTimeSpecFlag("--since", bad, NOW), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /cannot parse --since ".*": use a duration \(30s/);
      assert.match(error.message, /ISO date/);
      return true;
    }, bad);
  }
});
