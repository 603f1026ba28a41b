/**
 * Delivers one alert to a webhook: `POST` of the JSON payload, retried with exponential
 * backoff on network errors, timeouts, 429 and 5xx (other answers are final). The URL is
 * treated as a secret (chat webhooks carry their token in it): it is registered for
 * redaction and never logged or put in a result.
 */
import { realSleep, type Sleep } from "../util/clock.ts";

/** Options for {@link postWebhook}. */
export interface WebhookOptions {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `realSleep`. */
  sleep?: Sleep;
  /** Attempts in all. Default 4. */
  attempts?: number;
  /** Wait before the second attempt, doubled each time. Default 1000 ms. */
  backoffMs?: number;
  /** Timeout of one attempt. Default 5000 ms. */
  timeoutMs?: number;
}

/** How a delivery went. */
export interface WebhookResult {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, or null when no answer came. */
  status: number | null;
  /** Why it was not delivered (no URL in it). */
  error: string | null;
}

const retryable = (status: number) => status === 429 || status >= 500;

/** Posts `payload` to `url`, retrying transient failures. Never throws. */
export async function postWebhook(
  url: string,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const attempts = Math.max(1, options.attempts ?? 4);
  const body = JSON.stringify(payload);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((options.backoffMs ?? 1000) * 2 ** (attempt - 2));
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "fast-intercom-mcp" },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await res.body?.cancel();
      status = res.status;
      if (res.ok) return { delivered: true, attempts: attempt, status, error: null };
      error = `the webhook answered HTTP ${res.status}`;
      if (!retryable(res.status)) return { delivered: false, attempts: attempt, status, error };
    } catch (e) {
      status = null;
      error = e instanceof DOMException && e.name === "TimeoutError"
        ? `no answer within ${options.timeoutMs ?? 5000} ms`
        : "the webhook could not be reached";
    }
  }
  return { delivered: false, attempts, status, error };
}
