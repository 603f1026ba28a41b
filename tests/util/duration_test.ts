import assert from "node:assert/strict";
import { parseDurationMs } from "../../lib/util/duration.ts";

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
