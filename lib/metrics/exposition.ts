/**
 * Turns a {@link MetricsSample} into the Prometheus text exposition format with `prom-client`
 * (escaping, HELP/TYPE lines, histogram series). Every scrape builds a fresh registry from
 * the sample: the values live in the store and the status directory, not in this process.
 * Histograms of sync runs are bucketed in SQL, so they are handed to the registry as
 * precomputed series rather than observed one run at a time.
 */
import client from "prom-client";
import { VERSION } from "../version.ts";
import { METRICS, type MetricSpec } from "./catalog.ts";
import { type MetricsSample, PROCESS_STATES, RUN_OUTCOMES } from "./sample.ts";
import type { RunBuckets } from "../store/store_metrics.ts";

/** The Content-Type of the text format. */
export const METRICS_CONTENT_TYPE: string = client.Registry.PROMETHEUS_CONTENT_TYPE;

/** Anomaly flags to export: kind → active now. */
export type AnomalyFlags = Record<string, boolean>;

/** Options for {@link renderMetrics}. */
export interface RenderOptions {
  /** Registries of in-process metrics (MCP tool calls) appended to the output. Default: none. */
  extra?: client.Registry[];
  /** Anomalies of the run history. Default: not exported. */
  anomalies?: AnomalyFlags;
}

type Labels = Record<string, string | number>;

interface SeriesValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** A histogram whose bucket counts were computed elsewhere (prom-client's Metric shape). */
class PrecomputedHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly #series: { labels: Labels; buckets: RunBuckets }[];

  constructor(spec: MetricSpec, series: { labels: Labels; buckets: RunBuckets }[]) {
    this.name = spec.name;
    this.help = spec.help;
    this.#series = series;
  }

  get() {
    const values: SeriesValue[] = [];
    for (const { labels, buckets } of this.#series) {
      buckets.bounds.forEach((le, i) => {
        values.push({
          value: buckets.cumulative[i] ?? 0,
          labels: { ...labels, le },
          metricName: `${this.name}_bucket`,
        });
      });
      values.push({
        value: buckets.count,
        labels: { ...labels, le: "+Inf" },
        metricName: `${this.name}_bucket`,
      });
      values.push({ value: buckets.sum, labels, metricName: `${this.name}_sum` });
      values.push({ value: buckets.count, labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: "sum" };
  }
}

function gauge(registry: client.Registry, spec: MetricSpec): client.Gauge<string> {
  return new client.Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
  });
}

function counter(registry: client.Registry, spec: MetricSpec): client.Counter<string> {
  return new client.Counter({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
  });
}

function registerHistogram(
  registry: client.Registry,
  spec: MetricSpec,
  series: { labels: Labels; buckets: RunBuckets }[],
): void {
  registry.registerMetric(
    new PrecomputedHistogram(spec, series) as unknown as client.Metric<string>,
  );
}

/** Builds a registry holding the sample's metrics. */
export function sampleRegistry(
  sample: MetricsSample,
  options: Pick<RenderOptions, "anomalies"> = {},
): client.Registry {
  const registry = new client.Registry();
  gauge(registry, METRICS.buildInfo).set({ version: VERSION }, 1);
  gauge(registry, METRICS.storeUp).set(sample.store === null ? 0 : 1);
  const processes = gauge(registry, METRICS.processes);
  for (const state of PROCESS_STATES) processes.set({ state }, sample.processes[state]);
  if (sample.rateLimitRemaining !== null) {
    gauge(registry, METRICS.apiRateLimitRemaining).set(sample.rateLimitRemaining);
  }
  if (options.anomalies) {
    const anomalies = gauge(registry, METRICS.anomalies);
    for (const [kind, active] of Object.entries(options.anomalies)) {
      anomalies.set({ kind }, active ? 1 : 0);
    }
  }
  const store = sample.store;
  if (store === null) return registry;

  gauge(registry, METRICS.storeConversations).set(store.conversations);
  gauge(registry, METRICS.storeParts).set(store.parts);
  gauge(registry, METRICS.storeContacts).set(store.contacts);
  gauge(registry, METRICS.storeSize).set(store.sizeBytes);

  const { byStatus, lastCompletedAt } = store.runs;
  const runs = counter(registry, METRICS.syncRuns);
  for (const outcome of RUN_OUTCOMES) runs.inc({ outcome }, byStatus[outcome].runs);
  gauge(registry, METRICS.syncRunning).set(byStatus.running.runs);
  const all = Object.values(byStatus);
  const sum = (pick: (t: typeof all[number]) => number) => all.reduce((n, t) => n + pick(t), 0);
  counter(registry, METRICS.conversationsFetched).inc(sum((t) => t.conversationsFetched));
  counter(registry, METRICS.partsUpserted).inc(sum((t) => t.partsUpserted));
  counter(registry, METRICS.contactsUpserted).inc(sum((t) => t.contactsUpserted));
  counter(registry, METRICS.apiRetries).inc(sum((t) => t.retries));
  counter(registry, METRICS.apiRateLimitWaits).inc(sum((t) => t.rateLimited));
  const requests = counter(registry, METRICS.apiRequests);
  for (const { endpoint, status, count } of store.apiRequests) {
    requests.inc({ endpoint, status }, count);
  }
  if (lastCompletedAt !== null) gauge(registry, METRICS.lastSuccess).set(lastCompletedAt);

  registerHistogram(
    registry,
    METRICS.syncDuration,
    RUN_OUTCOMES.map((outcome) => ({ labels: { outcome }, buckets: store.durations[outcome] })),
  );
  registerHistogram(registry, METRICS.syncThroughput, [{ labels: {}, buckets: store.throughput }]);
  return registry;
}

/** The text exposition of a sample (and of any in-process registries). */
export async function renderMetrics(
  sample: MetricsSample,
  options: RenderOptions = {},
): Promise<string> {
  const parts = [
    await sampleRegistry(sample, options).metrics(),
    ...await Promise.all((options.extra ?? []).map((r) => r.metrics())),
  ];
  return parts.map((p) => p.trimEnd()).filter((p) => p !== "").join("\n\n") + "\n";
}
