import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { parseFaults, parseLatency, parseRateLimit } from "../../lib/simulator/knobs.ts";

Deno.test("parseLatency() accepts mean and mean±jitter forms", () => {
  const cases: [string, { meanMs: number; jitterMs: number }][] = [
    ["80ms±30ms", { meanMs: 80, jitterMs: 30 }],
    ["80ms+-30ms", { meanMs: 80, jitterMs: 30 }],
    ["80ms", { meanMs: 80, jitterMs: 0 }],
    ["0", { meanMs: 0, jitterMs: 0 }],
    ["1s", { meanMs: 1000, jitterMs: 0 }],
    ["1.5s±250ms", { meanMs: 1500, jitterMs: 250 }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseLatency(text), expected, text);
});

Deno.test("parseLatency() rejects other forms with a message naming the accepted ones", () => {
  for (const text of ["", "fast", "80ms±", "-5ms", "80ms±30ms±1ms", "80h"]) {
    assert.throws(() => parseLatency(text), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(
        e.message,
        new RegExp(`^Cannot parse latency "${text.replace(/[+]/g, "\\+")}".*80ms±30ms`),
      );
      assert.equal(e.message.includes("\n"), false);
      return true;
    });
  }
});

Deno.test("parseRateLimit() accepts COUNT/WINDOW forms", () => {
  assert.deepEqual(parseRateLimit("167/10s"), { limit: 167, windowSeconds: 10 });
  assert.deepEqual(parseRateLimit("1000/10s"), { limit: 1000, windowSeconds: 10 });
  assert.deepEqual(parseRateLimit("100/1m"), { limit: 100, windowSeconds: 60 });
  assert.deepEqual(parseRateLimit("10/s"), { limit: 10, windowSeconds: 1 });
  assert.deepEqual(parseRateLimit(" 5 / 2min "), { limit: 5, windowSeconds: 120 });
});

Deno.test("parseRateLimit() rejects bad forms with a one-line InputError", () => {
  for (const text of ["", "167", "0/10s", "167/0s", "167/10h", "a/10s", "167/10"]) {
    assert.throws(() => parseRateLimit(text), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^Cannot parse rate limit ".*": use COUNT\/WINDOW.*167\/10s/);
      return true;
    }, text);
  }
});

Deno.test("parseFaults() reads every kind, percentages and none", () => {
  assert.deepEqual(
    parseFaults("500=0.05,html502=0.02,empty=0.01,truncated=0.01,reset=0.01,slow=0.01,429=0.01"),
    {
      "500": 0.05,
      html502: 0.02,
      empty: 0.01,
      truncated: 0.01,
      reset: 0.01,
      slow: 0.01,
      "429": 0.01,
    },
  );
  assert.deepEqual(parseFaults("slow=5%, 500 = 0.1"), { slow: 0.05, "500": 0.1 });
  assert.deepEqual(parseFaults("none"), {});
  assert.deepEqual(parseFaults(""), {});
});

Deno.test("parseFaults() rejects unknown kinds, bad rates and totals above 1", () => {
  const cases: [string, RegExp][] = [
    ["503=0.1", /unknown kind "503".*html502/],
    ["500", /at "500".*KIND=RATE/],
    ["500=abc", /at "500=abc"/],
    ["500=1.5", /between 0 and 1/],
    ["500=0.6,empty=0.6", /add up to 1\.2/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseFaults(text), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, pattern);
      return true;
    }, text);
  }
});
