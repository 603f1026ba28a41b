/**
 * Fixtures shared by the client, transport and rate limiter tests: time that moves only when
 * told to, and clients whose fetch answers from a handler.
 */
import { type ClientOptions, IntercomClient } from "../../lib/intercom/client.ts";
import type { Sleep } from "../../lib/util/clock.ts";

/** A window boundary: whole seconds, a multiple of 10 s. */
export const T0 = 1_700_000_000_000;

/** Lets pending promise chains run to their next real wait. */
export const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 0));

/** Manual time: sleeps resolve only when the test advances the clock past them. */
export class FakeTime {
  now = T0;
  /** Every requested sleep, in ms, in order. */
  sleeps: number[] = [];
  #timers: { at: number; resolve: () => void }[] = [];
  clock = (): number => this.now;
  sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.sleeps.push(ms);
      const timer = { at: this.now + Math.max(0, ms), resolve };
      this.#timers.push(timer);
      signal?.addEventListener("abort", () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal.reason);
      }, { once: true });
    });

  /** Settles `promise`, jumping the clock to the next sleep whenever everything waits. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    promise.then(() => done = true, () => done = true);
    for (let i = 0; i < 10_000; i++) {
      await settle();
      if (done) return promise;
      const next = [...this.#timers].sort((a, b) => a.at - b.at)[0];
      if (next === undefined) continue;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
    throw new Error("FakeTime.run(): the promise never settled");
  }

  /** Moves the clock to `at`, waking every sleep that ends by then, in order. */
  async advanceTo(at: number): Promise<void> {
    await settle();
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= at).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.resolve();
      await settle();
    }
    this.now = Math.max(this.now, at);
    await settle();
  }
}

/** The token of the fake clients: it must never appear in an error or a log. */
export const TOKEN = "tok_live_0123456789abcdef";
/** The base URL of the fake clients. */
export const BASE = "https://api.example.test";

/** Answers the `n`th request. */
export type Handler = (request: Request, n: number) => Response | Promise<Response>;

/** A fake fetch that records every request and answers with `handler`. */
export function fakeFetch(handler: Handler) {
  const requests: Request[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return Promise.resolve(handler(request, requests.length));
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** A JSON response. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An Intercom `error.list` response. */
export function errorList(status: number, code: string, message: string, headers = {}): Response {
  const body = { type: "error.list", request_id: "req-42", errors: [{ code, message }] };
  return json(body, status, headers);
}

/** A `GET /me` body. */
export const ME = {
  type: "admin",
  id: 991,
  email: "ops@example.com",
  name: "Ops",
  has_inbox_seat: true,
  app: { type: "app", id_code: "abc123", name: "Acme", created_at: 1_600_000_000, secure: true },
};

/** A conversation body with `extra` fields. */
export function conversation(id: string, extra: Record<string, unknown> = {}) {
  return {
    type: "conversation",
    id,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_100,
    state: "open",
    open: true,
    ...extra,
  };
}

/** A client on fake time and a fake fetch answering with `handler`. */
export function client(time: FakeTime, handler: Handler, options: Partial<ClientOptions> = {}) {
  const fake = fakeFetch(handler);
  const api = new IntercomClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch: fake.fetch,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...options,
  });
  return { api, requests: fake.requests };
}
