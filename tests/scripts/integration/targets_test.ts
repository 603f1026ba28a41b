import assert from "node:assert/strict";
import {
  evaluateTargets,
  type Figures,
  figuresFrom,
  formatFigure,
  MIN_CONVERSATIONS,
  TARGETS,
} from "../../../scripts/integration/targets.ts";

const GOOD: Figures = {
  conversations_fetched: 700,
  conversations_per_second: 14.2,
  sync_duration_seconds: 49.3,
  api_calls: 712,
  rate_limited: 3,
  retries: 1,
  store_conversations: 700,
  store_parts: 9100,
  store_size_bytes: 6_300_000,
  bytes_per_conversation: 9000,
  searches: 50,
  search_p50_ms: 4.1,
  search_p95_ms: 9.7,
  sync_peak_rss_bytes: 120_000_000,
  server_peak_rss_bytes: 95_000_000,
};

Deno.test("evaluateTargets() passes figures within every target", () => {
  const results = evaluateTargets(GOOD);
  assert.deepEqual(results.map((r) => [r.key, r.status]), TARGETS.map((t) => [t.key, "pass"]));
  assert.deepEqual(results[0], {
    key: "conversations_per_second",
    label: "Sync throughput",
    target: "≥ 10.00 conversations/s",
    actual: "14.20 conversations/s",
    value: 14.2,
    status: "pass",
  });
});

Deno.test("evaluateTargets() fails a missed bound and marks unmeasured figures n/a", () => {
  const results = evaluateTargets({
    ...GOOD,
    search_p95_ms: 250,
    sync_peak_rss_bytes: 210_000_000,
    server_peak_rss_bytes: null,
  });
  const by = Object.fromEntries(results.map((r) => [r.key, r]));
  assert.equal(by.search_p95_ms!.status, "fail");
  assert.equal(by.search_p95_ms!.actual, "250.0 ms");
  assert.equal(by.sync_peak_rss_bytes!.status, "fail");
  assert.equal(by.sync_peak_rss_bytes!.target, "≤ 200.0 MB");
  assert.equal(by.server_peak_rss_bytes!.status, "n/a");
  assert.equal(by.server_peak_rss_bytes!.actual, "not measured");
});

Deno.test("evaluateTargets() does not judge throughput or size on too few conversations", () => {
  const results = evaluateTargets({
    ...GOOD,
    conversations_fetched: MIN_CONVERSATIONS - 1,
    conversations_per_second: 2,
    bytes_per_conversation: 90_000,
  });
  const by = Object.fromEntries(results.map((r) => [r.key, r]));
  assert.equal(by.conversations_per_second!.status, "n/a");
  assert.equal(
    by.conversations_per_second!.actual,
    "2.00 conversations/s (49 conversations: too few to judge)",
  );
  assert.equal(by.bytes_per_conversation!.status, "n/a");
});

Deno.test("formatFigure() scales bytes and keeps units", () => {
  assert.equal(formatFigure(512, "bytes"), "512 B");
  assert.equal(formatFigure(7987, "bytes"), "8.0 KB");
  assert.equal(formatFigure(94_466_048, "bytes"), "94.5 MB");
  assert.equal(formatFigure(5.857, "ms"), "5.9 ms");
  assert.equal(formatFigure(401.61, "conversations/s"), "401.61 conversations/s");
});

Deno.test("figuresFrom() reads the collected JSON and derives bytes per conversation", () => {
  const figures = figuresFrom({
    sync: {
      conversations_fetched: 100,
      conversations_per_second: 401.61,
      duration_seconds: 0.249,
      api_calls: 105,
      rate_limited: 0,
      retries: 0,
    },
    status: { conversations: 100, parts: 1538, size_bytes: 798720 },
    syncMeasure: { code: 0, wall_seconds: 0.6, peak_rss_bytes: 94466048 },
    mcp: {
      search_latency_ms: { count: 20, p50: 3.39, p95: 5.86, max: 7 },
      server_peak_rss_bytes: 0,
    },
  });
  assert.deepEqual(figures, {
    conversations_fetched: 100,
    conversations_per_second: 401.61,
    sync_duration_seconds: 0.249,
    api_calls: 105,
    rate_limited: 0,
    retries: 0,
    store_conversations: 100,
    store_parts: 1538,
    store_size_bytes: 798720,
    bytes_per_conversation: 7987,
    searches: 20,
    search_p50_ms: 3.39,
    search_p95_ms: 5.86,
    sync_peak_rss_bytes: 94466048,
    server_peak_rss_bytes: null, // 0 means the sampler saw nothing
  });
  assert.equal(figuresFrom({}).conversations_fetched, null);
});
