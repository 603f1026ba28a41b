import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import {
  parseBound,
  parseTimeframe,
  parseTimeframeOrThrow,
  TIMEFRAME_FORMS,
} from "../../lib/util/timeframe.ts";

// Wednesday 2026-07-01T15:30:22Z
const NOW = Date.UTC(2026, 6, 1, 15, 30, 22) / 1000;
const utc = (...parts: [number, number, number?, number?, number?, number?]) =>
  Date.UTC(...parts) / 1000;

Deno.test("parseTimeframe() resolves calendar words on the UTC calendar, weeks from Monday", () => {
  const cases: [string, number | null, number | null, string][] = [
    ["today", utc(2026, 6, 1), NOW, "today"],
    ["yesterday", utc(2026, 5, 30), utc(2026, 6, 1) - 1, "yesterday"],
    ["this week", utc(2026, 5, 29), NOW, "this week"],
    ["last week", utc(2026, 5, 22), utc(2026, 5, 29) - 1, "last week"],
    ["previous week", utc(2026, 5, 22), utc(2026, 5, 29) - 1, "last week"],
    ["this month", utc(2026, 6, 1), NOW, "this month"],
    ["last month", utc(2026, 5, 1), utc(2026, 6, 1) - 1, "last month"],
    ["this year", utc(2026, 0, 1), NOW, "this year"],
    ["last year", utc(2025, 0, 1), utc(2026, 0, 1) - 1, "last year"],
    ["all time", null, null, "all time"],
    ["  This   WEEK ", utc(2026, 5, 29), NOW, "this week"],
  ];
  for (const [text, start, end, label] of cases) {
    assert.deepEqual(parseTimeframe(text, NOW), { start, end, label }, text);
  }
});

Deno.test("parseTimeframe() resolves rolling windows ending now", () => {
  const cases: [string, number, string][] = [
    ["last 24 hours", NOW - 86400, "last 24 hours"],
    ["last hour", NOW - 3600, "last 1 hour"],
    ["past 30 minutes", NOW - 1800, "last 30 minutes"],
    ["last 7 days", NOW - 7 * 86400, "last 7 days"],
    ["last 1 day", NOW - 86400, "last 1 day"],
    ["last 2 weeks", NOW - 14 * 86400, "last 2 weeks"],
    ["last 3 months", utc(2026, 3, 1, 15, 30, 22), "last 3 months"],
  ];
  for (const [text, start, label] of cases) {
    assert.deepEqual(parseTimeframe(text, NOW), { start, end: NOW, label }, text);
  }
});

Deno.test("parseTimeframe() clamps month arithmetic to the shorter month", () => {
  const may31 = utc(2026, 4, 31, 12);
  assert.equal(parseTimeframe("last month", may31)?.start, utc(2026, 3, 1));
  assert.equal(parseTimeframe("last 3 months", may31)?.start, utc(2026, 1, 28, 12));
});

Deno.test("parseTimeframe() reads since/before, single dates and ranges", () => {
  const cases: [string, number | null, number | null][] = [
    ["since 2026-01-01", utc(2026, 0, 1), NOW],
    ["since yesterday", utc(2026, 5, 30), NOW],
    ["since 3 days ago", NOW - 3 * 86400, NOW],
    ["after 2026-06-30T12:00:00Z", utc(2026, 5, 30, 12), NOW],
    ["before 2026-01-01", null, utc(2026, 0, 1) - 1],
    ["2026-01-05", utc(2026, 0, 5), utc(2026, 0, 6) - 1],
    ["2026-01-05 to 2026-01-12", utc(2026, 0, 5), utc(2026, 0, 13) - 1],
    ["from 2026-01-05 to 2026-01-12", utc(2026, 0, 5), utc(2026, 0, 13) - 1],
    ["between 2026-01-05 and 2026-01-12", utc(2026, 0, 5), utc(2026, 0, 13) - 1],
    ["2026-01-05 - 2026-01-12", utc(2026, 0, 5), utc(2026, 0, 13) - 1],
    ["2026-01-05T08:00Z to 2026-01-05T09:30Z", utc(2026, 0, 5, 8), utc(2026, 0, 5, 9, 30)],
  ];
  for (const [text, start, end] of cases) {
    const frame = parseTimeframe(text, NOW);
    assert.ok(frame, text);
    assert.deepEqual([frame.start, frame.end], [start, end], text);
  }
});

Deno.test("parseTimeframe() returns null for what it does not understand", () => {
  for (
    const text of [
      "",
      "soon",
      "last fortnight",
      "last 0 days",
      "since whenever",
      "2026-02-30",
      "2026-01-12 to 2026-01-05",
      "next week",
    ]
  ) {
    assert.equal(parseTimeframe(text, NOW), null, text);
  }
});

Deno.test("parseTimeframeOrThrow() names the parameter, the value and the accepted forms", () => {
  assert.throws(
    () => parseTimeframeOrThrow("timeframe", "last fortnight", NOW),
    (error: unknown) =>
      error instanceof InputError && error.message.includes('timeframe "last fortnight"') &&
      error.message.includes(TIMEFRAME_FORMS),
  );
  assert.equal(parseTimeframeOrThrow("timeframe", "today", NOW).start, utc(2026, 6, 1));
});

Deno.test("parseBound() makes a date-only end inclusive of its whole day", () => {
  assert.equal(parseBound("2026-01-05", { now: NOW, side: "start" }), utc(2026, 0, 5));
  assert.equal(parseBound("2026-01-05", { now: NOW, side: "end" }), utc(2026, 0, 6) - 1);
  assert.equal(parseBound("2026-01-05T10:00:00Z", { now: NOW, side: "end" }), utc(2026, 0, 5, 10));
  assert.equal(parseBound("2 hours ago", { now: NOW, side: "end" }), NOW - 7200);
  assert.equal(parseBound("nonsense", { now: NOW, side: "end" }), null);
});
