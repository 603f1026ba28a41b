/** Anomalies as 0/1 flags for every kind, as `/metrics` exports them (fast_intercom_anomaly). */
import { type Anomaly, ANOMALY_KINDS } from "./anomalies.ts";
import { trendReport } from "./trends.ts";

/** Every kind → whether it is flagged now. */
export function anomalyFlags(anomalies: readonly Anomaly[]): Record<string, boolean> {
  const flagged = new Set(anomalies.map((a) => a.kind));
  return Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, flagged.has(kind)]));
}

/** The flags of the store at `storeFile` now; all clear when it cannot be read. */
export function currentAnomalyFlags(
  storeFile: string,
  clock: () => number = Date.now,
): Record<string, boolean> {
  try {
    return anomalyFlags(trendReport(storeFile, Math.floor(clock() / 1000), { limit: 0 }).anomalies);
  } catch {
    return anomalyFlags([]);
  }
}
