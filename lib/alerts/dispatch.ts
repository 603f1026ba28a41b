/**
 * Turns the conditions that hold now into alerts, once per state change: a condition not yet
 * announced fires (crash, stall, anomaly), an announced one that no longer holds sends a
 * recovery. The announced set lives in the status directory (alert_state.ts) and is changed
 * under a lock taken without waiting: when another process is announcing, this one leaves it
 * to that one. A transition whose delivery failed after its retries stays pending and is tried
 * again at the next check.
 */
import { join } from "node:path";
import { LockedError } from "../errors.ts";
import { redactText } from "../logging/redact.ts";
import { acquireFileLock } from "../registry/file_lock.ts";
import { hostName } from "../registry/process_info.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { VERSION } from "../version.ts";
import { ALERT_FILES, type AlertState, readAlertState, writeAlertState } from "./alert_state.ts";
import type { AlertCondition } from "./conditions.ts";
import { postWebhook, type WebhookOptions } from "./webhook.ts";

/** The JSON an alert posts. No token, key or webhook URL is ever part of it. */
export interface AlertPayload {
  source: "fast-intercom-mcp";
  version: string;
  /** `crash`, `stall`, `anomaly`, or `recovery` when the condition no longer holds. */
  event: "crash" | "stall" | "anomaly" | "recovery";
  /** The kind of condition that recovered (for `recovery`), else the event again. */
  condition: "crash" | "stall" | "anomaly";
  key: string;
  title: string;
  detail: string;
  process_id: string | null;
  anomaly_kind: string | null;
  host: string;
  /** When this was sent, UTC ISO. */
  at: string;
  /** For `recovery`: when the condition was announced. */
  since: string | null;
  /** One line for chat webhooks (Slack, Mattermost, Teams accept `text`). */
  text: string;
}

/** What one check sent. */
export interface DispatchResult {
  /** True when another process held the alert lock: nothing was sent by this one. */
  skipped: boolean;
  sent: { key: string; event: AlertPayload["event"]; delivered: boolean; error: string | null }[];
}

/** Options for {@link dispatchAlerts}. */
export interface DispatchOptions extends WebhookOptions {
  /** Default: `systemClock`. */
  clock?: Clock;
}

function payload(
  event: AlertPayload["event"],
  condition: Pick<AlertCondition, "key" | "title" | "detail" | "process_id" | "anomaly_kind"> & {
    event: AlertPayload["condition"];
  },
  at: string,
  since: string | null,
): AlertPayload {
  const title = redactText(
    event === "recovery" ? `recovered: ${condition.title}` : condition.title,
  );
  const detail = redactText(condition.detail);
  return {
    source: "fast-intercom-mcp",
    version: VERSION,
    event,
    condition: condition.event,
    key: condition.key,
    title,
    detail,
    process_id: condition.process_id,
    anomaly_kind: condition.anomaly_kind,
    host: hostName(),
    at,
    since,
    text: `[fast-intercom-mcp on ${hostName()}] ${title}: ${detail}`,
  };
}

/** Announces the changes between `conditions` and what was announced before. */
export async function dispatchAlerts(
  url: string,
  statusDir: string,
  conditions: readonly AlertCondition[],
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const clock = options.clock ?? systemClock;
  let lock;
  try {
    lock = await acquireFileLock(join(statusDir, ALERT_FILES.lock), { timeoutMs: 0 });
  } catch (error) {
    if (error instanceof LockedError) return { skipped: true, sent: [] };
    throw error;
  }
  try {
    const state: AlertState = await readAlertState(statusDir);
    const before = JSON.stringify(state);
    const at = new Date(clock()).toISOString();
    const now = new Set(conditions.map((c) => c.key));
    const result: DispatchResult = { skipped: false, sent: [] };
    const send = async (p: AlertPayload, onDelivered: () => void) => {
      const r = await postWebhook(url, p, options);
      if (r.delivered) onDelivered();
      result.sent.push({ key: p.key, event: p.event, delivered: r.delivered, error: r.error });
    };
    for (const c of conditions) {
      if (c.key in state) continue;
      await send(payload(c.event, c, at, null), () => {
        state[c.key] = { event: c.event, title: c.title, since: at };
      });
    }
    for (const [key, announced] of Object.entries(state)) {
      if (now.has(key)) continue;
      const event = announced.event as AlertPayload["condition"];
      await send(
        payload(
          "recovery",
          {
            key,
            event,
            title: announced.title,
            detail: "the condition no longer holds",
            process_id: key.startsWith("crash:") || key.startsWith("stall:")
              ? key.slice(key.indexOf(":") + 1)
              : null,
            anomaly_kind: key.startsWith("anomaly:") ? key.slice("anomaly:".length) : null,
          },
          at,
          announced.since,
        ),
        () => delete state[key],
      );
    }
    if (JSON.stringify(state) !== before) await writeAlertState(statusDir, state);
    return result;
  } finally {
    lock.release();
  }
}
