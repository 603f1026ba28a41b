import assert from "node:assert/strict";
import { formatSeconds, parseDurationMs } from "../../lib/util/duration.ts";

Deno.test("parseDurationMs() reads single and compound durations", () => {
  const cases: [string, number | null][] = [
    ["250ms", 250],
    ["30s", 30_000],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["1w", 604_800_000],
    ["1.5s", 1500],
    ["0", 0],
    ["", null],
    ["5", null],
    ["5 minutes", null],
    ["1h30", null],
    ["-5s", null],
  ];
  for (const [text, expected] of cases) assert.equal(parseDurationMs(text), expected, text);
});

Deno.test("formatSeconds() is compact and rounds", () => {
  assert.equal(formatSeconds(0), "0s");
  assert.equal(formatSeconds(47.4), "47s");
  assert.equal(formatSeconds(185), "3m05s");
  assert.equal(formatSeconds(7440), "2h04m");
  assert.equal(formatSeconds(266400), "3d02h");
  assert.equal(formatSeconds(-5), "0s");
});
