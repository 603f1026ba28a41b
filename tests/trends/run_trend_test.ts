import assert from "node:assert/strict";
import { runTrend } from "../../lib/trends/run_trend.ts";
import { zeroCounts } from "../../lib/sync/run_record.ts";

Deno.test("runTrend() derives rates, and null where they are undefined", () => {
  const base = {
    ...zeroCounts(),
    id: 7,
    mode: "incremental",
    windowStart: 0,
    windowEnd: 1,
    startedAt: 1000,
    finishedAt: 1050,
    status: "completed" as const,
    error: null,
    processId: null,
    sessionId: null,
  };
  const t = runTrend({
    ...base,
    conversationsFetched: 100,
    apiCalls: 120,
    retries: 3,
    rateLimited: 3,
  });
  assert.equal(t.duration_seconds, 50);
  assert.equal(t.conversations_per_second, 2);
  assert.equal(t.api_calls_per_conversation, 1.2);
  assert.equal(t.retry_rate, 0.05);
  assert.equal(t.failed, false);
  const running = runTrend({ ...base, status: "running", finishedAt: null });
  assert.equal(running.duration_seconds, null);
  assert.equal(running.conversations_per_second, null);
  assert.equal(running.api_calls_per_conversation, null);
  assert.equal(running.retry_rate, null);
});
