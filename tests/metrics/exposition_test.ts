import assert from "node:assert/strict";
import { renderMetrics } from "../../lib/metrics/exposition.ts";
import type { MetricsSample, StoreSample } from "../../lib/metrics/sample.ts";
import { ToolMetrics } from "../../lib/metrics/tool_metrics.ts";
import type { RunStatusTotals } from "../../lib/store/store_metrics.ts";
import { VERSION } from "../../lib/version.ts";
import { HAS_PROMTOOL, promtoolCheck, withPromtool } from "./_promtool.ts";

const totals = (over: Partial<RunStatusTotals> = {}): RunStatusTotals => ({
  runs: 0,
  conversationsFetched: 0,
  partsUpserted: 0,
  contactsUpserted: 0,
  apiCalls: 0,
  retries: 0,
  rateLimited: 0,
  ...over,
});

const buckets = (cumulative: number[], sum: number, count: number) => ({
  bounds: [1, 60],
  cumulative,
  sum,
  count,
});

function storeSample(): StoreSample {
  return {
    conversations: 120,
    parts: 900,
    contacts: 40,
    sizeBytes: 4096,
    runs: {
      byStatus: {
        completed: totals({ runs: 3, conversationsFetched: 100, retries: 2, rateLimited: 1 }),
        failed: totals({ runs: 1, conversationsFetched: 5, retries: 4 }),
        interrupted: totals(),
        crashed: totals({ runs: 1 }),
        running: totals({ runs: 1, conversationsFetched: 15 }),
      },
      lastCompletedAt: 1767225600,
    },
    durations: {
      completed: buckets([1, 3], 70, 3),
      failed: buckets([0, 1], 30, 1),
      interrupted: buckets([0, 0], 0, 0),
      crashed: buckets([0, 1], 42, 1),
    },
    throughput: buckets([0, 2], 12.5, 3),
    apiRequests: [
      { endpoint: "GET /conversations/{id}", status: "200", count: 90 },
      { endpoint: "POST /conversations/search", status: "429", count: 1 },
    ],
  };
}

const sample = (store: StoreSample | null): MetricsSample => ({
  store,
  processes: { running: 1, no_progress: 0, stalled: 2, crashed: 1 },
  rateLimitRemaining: 37,
});

Deno.test("renderMetrics() exports the sample's values under their names", async () => {
  const text = await renderMetrics(sample(storeSample()), { anomalies: { slow_run: true } });
  const lines = new Set(text.split("\n"));
  for (
    const line of [
      `fast_intercom_build_info{version="${VERSION}"} 1`,
      "fast_intercom_store_up 1",
      "fast_intercom_store_conversations 120",
      "fast_intercom_store_parts 900",
      "fast_intercom_store_contacts 40",
      "fast_intercom_store_size_bytes 4096",
      'fast_intercom_sync_runs_total{outcome="completed"} 3',
      'fast_intercom_sync_runs_total{outcome="failed"} 1',
      'fast_intercom_sync_runs_total{outcome="interrupted"} 0',
      'fast_intercom_sync_runs_total{outcome="crashed"} 1',
      "fast_intercom_sync_running 1",
      "fast_intercom_sync_conversations_fetched_total 120",
      "fast_intercom_api_retries_total 6",
      "fast_intercom_api_rate_limit_waits_total 1",
      "fast_intercom_api_rate_limit_remaining 37",
      'fast_intercom_api_requests_total{endpoint="GET /conversations/{id}",status="200"} 90',
      'fast_intercom_processes{state="stalled"} 2',
      'fast_intercom_processes{state="crashed"} 1',
      "fast_intercom_last_successful_sync_timestamp_seconds 1767225600",
      'fast_intercom_sync_duration_seconds_bucket{outcome="completed",le="1"} 1',
      'fast_intercom_sync_duration_seconds_bucket{outcome="completed",le="60"} 3',
      'fast_intercom_sync_duration_seconds_bucket{outcome="completed",le="+Inf"} 3',
      'fast_intercom_sync_duration_seconds_sum{outcome="completed"} 70',
      'fast_intercom_sync_duration_seconds_count{outcome="failed"} 1',
      'fast_intercom_sync_throughput_conversations_per_second_bucket{le="+Inf"} 3',
      "fast_intercom_sync_throughput_conversations_per_second_sum 12.5",
      'fast_intercom_anomaly{kind="slow_run"} 1',
    ]
  ) assert.ok(lines.has(line), `missing line: ${line}\n${text}`);
});

Deno.test("renderMetrics() without a store says store_up 0 and exports no store series", async () => {
  const text = await renderMetrics(sample(null));
  assert.match(text, /^fast_intercom_store_up 0$/m);
  assert.doesNotMatch(text, /fast_intercom_store_conversations/);
  assert.doesNotMatch(text, /fast_intercom_sync_runs_total/);
  assert.match(text, /^fast_intercom_processes\{state="running"\} 1$/m);
});

Deno.test({
  name: withPromtool("renderMetrics() output passes promtool check metrics"),
  ignore: !HAS_PROMTOOL,
  async fn() {
    const tools = new ToolMetrics();
    tools.declare("search_conversations");
    tools.observe("search_conversations", "ok", 0.012);
    tools.observe("get_conversation", "error", 0.3);
    for (const s of [sample(storeSample()), sample(null)]) {
      const text = await renderMetrics(s, {
        extra: [tools.registry],
        anomalies: { slow_run: false },
      });
      const check = await promtoolCheck(text);
      assert.ok(check.ok && check.output === "", `${check.output}\n${text}`);
    }
  },
});
