/** Starting a server on a port the user chose: a port already taken is one line naming it. */
import { AppError } from "../errors.ts";
import { explainError } from "../explain_error.ts";

/** Runs `start`, which listens on `port`; `AddrInUse` becomes an error naming the port and `--port 0`. */
export async function listenOn<T>(port: number, start: () => T | Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    throw new AppError(explainError(error, { port }) ?? error.message, { cause: error });
  }
}
