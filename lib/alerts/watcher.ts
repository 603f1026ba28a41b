/**
 * Who sends alerts, and when (one answer for the whole program):
 * - `monitor serve` checks every 30 s while it runs (a standing watcher for a host);
 * - `monitor status` checks at each refresh (and once with `--once`/`--json`);
 * - `sync` checks when it ends, so a cron-driven host alerts on the anomaly a run leaves.
 * Each check reads the status directory and the run history, and hands the conditions to
 * `dispatchAlerts`, which announces each state change once across all these processes. Nothing
 * is sent unless a webhook URL is configured (`--alert-webhook`, `alert_webhook_url`,
 * `FASTINTERCOM_ALERT_WEBHOOK_URL`).
 */
import { getLogger } from "@logtape/logtape";
import type { Settings } from "../config/config.ts";
import { processSnapshot } from "../monitor/snapshot.ts";
import { readStatus } from "../registry/status_reader.ts";
import { trendReport } from "../trends/trends.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { alertConditions } from "./conditions.ts";
import { dispatchAlerts, type DispatchOptions, type DispatchResult } from "./dispatch.ts";

const log = getLogger(["fast-intercom", "alerts"]);

/** Options for {@link checkAlerts}. */
export interface CheckAlertsOptions extends DispatchOptions {
  /** Default: `systemClock`. */
  clock?: Clock;
}

/** Reads what is wrong now and announces what changed; null without a webhook URL. */
export async function checkAlerts(
  settings: Settings,
  url: string | null,
  options: CheckAlertsOptions = {},
): Promise<DispatchResult | null> {
  if (!url) return null;
  const clock = options.clock ?? systemClock;
  const now = clock();
  const report = await readStatus(settings.paths.statusDir, {
    stallAfterSeconds: settings.stallAfterSeconds,
    clock: () => now,
  }).catch(() => null);
  const processes = (report?.active ?? []).map((r) =>
    processSnapshot(r, now, settings.stallAfterSeconds)
  );
  let anomalies: ReturnType<typeof trendReport>["anomalies"] = [];
  try {
    anomalies = trendReport(settings.paths.storeFile, Math.floor(now / 1000), { limit: 0 })
      .anomalies;
  } catch {
    // an unreadable store is reported by the health checks, not as an alert of its own
  }
  const result = await dispatchAlerts(
    url,
    settings.paths.statusDir,
    alertConditions(processes, anomalies),
    options,
  );
  for (const s of result.sent) {
    if (s.delivered) log.info("alert {event} {key} sent", { event: s.event, key: s.key });
    else {
      log.warning("alert {event} {key} not delivered: {error}; retried at the next check", {
        event: s.event,
        key: s.key,
        error: s.error,
      });
    }
  }
  return result;
}

/** Checks every `intervalMs` (default 30 s) until `signal` aborts; the first check runs now. */
export function startAlertWatcher(
  settings: Settings,
  url: string,
  options: CheckAlertsOptions & { intervalMs?: number; signal?: AbortSignal } = {},
): { stop(): void; idle(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    running = checkAlerts(settings, url, options)
      .catch((error) =>
        log.warning("alert check failed: {error}", {
          error: error instanceof Error ? error.message : String(error),
        })
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 30_000);
      });
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  tick();
  return { stop, idle: () => running.then(() => {}) };
}
