import assert from "node:assert/strict";
import { rateLimitHeaders, rateLimitMessage, RateWindow } from "../../lib/simulator/rate_window.ts";

Deno.test("RateWindow counts per clock-aligned window and resets at the window end", () => {
  let now = 1_750_000_003_500; // 3.5 s into the window [1_750_000_000, 1_750_000_010)
  const window = new RateWindow({ limit: 2, windowSeconds: 10 }, { clock: () => now });
  assert.deepEqual(window.take(), { allowed: true, limit: 2, remaining: 1, reset: 1_750_000_010 });
  assert.deepEqual(window.take(), { allowed: true, limit: 2, remaining: 0, reset: 1_750_000_010 });
  assert.deepEqual(window.take(), { allowed: false, limit: 2, remaining: 0, reset: 1_750_000_010 });
  now = 1_750_000_009_999;
  assert.equal(window.take().allowed, false);
  now = 1_750_000_010_000;
  assert.deepEqual(window.take(), { allowed: true, limit: 2, remaining: 1, reset: 1_750_000_020 });
});

Deno.test("RateWindow rejects a non-positive window", () => {
  assert.throws(() => new RateWindow({ limit: 5, windowSeconds: 0 }), RangeError);
});

Deno.test("rateLimitHeaders() and rateLimitMessage() use Intercom's names and wording", () => {
  assert.deepEqual(rateLimitHeaders({ allowed: true, limit: 167, remaining: 3, reset: 99 }), {
    "X-RateLimit-Limit": "167",
    "X-RateLimit-Remaining": "3",
    "X-RateLimit-Reset": "99",
  });
  assert.equal(
    rateLimitMessage({ limit: 167, windowSeconds: 10 }),
    "Exceeded rate limit of 167 in 10_seconds",
  );
});
