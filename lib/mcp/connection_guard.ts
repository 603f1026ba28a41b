/**
 * The TCP front of `serve`. `Deno.serve` has no header or idle timeouts and no connection
 * limit, and running out of file descriptors ends its accept loop (the process then exits):
 * anyone who could reach the port could take the server down with idle connections. So this
 * module accepts the connections itself and relays each one, byte for byte, to the HTTP
 * server listening on a private Unix socket, while it:
 *
 * - caps the connections open at once (more are answered 503 and closed);
 * - closes a connection whose request head is not complete `headersTimeoutMs` after its
 *   first byte (or after the accept), whose request body has not arrived `requestTimeoutMs`
 *   after the head began, or that is idle between requests for `idleTimeoutMs` (SSE streams
 *   carry keep-alive comments, and a request waiting for its answer is never idle);
 * - survives running out of descriptors: a spare descriptor is released to accept and shed
 *   the waiting connection, a warning is logged, and serving goes on.
 */
import { getLogger } from "@logtape/logtape";
import { RequestFraming } from "./http_framing.ts";

const log = getLogger(["fast-intercom", "mcp", "http"]);

/** The limits the guard enforces. */
export interface ConnectionLimits {
  /** Connections open at once; more are refused. */
  maxConnections: number;
  /** A request head must be complete this long after its first byte (and a new connection must send one). */
  headersTimeoutMs: number;
  /** A whole request (head and body) must arrive within this. */
  requestTimeoutMs: number;
  /** A connection with no request in flight and no bytes either way for this long is closed. */
  idleTimeoutMs: number;
}

/** Defaults of {@link ConnectionLimits} (the connection cap comes from the descriptor limit). */
export const DEFAULT_LIMITS: Omit<ConnectionLimits, "maxConnections"> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
};

/** Options of {@link guardConnections}. */
export interface ConnectionGuardOptions {
  hostname: string;
  port: number;
  /** The Unix socket of the HTTP server each connection is relayed to. */
  upstream: () => string;
  limits: ConnectionLimits;
  /** How often timeouts are checked. Default: a quarter of the shortest timeout, at most 1 s. */
  sweepIntervalMs?: number;
  /** Default: `Date.now`. */
  clock?: () => number;
}

/** Counters of a guard, for logs and tests. */
export interface ConnectionStats {
  open: number;
  accepted: number;
  refused: number;
  timedOut: number;
  /** Accept failures for lack of file descriptors. */
  descriptorShortages: number;
}

/** A listening guard. */
export interface ConnectionGuard extends AsyncDisposable {
  addr: Deno.NetAddr;
  stats(): ConnectionStats;
  /** Stops accepting and closes every connection. Safe twice. */
  close(): Promise<void>;
}

interface Relay {
  client: Deno.Conn;
  upstream: Deno.Conn | null;
  framing: RequestFraming;
  acceptedAt: number;
  lastActivity: number;
  /** When the request now arriving began, or null between requests. */
  requestStart: number | null;
  /** A complete request awaits the server's first byte. */
  awaiting: boolean;
  closed: boolean;
}

const encoder = new TextEncoder();

function rawResponse(status: string, message: string): Uint8Array {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
  return encoder.encode(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
      `Retry-After: 1\r\nContent-Length: ${encoder.encode(body).length}\r\n\r\n${body}`,
  );
}

const BUSY = rawResponse("503 Service Unavailable", "Server busy: too many connections; retry");
const TIMEOUT = rawResponse("408 Request Timeout", "Request not received in time");

/** Whether an error is the process (or system) running out of file descriptors. */
export function isDescriptorShortage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EMFILE" || code === "ENFILE" ||
    /too many open files/i.test(error instanceof Error ? error.message : "");
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(await conn.write(rest));
}

function closeQuietly(conn: Deno.Conn | null): void {
  try {
    conn?.close();
  } catch {
    // already closed
  }
}

/** Refusals whose answer is still being written; past this many, refused sockets just close. */
const MAX_PENDING_ANSWERS = 32;
let pendingAnswers = 0;

/**
 * Writes a short answer (a fresh socket's buffer takes it at once), then closes; never
 * throws. Under a flood the answers in flight are capped, since each holds a descriptor.
 */
function refuse(conn: Deno.Conn, answer: Uint8Array | null): void {
  if (answer === null || pendingAnswers >= MAX_PENDING_ANSWERS) return closeQuietly(conn);
  pendingAnswers++;
  const close = () => {
    pendingAnswers--;
    closeQuietly(conn);
  };
  conn.write(answer).then(close, close);
}

/** A warning at most every 10 s, with how many times it happened meanwhile. */
function throttledWarning(clock: () => number) {
  let last = -Infinity;
  let suppressed = 0;
  return (message: string, properties: Record<string, unknown>) => {
    const now = clock();
    if (now - last < 10_000) {
      suppressed++;
      return;
    }
    log.warning(message, { ...properties, times: suppressed + 1 });
    last = now;
    suppressed = 0;
  };
}

/** Starts accepting on `hostname:port`; see the module comment. */
export function guardConnections(options: ConnectionGuardOptions): ConnectionGuard {
  const clock = options.clock ?? Date.now;
  const limits = options.limits;
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const relays = new Set<Relay>();
  const stats: ConnectionStats = {
    open: 0,
    accepted: 0,
    refused: 0,
    timedOut: 0,
    descriptorShortages: 0,
  };
  const busyWarning = throttledWarning(clock);
  const fdWarning = throttledWarning(clock);
  const upstreamWarning = throttledWarning(clock);
  let closed = false;
  // Held so that, out of descriptors, one can be freed to accept and shed a waiting client.
  let spare: Deno.FsFile | null = openSpare();

  const shortest = Math.min(limits.headersTimeoutMs, limits.idleTimeoutMs);
  const sweepMs = options.sweepIntervalMs ?? Math.max(10, Math.min(1000, shortest / 4));
  const sweeper = setInterval(() => sweep(), sweepMs);
  Deno.unrefTimer(sweeper);

  /** Forgets `relay` and closes its upstream; closes the client too unless `answer` is sent first. */
  function end(relay: Relay, answer: Uint8Array | null = null): void {
    if (relay.closed) return;
    relay.closed = true;
    relays.delete(relay);
    stats.open = relays.size;
    closeQuietly(relay.upstream);
    if (answer === null) closeQuietly(relay.client);
    else refuse(relay.client, answer);
  }

  function timeOut(relay: Relay, reason: string, answer: Uint8Array | null): void {
    stats.timedOut++;
    log.debug("closed a connection: {reason}", { reason });
    end(relay, answer);
  }

  function sweep(): void {
    const now = clock();
    for (const relay of relays) {
      const start = relay.requestStart;
      if (start !== null) {
        if (relay.framing.state === "head" && now - start > limits.headersTimeoutMs) {
          timeOut(relay, "request head not complete in time", TIMEOUT);
        } else if (now - start > limits.requestTimeoutMs) {
          timeOut(relay, "request body not complete in time", TIMEOUT);
        }
      } else if (!relay.awaiting) {
        if (relay.framing.completed === 0 && now - relay.acceptedAt > limits.headersTimeoutMs) {
          timeOut(relay, "no request sent", null);
        } else if (now - relay.lastActivity > limits.idleTimeoutMs) {
          timeOut(relay, "idle", null);
        }
      }
    }
  }

  async function clientToServer(relay: Relay, upstream: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    try {
      for (;;) {
        const n = await relay.client.read(buffer);
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        const now = clock();
        relay.lastActivity = now;
        const before = relay.framing.completed;
        relay.framing.feed(chunk);
        if (relay.framing.error !== null) {
          log.debug("closed a connection: {reason}", { reason: relay.framing.error });
          return end(relay);
        }
        if (relay.framing.completed > before) relay.awaiting = true;
        relay.requestStart = relay.framing.state === "between" ? null : relay.requestStart ?? now;
        await writeAll(upstream, chunk);
      }
      await upstream.closeWrite().catch(() => {});
    } catch {
      end(relay);
    }
  }

  async function serverToClient(relay: Relay, upstream: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    try {
      for (;;) {
        const n = await upstream.read(buffer);
        if (n === null) break;
        relay.lastActivity = clock();
        relay.awaiting = false;
        await writeAll(relay.client, buffer.subarray(0, n));
      }
    } catch {
      // either side went away
    }
    end(relay);
  }

  async function handle(client: Deno.Conn): Promise<void> {
    const now = clock();
    const relay: Relay = {
      client,
      upstream: null,
      framing: new RequestFraming(),
      acceptedAt: now,
      lastActivity: now,
      requestStart: null,
      awaiting: false,
      closed: false,
    };
    relays.add(relay);
    stats.open = relays.size;
    try {
      relay.upstream = await Deno.connect({ transport: "unix", path: options.upstream() });
    } catch (error) {
      if (isDescriptorShortage(error)) {
        stats.descriptorShortages++;
        fdWarning("out of file descriptors: refused a connection ({open} open)", {
          open: relays.size,
        });
      } else {
        upstreamWarning("refused a connection: the HTTP server is not reachable ({error})", {
          error: String(error),
        });
      }
      relays.delete(relay);
      stats.open = relays.size;
      stats.refused++;
      return refuse(client, null);
    }
    if (relay.closed) return end(relay);
    await Promise.all([
      clientToServer(relay, relay.upstream),
      serverToClient(relay, relay.upstream),
    ]);
  }

  function shed(): void {
    stats.descriptorShortages++;
    fdWarning(
      "out of file descriptors: shedding waiting connections ({open} open, limit " +
        "{max}); raise `ulimit -n` or lower --max-connections",
      { open: relays.size, max: limits.maxConnections },
    );
    spare?.close();
    spare = null;
  }

  async function acceptLoop(): Promise<void> {
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closed || error instanceof Deno.errors.BadResource) break;
        if (isDescriptorShortage(error)) {
          if (spare !== null) {
            shed();
            continue; // the next accept takes the freed descriptor, and is refused below
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
          spare ??= openSpare();
          continue;
        }
        log.warning("accepting a connection failed: {error}", { error: String(error) });
        continue;
      }
      stats.accepted++;
      if (spare === null) {
        // accepted with the freed descriptor: shed it, then take the spare back
        stats.refused++;
        refuse(conn, BUSY);
        spare = openSpare();
        continue;
      }
      if (relays.size >= limits.maxConnections) {
        stats.refused++;
        busyWarning(
          "refused a connection: {open} open, the limit is {max} (--max-connections)",
          { open: relays.size, max: limits.maxConnections },
        );
        refuse(conn, BUSY);
        continue;
      }
      void handle(conn);
    }
  }

  const accepting = acceptLoop();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      closed = true;
      clearInterval(sweeper);
      try {
        listener.close();
      } catch {
        // already closed
      }
      await accepting;
      for (const relay of [...relays]) end(relay);
      spare?.close();
      spare = null;
    })();
    return closing;
  };
  return {
    addr: listener.addr as Deno.NetAddr,
    stats: () => ({ ...stats }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function openSpare(): Deno.FsFile | null {
  try {
    return Deno.openSync("/dev/null", { read: true });
  } catch {
    return null;
  }
}
