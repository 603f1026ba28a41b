import assert from "node:assert/strict";
import {
  DURATION_BUCKETS,
  exportedSeriesNames,
  METRICS,
  THROUGHPUT_BUCKETS,
  TOOL_LATENCY_BUCKETS,
} from "../../lib/metrics/catalog.ts";

Deno.test("METRICS follow Prometheus naming: prefix, _total on counters only, base units", () => {
  const names = Object.values(METRICS).map((m) => m.name);
  assert.equal(new Set(names).size, names.length, "names are unique");
  for (const m of Object.values(METRICS)) {
    assert.match(m.name, /^fast_intercom_[a-z0-9_]+$/);
    assert.equal(m.name.endsWith("_total"), m.type === "counter", m.name);
    assert.doesNotMatch(m.name, /_(ms|milliseconds|minutes|kb|mb)(_|$)/, m.name);
    for (const label of m.labels) assert.match(label, /^[a-z][a-z_]*$/);
    assert.ok(!m.labels.includes("le"), "le is reserved for histograms");
  }
});

Deno.test("bucket bounds ascend", () => {
  for (const bounds of [DURATION_BUCKETS, THROUGHPUT_BUCKETS, TOOL_LATENCY_BUCKETS]) {
    assert.deepEqual([...bounds], [...bounds].sort((a, b) => a - b));
  }
});

Deno.test("exportedSeriesNames() expands histograms into _bucket, _sum and _count", () => {
  const names = exportedSeriesNames();
  assert.ok(names.has("fast_intercom_sync_duration_seconds_bucket"));
  assert.ok(names.has("fast_intercom_sync_duration_seconds_count"));
  assert.ok(!names.has("fast_intercom_sync_duration_seconds"));
  assert.ok(names.has("fast_intercom_sync_runs_total"));
});
