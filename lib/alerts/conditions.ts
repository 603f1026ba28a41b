/**
 * What is wrong now, as alert conditions with stable keys: a crashed process, a stalled one
 * (no heartbeat, or alive without progress past the stall threshold), an anomaly of the run
 * history. A condition that appears fires an alert; one that disappears sends a recovery.
 */
import type { ProcessSnapshot } from "../monitor/snapshot.ts";
import type { Anomaly } from "../trends/anomalies.ts";

/** What an alert is about. */
export type AlertEvent = "crash" | "stall" | "anomaly";

/** One condition that holds now. */
export interface AlertCondition {
  /** Stable while the condition lasts: `crash:<process id>`, `stall:<process id>`, `anomaly:<kind>`. */
  key: string;
  event: AlertEvent;
  title: string;
  detail: string;
  process_id: string | null;
  anomaly_kind: string | null;
}

/** The conditions of these processes and anomalies. */
export function alertConditions(
  processes: readonly ProcessSnapshot[],
  anomalies: readonly Anomaly[],
): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const p of processes) {
    const what = `${p.process_type} ${p.process_id} (pid ${p.pid})`;
    if (p.alert === "crashed") {
      conditions.push({
        key: `crash:${p.process_id}`,
        event: "crash",
        title: `${what} crashed`,
        detail: `pid ${p.pid} is gone; last heartbeat ${p.heartbeat_age_seconds}s ago. ` +
          "A new sync resumes its work.",
        process_id: p.process_id,
        anomaly_kind: null,
      });
    } else if (p.alert === "stalled" || p.no_progress) {
      conditions.push({
        key: `stall:${p.process_id}`,
        event: "stall",
        title: `${what} is stalled`,
        detail: p.alert === "stalled"
          ? `no heartbeat for ${p.heartbeat_age_seconds}s`
          : `alive, but no progress for ${p.progress_age_seconds}s (retrying or waiting?)`,
        process_id: p.process_id,
        anomaly_kind: null,
      });
    }
  }
  for (const a of anomalies) {
    conditions.push({
      key: `anomaly:${a.kind}`,
      event: "anomaly",
      title: `anomaly: ${a.kind.replace(/_/g, " ")}`,
      detail: a.detail,
      process_id: null,
      anomaly_kind: a.kind,
    });
  }
  return conditions;
}
