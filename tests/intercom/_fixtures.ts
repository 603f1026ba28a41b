/** Fixtures shared by the client and rate limiter tests: time that moves only when told to. */
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
