/**
 * An HTTP handler served behind the connection guard (`connection_guard.ts`): the guard owns
 * the TCP port (connection cap, header and idle timeouts, survives running out of file
 * descriptors) and relays each connection to `Deno.serve` on a Unix socket in a private
 * temporary directory. Used by `serve` (`http.ts`) and `monitor serve`.
 */
import { join } from "node:path";
import { getLogger, type Logger } from "@logtape/logtape";
import { openFileLimit } from "../util/fd_limit.ts";
import {
  type ConnectionLimits,
  DEFAULT_LIMITS,
  guardConnections,
  isDescriptorShortage,
} from "./connection_guard.ts";

const httpLog = getLogger(["fast-intercom", "http"]);

/** File descriptors kept for everything but connections: the store, logs, syncs, children. */
const RESERVED_DESCRIPTORS = 96;
/** Descriptors one relayed connection holds: the client's, and both ends of the relay socket. */
const DESCRIPTORS_PER_CONNECTION = 3;
/** The connection cap when the descriptor limit allows more. */
export const MAX_CONNECTIONS = 1024;

/** The default connection cap for a descriptor limit (null: unknown, assume 1024). */
export function connectionCap(descriptorLimit: number | null): number {
  const limit = descriptorLimit ?? 1024;
  const cap = Math.floor((limit - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_CONNECTION);
  return Math.max(4, Math.min(MAX_CONNECTIONS, cap));
}

/** Options of {@link listenGuarded}. */
export interface GuardedListenerOptions {
  /** Bind address. */
  hostname: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Connection limits and timeouts. Default: {@link DEFAULT_LIMITS}, the cap from `ulimit -n`. */
  limits?: Partial<ConnectionLimits>;
  /** The answer when the handler throws. Default: a plain 500. */
  onError?: (error: unknown) => Response;
  /**
   * Where the inner server's socket goes; the caller owns it (it is not removed on close).
   * Default: a private temporary directory, removed on close.
   */
  socketDir?: string;
  /**
   * Runs on close once no connection is accepted any more, before the inner server waits for
   * its answers in flight: the place to end long-lived streams. Default: nothing.
   */
  beforeStop?: () => Promise<void>;
  /** Where the server's own errors are logged. Default: the `http` category. */
  log?: Logger;
}

/** A listening guarded server. */
export interface GuardedListener extends AsyncDisposable {
  addr: Deno.NetAddr;
  /** The connection limits in force. */
  limits: ConnectionLimits;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops accepting, closes every connection and the inner server. Safe twice. */
  close(): Promise<void>;
}

/** The limits in force: `limits` over the defaults, the cap from this process's `ulimit -n`. */
export async function resolveLimits(
  limits: Partial<ConnectionLimits> = {},
): Promise<ConnectionLimits> {
  const maxConnections = limits.maxConnections ?? connectionCap(await openFileLimit());
  return { ...DEFAULT_LIMITS, ...limits, maxConnections };
}

/** Serves `handler` on `hostname:port` behind the connection guard. */
export async function listenGuarded(
  handler: (request: Request) => Response | Promise<Response>,
  options: GuardedListenerOptions,
): Promise<GuardedListener> {
  const limits = await resolveLimits(options.limits);
  const log = options.log ?? httpLog;
  const ownDir = options.socketDir === undefined;
  const socketDir = options.socketDir ?? await Deno.makeTempDir({ prefix: "fast-intercom-mcp-" });
  const stop = new AbortController();
  let generation = 0;
  let stopping = false;
  const onError = options.onError ??
    (() => new Response("Internal server error; see the logs", { status: 500 }));
  // Started again should it ever fail (it ends its accept loop when descriptors run out,
  // which the guard's cap is meant to prevent).
  const startInner = () => {
    const path = join(socketDir, `http-${generation++}.sock`);
    const server = Deno.serve({
      path,
      signal: stop.signal,
      onListen: () => {},
      onError: (error) => {
        log.error("HTTP request failed: {error}", { error: String(error) });
        return onError(error);
      },
    }, handler);
    server.finished.catch((error) => {
      if (stopping) return;
      log.error("the HTTP server stopped ({error}); starting it again", {
        error: isDescriptorShortage(error) ? "out of file descriptors" : String(error),
      });
      restart();
    });
    return { path, server };
  };
  const restart = () => {
    try {
      inner = startInner();
    } catch {
      // out of descriptors for the new socket too: try again shortly
      if (!stopping) setTimeout(restart, 100);
    }
  };
  let inner = startInner();
  const stopInner = async () => {
    stopping = true;
    stop.abort();
    await inner.server.finished.catch(() => {});
    if (ownDir) await Deno.remove(socketDir, { recursive: true }).catch(() => {});
  };
  let guard;
  try {
    guard = guardConnections({
      hostname: options.hostname,
      port: options.port,
      upstream: () => inner.path,
      limits,
    });
  } catch (error) {
    await stopInner();
    throw error;
  }
  const { promise: finished, resolve: done } = Promise.withResolvers<void>();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await guard.close();
      await options.beforeStop?.();
      await stopInner();
      done();
    })();
    return closing;
  };
  return { addr: guard.addr, limits, finished, close, [Symbol.asyncDispose]: close };
}
