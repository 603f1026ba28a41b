/**
 * Direct tool calls started one per event-loop turn, in arrival order. A tool body is CPU
 * work (SQLite and formatting) between awaits that resolve at once; when many requests arrive
 * together, their bodies all complete in one drain of the microtask queue, and no answer can
 * be written (by the HTTP server, then the connection relay) until the last one is done:
 * at 200 concurrent calls every caller waited for nearly all the others. Started one per
 * turn, each call runs to completion and the event loop polls I/O in between, so its answer
 * leaves while the next call runs: the first caller waits for one call, the last for all.
 *
 * A call that awaits real I/O does not hold the queue: the next one starts on the next turn.
 */

/** Runs `callback` on a later turn of the event loop, after I/O has been polled. */
export type NextTurn = (callback: () => void) => void;

/** A FIFO of calls, each started on its own turn of the event loop. */
export class CallTurns {
  readonly #nextTurn: NextTurn;
  #waiting: (() => void)[] = [];
  #head = 0;
  #busy = false;

  /** `nextTurn` must let the event loop poll I/O (`io_turn.ts`; a timer). */
  constructor(nextTurn: NextTurn) {
    this.#nextTurn = nextTurn;
  }

  /** Calls waiting for their turn. */
  get pending(): number {
    return this.#waiting.length - this.#head;
  }

  /** Runs `call` now when nothing is waiting, else on a turn after those queued before it. */
  run<T>(call: () => Promise<T>): Promise<T> {
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    const start = () => {
      try {
        call().then(resolve, reject);
      } catch (error) {
        reject(error);
      }
    };
    if (this.#busy) {
      this.#waiting.push(start);
    } else {
      this.#busy = true;
      start();
      this.#nextTurn(this.#turn);
    }
    return promise;
  }

  #turn = (): void => {
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
      this.#busy = false;
      return;
    }
    const start = this.#waiting[this.#head]!;
    this.#waiting[this.#head++] = undefined!;
    start();
    this.#nextTurn(this.#turn);
  };
}
