import assert from "node:assert/strict";
import type { RateLimitWait } from "../../lib/intercom/rate_limiter.ts";
import { ProgressBroadcaster, type ProgressEvent } from "../../lib/progress/progress.ts";
import { PhaseReporter, waitPhase } from "../../lib/sync/phase_reporter.ts";

const T0 = Date.UTC(2026, 6, 1, 15, 30, 0);

Deno.test("waitPhase() counts down to the reset, in whole seconds", () => {
  assert.equal(
    waitPhase({ untilMs: T0 + 6_100, reason: "budget" }, T0),
    "waiting for rate limit, resets in 7s",
  );
  assert.equal(
    waitPhase({ untilMs: T0 + 200, reason: "budget" }, T0),
    "waiting for rate limit, resets in 1s",
  );
  assert.equal(
    waitPhase({ untilMs: T0 + 3_000, reason: "429" }, T0),
    "rate limited by Intercom (429), resumes in 3s",
  );
});

Deno.test("PhaseReporter lays the rate-limit wait over the work, and clears it when it ends", () => {
  let now = T0;
  const events: ProgressEvent[] = [];
  const broadcaster = new ProgressBroadcaster({ clock: () => now, sessionId: "s" });
  broadcaster.addSink({ onEvent: (e) => events.push(e) });
  const op = broadcaster.startOperation("sync", "Syncing");
  const limiter = { rateLimitWait: null as RateLimitWait | null };
  using phases = new PhaseReporter(op, limiter, { clock: () => now, intervalMs: 0 });
  phases.work("fetching 12 contacts for batch 3");
  assert.equal(op.snapshot().phase, "fetching 12 contacts for batch 3");
  limiter.rateLimitWait = { untilMs: T0 + 7_000, reason: "budget" };
  phases.tick();
  assert.equal(
    op.snapshot().phase,
    "waiting for rate limit, resets in 7s (fetching 12 contacts for batch 3)",
  );
  now += 2_000;
  phases.tick();
  assert.match(op.snapshot().phase!, /^waiting for rate limit, resets in 5s/);
  limiter.rateLimitWait = null;
  phases.tick();
  assert.equal(op.snapshot().phase, "fetching 12 contacts for batch 3");
  phases.work(null);
  assert.equal(op.snapshot().phase, null);
  assert.ok(
    events.some((e) =>
      e.phase === "waiting for rate limit, resets in 5s (fetching 12 contacts for batch 3)"
    ),
  );
});
