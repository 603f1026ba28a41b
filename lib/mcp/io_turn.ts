/**
 * A turn of the event loop that includes polling I/O. Deno runs JS, its HTTP server and
 * every socket on one thread, and while callbacks keep being ready (`setImmediate`,
 * `MessageChannel`) the runtime looks at sockets only every few dozen of them: a response
 * handed to the HTTP server waits, unwritten, through that many calls. A timer does poll
 * I/O but waits at least a millisecond. An answer on a socket pair is the cheap way to make
 * the loop look: the byte written at one end is seen by the same poll that sees every other
 * socket, ~15 µs.
 */
import { join } from "node:path";
import type { NextTurn } from "./call_turns.ts";

const ONE = new Uint8Array(1);

/** Turns through I/O, on a Unix socket pair in a private directory. */
export interface IoTurn {
  /** Runs `callback` once, after the next poll of I/O. */
  next: NextTurn;
  /** Closes the pair; callbacks still asked for run on timers. Safe twice. */
  close(): void;
}

/** Opens the socket pair of an {@link IoTurn} at `dir/turn.sock` (`dir` must be private). */
export async function openIoTurn(dir: string): Promise<IoTurn> {
  const path = join(dir, "turn.sock");
  const listener = Deno.listen({ transport: "unix", path });
  let writer: Deno.UnixConn;
  let reader: Deno.UnixConn;
  try {
    [writer, reader] = await Promise.all([
      Deno.connect({ transport: "unix", path }),
      listener.accept() as Promise<Deno.UnixConn>,
    ]);
  } finally {
    listener.close();
    await Deno.remove(path).catch(() => {});
  }
  const buffer = new Uint8Array(64);
  let closed = false;
  return {
    next(callback) {
      if (closed) {
        setTimeout(callback, 0);
        return;
      }
      reader.read(buffer).then(() => callback(), () => setTimeout(callback, 0));
      writer.write(ONE).catch(() => {});
    },
    close() {
      if (closed) return;
      closed = true;
      for (const conn of [writer, reader]) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
    },
  };
}
