/**
 * An HTTP handler served behind the connection guard (`connection_guard.ts`): the guard owns
 * the TCP port (connection cap, header and idle timeouts, survives running out of file
 * descriptors) and relays each connection to `Deno.serve` on a Unix socket in a private
 * temporary directory. Used by `monitor serve`; `serve` (`http.ts`) does the same around its
 * MCP sessions.
 */
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { openFileLimit } from "../util/fd_limit.ts";
import {
  type ConnectionLimits,
  DEFAULT_LIMITS,
  guardConnections,
  isDescriptorShortage,
} from "./connection_guard.ts";
import { connectionCap } from "./http.ts";

const log = getLogger(["fast-intercom", "http"]);

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
  const socketDir = await Deno.makeTempDir({ prefix: "fast-intercom-mcp-" });
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
    await Deno.remove(socketDir, { recursive: true }).catch(() => {});
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
      await stopInner();
      done();
    })();
    return closing;
  };
  return { addr: guard.addr, limits, finished, close, [Symbol.asyncDispose]: close };
}
