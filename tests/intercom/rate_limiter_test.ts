import assert from "node:assert/strict";
import { RateLimiter, type RateLimitPermit } from "../../lib/intercom/rate_limiter.ts";
import { FakeTime, settle, T0 } from "./_fixtures.ts";

function rateResponse(
  remaining: number,
  resetSec: number,
  options: { limit?: number; status?: number } = {},
) {
  return {
    status: options.status ?? 200,
    headers: new Headers({
      "X-RateLimit-Limit": String(options.limit ?? 10),
      "X-RateLimit-Remaining": String(remaining),
      "X-RateLimit-Reset": String(resetSec),
    }),
  };
}

/** Starts `n` acquires and tracks which have been granted. */
function acquireMany(limiter: RateLimiter, n: number, signal?: AbortSignal) {
  const granted: RateLimitPermit[] = [];
  const all = Array.from({ length: n }, () =>
    limiter.acquire(signal).then((permit) => {
      granted.push(permit);
      return permit;
    }));
  return { granted, all };
}

const RESET = T0 / 1000 + 10;

Deno.test("RateLimiter.acquire() lets one probe out until the first response", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  const { granted } = acquireMany(limiter, 50);
  await settle();
  assert.equal(granted.length, 1);
  granted[0]!.release(null); // no response: still nothing learned
  await settle();
  assert.equal(granted.length, 2);
  granted[1]!.release({ status: 200, headers: new Headers() }); // no rate-limit headers
  await settle();
  assert.equal(granted.length, 50, "without headers, starts are not paced");
  assert.deepEqual(limiter.state, {
    limit: null,
    available: null,
    windowEndMs: null,
    inFlight: 48,
    blockedUntilMs: 0,
  });
});

Deno.test("RateLimiter.acquire() never lets concurrent starts exceed the remaining budget", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  (await limiter.acquire()).release(rateResponse(5, RESET));
  const { granted } = acquireMany(limiter, 12);
  await settle();
  assert.equal(granted.length, 5, "5 remaining → 5 starts");
  assert.equal(limiter.state.available, 0);
  // Responses that show the server counted them free nothing: they were already spent.
  granted[0]!.release(rateResponse(4, RESET));
  granted[1]!.release(rateResponse(3, RESET));
  await settle();
  assert.equal(granted.length, 5);
  // A response showing fewer requests counted than started frees budget before the reset.
  granted[2]!.release(rateResponse(3, RESET));
  await settle();
  assert.equal(granted.length, 6);
  assert.equal(limiter.state.available, 0);
});

Deno.test("RateLimiter.acquire() waits until the window resets plus the margin when spent", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, marginMs: 100 });
  (await limiter.acquire()).release(rateResponse(0, RESET));
  const { granted } = acquireMany(limiter, 15);
  await time.advanceTo(RESET * 1000 + 99);
  assert.equal(granted.length, 0, "nothing starts before reset + margin");
  await time.advanceTo(RESET * 1000 + 100);
  assert.equal(granted.length, 10, "a fresh window of the known limit (10)");
  assert.equal(time.now, RESET * 1000 + 100);
  assert.deepEqual(limiter.state, {
    limit: 10,
    available: 0,
    windowEndMs: (RESET + 10) * 1000,
    inFlight: 10,
    blockedUntilMs: 0,
  });
});

Deno.test("RateLimiter counts requests still in flight from the old window against a new one", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  (await limiter.acquire()).release(rateResponse(4, RESET));
  const old = acquireMany(limiter, 4);
  await settle();
  const next = acquireMany(limiter, 10);
  await time.advanceTo(RESET * 1000 + 100);
  assert.equal(old.granted.length, 4);
  assert.equal(next.granted.length, 6, "10 per window minus 4 in flight");
});

Deno.test("RateLimiter adopts a newer window from a response at once", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  (await limiter.acquire()).release(rateResponse(1, RESET));
  const inFlight = await limiter.acquire();
  const { granted } = acquireMany(limiter, 5);
  await settle();
  assert.equal(granted.length, 0);
  time.now = RESET * 1000 + 20; // the server's window turned; ours waits for the margin
  inFlight.release(rateResponse(3, RESET + 10));
  await settle();
  assert.equal(granted.length, 3);
  assert.equal(limiter.state.windowEndMs, (RESET + 10) * 1000);
});

Deno.test("RateLimiter ignores higher or stale remaining counts", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  (await limiter.acquire()).release(rateResponse(2, RESET + 10));
  (await limiter.acquire()).release(rateResponse(1, RESET + 10)); // counted after the first
  (await limiter.acquire()).release(rateResponse(7, RESET + 10)); // a late, older report
  (await limiter.acquire()).release(rateResponse(9, RESET)); // the previous window
  assert.equal(limiter.state.available, 1);
});

Deno.test("RateLimiter after a 429 holds every start until the reset plus the margin", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, marginMs: 100 });
  (await limiter.acquire()).release(rateResponse(0, T0 / 1000 + 3, { status: 429 }));
  assert.equal(limiter.state.blockedUntilMs, T0 + 3100);
  const { granted } = acquireMany(limiter, 3);
  await time.advanceTo(T0 + 3099);
  assert.equal(granted.length, 0);
  await time.advanceTo(T0 + 3100);
  assert.equal(granted.length, 3);
});

Deno.test("RateLimiter after a 429 without a usable reset waits one window plus jitter", async () => {
  const cases: [string, Headers][] = [
    ["missing", new Headers()],
    ["past", rateResponse(0, T0 / 1000 - 5).headers],
    ["too far", rateResponse(0, T0 / 1000 + 3600).headers],
    ["garbage", new Headers({ "X-RateLimit-Reset": "soon" })],
  ];
  for (const [name, headers] of cases) {
    const time = new FakeTime();
    const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, random: () => 0.5 });
    (await limiter.acquire()).release({ status: 429, headers });
    assert.equal(limiter.state.blockedUntilMs, T0 + 10_500, name);
  }
});

Deno.test("RateLimiter treats a reset under a second old as the window that just ended", async () => {
  const time = new FakeTime();
  time.now = T0 + 400;
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, marginMs: 100 });
  (await limiter.acquire()).release(rateResponse(0, T0 / 1000, { status: 429 }));
  assert.equal(limiter.state.blockedUntilMs, T0 + 500);
});

Deno.test("RateLimiter.acquire() rejects with the abort reason while waiting", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  (await limiter.acquire()).release(rateResponse(0, RESET));
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  await settle();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(waiting, (error) => error === reason);
  await assert.rejects(limiter.acquire(controller.signal), (error) => error === reason);
  assert.equal(limiter.state.inFlight, 0);
});

Deno.test("RateLimitPermit.release() is idempotent", async () => {
  const limiter = new RateLimiter();
  (await limiter.acquire()).release({ status: 200, headers: new Headers() });
  const permit = await limiter.acquire();
  await limiter.acquire();
  permit.release(null);
  permit.release(null);
  assert.equal(limiter.state.inFlight, 1);
});

Deno.test("RateLimiter.requestsPerSecond is unknown until a response states the limit", async () => {
  const { RateLimiter } = await import("../../lib/intercom/rate_limiter.ts");
  let now = Date.UTC(2026, 6, 1, 15, 30, 20);
  const limiter = new RateLimiter({ clock: () => now, sleep: () => Promise.resolve() });
  assert.equal(limiter.requestsPerSecond, null);
  const permit = await limiter.acquire();
  const reset = Math.floor(now / 1000) + 10;
  permit.release({
    status: 200,
    headers: new Headers({
      "X-RateLimit-Limit": "167",
      "X-RateLimit-Remaining": "166",
      "X-RateLimit-Reset": String(reset),
    }),
  } as unknown as Response);
  now += 1;
  assert.equal(limiter.requestsPerSecond, 16.7);
});

Deno.test("RateLimiter.wait says when held requests resume, and why; a free slot is not a wait", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep, marginMs: 100 });
  assert.equal(limiter.wait, null);
  assert.equal(limiter.lastWaitMs, null);
  (await limiter.acquire()).release(rateResponse(2, RESET));
  const { granted } = acquireMany(limiter, 3);
  await settle();
  assert.equal(granted.length, 2);
  // the third waits: the window's two remaining requests are claimed by those in flight
  assert.deepEqual(limiter.wait, { untilMs: RESET * 1000 + 100, reason: "budget" });
  await time.advanceTo(RESET * 1000 + 100);
  assert.equal(granted.length, 3);
  assert.equal(limiter.wait, null);
  assert.equal(limiter.lastWaitMs, RESET * 1000 + 100);
  for (const permit of granted) permit.release(rateResponse(8, RESET + 10));
  // a 429 holds every start until its reset
  const refused = await limiter.acquire();
  refused.release(rateResponse(0, RESET + 20, { status: 429 }));
  const after = acquireMany(limiter, 1);
  await settle();
  assert.deepEqual(limiter.wait, { untilMs: (RESET + 20) * 1000 + 100, reason: "429" });
  await time.advanceTo((RESET + 20) * 1000 + 100);
  await after.all;
  assert.equal(limiter.wait, null);
});

Deno.test("RateLimiter.wait is null while a request only waits for the first probe", async () => {
  const time = new FakeTime();
  const limiter = new RateLimiter({ clock: time.clock, sleep: time.sleep });
  const { granted } = acquireMany(limiter, 3);
  await settle();
  assert.equal(granted.length, 1);
  assert.equal(limiter.wait, null, "nothing is known about the budget yet");
  granted[0]!.release(rateResponse(9, RESET));
  await settle();
  assert.equal(granted.length, 3);
});
