/** A webhook receiver on 127.0.0.1 that records what it is sent and answers as told. */

/** A listening receiver. */
export interface Receiver extends AsyncDisposable {
  url: string;
  /** Bodies received, parsed. */
  received: Record<string, unknown>[];
  /** Status codes to answer with, in order; 200 once they run out. */
  answers: number[];
}

/** Starts a receiver on a free port of 127.0.0.1. */
export function startReceiver(answers: number[] = []): Receiver {
  const received: Record<string, unknown>[] = [];
  const queue = [...answers];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push(await req.json());
    return new Response(null, { status: queue.shift() ?? 200 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook/SECRET-PATH-TOKEN`,
    received,
    answers: queue,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
