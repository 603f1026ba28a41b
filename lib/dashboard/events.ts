/**
 * `GET /events`: the dashboard's Server-Sent Events stream. The first `state` event carries
 * the chart history; later ones carry one new chart point each. A comment line every 15 s
 * keeps proxies from closing an idle stream; the subscription ends when the client goes away
 * (the body is cancelled; Deno.serve's `request.signal` is not used: it also aborts after a
 * response completes).
 */
import type { DashboardFeed, DashboardState } from "./feed.ts";

const encoder = new TextEncoder();

/** One SSE message: `event: <name>` and the JSON on one `data:` line. */
export function sseMessage(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Options for {@link eventStream}. */
export interface EventStreamOptions {
  /** Period of keep-alive comments. Default: 15000 ms. */
  keepAliveMs?: number;
}

/** A streaming response that relays the feed's states until the client goes away. */
export function eventStream(feed: DashboardFeed, options: EventStreamOptions = {}): Response {
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let first = true;
      const send = (state: DashboardState) => {
        const message = first ? state : { ...state, history: undefined };
        first = false;
        try {
          controller.enqueue(sseMessage("state", message));
        } catch {
          stop();
        }
      };
      const unsubscribe = feed.subscribe(send);
      const keepAlive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch {
          stop();
        }
      }, options.keepAliveMs ?? 15_000);
      stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed or cancelled
        }
      };
      controller.enqueue(encoder.encode("retry: 3000\n\n"));
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}
