import assert from "node:assert/strict";
import { formatBytes, formatDuration, formatSeconds, groupDigits } from "../../lib/util/format.ts";

Deno.test("groupDigits() and formatDuration() format for people", () => {
  assert.deepEqual([0, 999, 1000, 1234567, -4200].map(groupDigits), [
    "0",
    "999",
    "1,000",
    "1,234,567",
    "-4,200",
  ]);
  assert.deepEqual([0, 9.9, 59, 60, 125, 3599, 3600, 3725, 90000].map((s) => formatDuration(s)), [
    "0s",
    "9s",
    "59s",
    "1m00s",
    "2m05s",
    "59m59s",
    "1h00m",
    "1h02m",
    "25h00m",
  ]);
});

Deno.test("formatSeconds() is compact and rounds", () => {
  assert.equal(formatSeconds(0), "0s");
  assert.equal(formatSeconds(47.4), "47s");
  assert.equal(formatSeconds(185), "3m05s");
  assert.equal(formatSeconds(7440), "2h04m");
  assert.equal(formatSeconds(266400), "3d02h");
  assert.equal(formatSeconds(-5), "0s");
});

Deno.test("formatBytes() uses decimal units with one decimal from KB on", () => {
  assert.deepEqual([0, 512, 999, 1000, 7987, 94_466_048, 2.5e9, 1.2e13, 512.4].map(formatBytes), [
    "0 B",
    "512 B",
    "999 B",
    "1.0 KB",
    "8.0 KB",
    "94.5 MB",
    "2.5 GB",
    "12.0 TB",
    "512 B",
  ]);
});
