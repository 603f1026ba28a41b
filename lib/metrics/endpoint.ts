/**
 * `GET /metrics` as a function: collect a sample, render it, answer with the text format.
 * Long-lived servers build one endpoint and keep it, so the store's counters are reused
 * while the store is unchanged (see store_reader.ts).
 */
import type client from "prom-client";
import type { Settings } from "../config/config.ts";
import type { Clock } from "../util/clock.ts";
import { type AnomalyFlags, METRICS_CONTENT_TYPE, renderMetrics } from "./exposition.ts";
import { collectMetricsSample } from "./sample.ts";
import { cachedStoreReader } from "./store_reader.ts";
import { currentAnomalyFlags } from "../trends/anomaly_flags.ts";

/** Options for {@link createMetricsEndpoint}. */
export interface MetricsEndpointOptions {
  /** In-process registries appended to each scrape (MCP tool calls). Default: none. */
  extra?: client.Registry[];
  /** Anomaly flags for each scrape. Default: those of the store's run history. */
  anomalies?: () => AnomalyFlags | Promise<AnomalyFlags>;
  /** Default: `systemClock`. */
  clock?: Clock;
}

/** Renders the current metrics as text. */
export type MetricsText = () => Promise<string>;

/** A function rendering the current metrics, reusing store reads while the store is unchanged. */
export function createMetricsText(
  settings: Settings,
  options: MetricsEndpointOptions = {},
): MetricsText {
  const readStore = cachedStoreReader();
  return async () => {
    const sample = await collectMetricsSample(settings, {
      readStore,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const anomalies = options.anomalies
      ? await options.anomalies()
      : currentAnomalyFlags(settings.paths.storeFile, options.clock);
    return await renderMetrics(sample, {
      ...(options.extra ? { extra: options.extra } : {}),
      anomalies,
    });
  };
}

/** `GET /metrics`: 200 with the text exposition. */
export function createMetricsEndpoint(
  settings: Settings,
  options: MetricsEndpointOptions = {},
): () => Promise<Response> {
  const text = createMetricsText(settings, options);
  return async () =>
    new Response(await text(), {
      status: 200,
      headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
    });
}
