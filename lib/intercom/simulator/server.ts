/**
 * The simulator's HTTP server: a local Intercom REST API over a generated workspace, with
 * Intercom's auth, version header, clock-aligned rate windows, injected faults, latency and
 * optional background mutations. Used by `simulate`, `demo` and the tests.
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, realSleep, type Sleep, systemClock, unixSeconds } from "../../util/clock.ts";
import {
  drawFault,
  FAULT_KINDS,
  type FaultKind,
  type FaultRates,
  html502Response,
  resetResponse,
  truncatedResponse,
  validateFaultRates,
} from "./faults.ts";
import { generateWorkspace } from "./generator.ts";
import { mutateWorkspace, type MutationResult } from "./mutation.ts";
import { deriveSeed, Prng } from "./prng.ts";
import { DEFAULT_PARTS_CAP } from "./render.ts";
import {
  type RateDecision,
  rateLimitHeaders,
  rateLimitMessage,
  RateWindow,
} from "./rate_window.ts";
import { errorResponse, SimHttpError } from "./responses.ts";
import { matchRoute, type RouteContext } from "./routes.ts";
import type { Workspace } from "./workspace.ts";

const logger = getLogger(["fast-intercom", "simulator"]);

/** The documented default bearer token the simulator accepts. */
export const DEFAULT_SIMULATOR_TOKEN = "sim-token-0123456789";

/** Options of {@link startSimulator}; every one has a working default. */
export interface SimulatorOptions {
  /** Interface to listen on. Default "127.0.0.1". */
  hostname?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** The accepted bearer token. Default {@link DEFAULT_SIMULATOR_TOKEN}. */
  token?: string;
  /** Conversations to generate. Default 200. */
  conversations?: number;
  /** Days the conversations are spread over, ending at `now`. Default 30. */
  days?: number;
  /** Seed of the generated data, latency and mutations. Default 1. */
  seed?: number;
  /** Workspace "now" for the generator, Unix seconds. Default: the clock's current time. */
  now?: number;
  /** A pre-built workspace to serve instead of generating one. Default: generated. */
  workspace?: Workspace;
  /** Millisecond clock for rate windows and mutation times. Default: the system clock. */
  clock?: Clock;
  /** Sleep used for latency and slow faults. Default: a real timer. */
  sleep?: Sleep;
  /** Per-request latency, uniform in mean±jitter. Default {meanMs: 0, jitterMs: 0}. */
  latency?: { meanMs: number; jitterMs: number };
  /** Requests per clock-aligned window. Default {limit: 10_000, windowSeconds: 10}. */
  rateLimit?: { limit: number; windowSeconds: number };
  /** Per-request fault probabilities. Default: none. */
  faults?: FaultRates;
  /** Seed of the fault draws. Default: `seed`. */
  faultSeed?: number;
  /** How long a "slow" fault waits before answering, ms. Default 30_000. */
  slowMs?: number;
  /** Background mutations every `intervalMs` (`perTick` changes each, default 1). Default off. */
  mutate?: { intervalMs: number; perTick?: number } | false;
  /** `>`/`<` on dates are strict (else inclusive). Default true. */
  strictGreaterThan?: boolean;
  /** Parts returned by `GET /conversations/{id}`, the newest. Default 500. */
  partsCap?: number;
  /** Aborting it closes the simulator. */
  signal?: AbortSignal;
}

/** Counters of what the simulator served. */
export interface SimulatorStats {
  /** Every request received. */
  requests: number;
  /** Authenticated requests by route name ("GET /conversations/{id}", "unknown"). */
  byRoute: Record<string, number>;
  /** Responses by HTTP status. */
  byStatus: Record<string, number>;
  /** 401s served. */
  unauthorized: number;
  /** 429s served because the rate window was full (injected 429s are in `faults`). */
  rateLimited: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Changes applied by mutate() and background mutation. */
  mutations: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. "http://127.0.0.1:PORT". */
  url: string;
  port: number;
  /** The live data (mutations visible). */
  workspace: Workspace;
  stats: SimulatorStats;
  /** Applies `count` (default 1) changes now, stamped with the clock's current second. */
  mutate(count?: number): MutationResult;
  /** Replaces the fault rates (throws RangeError when invalid). */
  setFaults(faults: FaultRates): void;
  /** Called at the start of every request; tests use it to change data between pages. */
  onRequest?: (info: { method: string; path: string; n: number }) => void;
  /** Stops the server and background work; safe to call twice. */
  close(): Promise<void>;
}

const VERSION = /^(1\.[0-4]|2\.([0-9]|1[0-4])|Unstable|Preview)$/;

/** Starts a simulator on a local port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const seed = options.seed ?? 1;
  const token = options.token ?? DEFAULT_SIMULATOR_TOKEN;
  const latency = options.latency ?? { meanMs: 0, jitterMs: 0 };
  const rateLimit = options.rateLimit ?? { limit: 10_000, windowSeconds: 10 };
  const slowMs = options.slowMs ?? 30_000;
  const ws = options.workspace ?? generateWorkspace({
    seed,
    conversations: options.conversations ?? 200,
    days: options.days ?? 30,
    now: options.now ?? unixSeconds(clock),
  });
  const window = new RateWindow(rateLimit, { clock });
  const faultRng = new Prng(deriveSeed(options.faultSeed ?? seed, "faults"));
  const latencyRng = new Prng(deriveSeed(seed, "latency"));
  const mutationRng = new Prng(deriveSeed(seed, "mutations"));
  let faults = validateFaultRates(options.faults ?? {});
  const routeContext: RouteContext = {
    ws,
    strictGreaterThan: options.strictGreaterThan ?? true,
    partsCap: options.partsCap ?? DEFAULT_PARTS_CAP,
  };
  const stats: SimulatorStats = {
    requests: 0,
    byRoute: {},
    byStatus: {},
    unauthorized: 0,
    rateLimited: 0,
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    mutations: 0,
  };
  const closing = new AbortController();
  const count = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1;
  };

  const answer = async (req: Request, requestId: string): Promise<Response> => {
    const url = new URL(req.url);
    if (req.headers.get("authorization") !== `Bearer ${token}`) {
      stats.unauthorized++;
      return errorResponse(401, "unauthorized", "Access Token Invalid", { requestId });
    }
    const decision = window.take();
    const headers = { ...rateLimitHeaders(decision), "X-Request-Id": requestId };
    if (!decision.allowed) {
      stats.rateLimited++;
      return errorResponse(429, "rate_limit_exceeded", rateLimitMessage(rateLimit), {
        requestId,
        headers,
      });
    }
    const fault = drawFault(faults, faultRng);
    if (fault) {
      stats.faults[fault]++;
      const early = await earlyFault(fault, { req, requestId, decision, headers });
      if (early) return early;
    }
    const routed = await route(req, url, { requestId, headers });
    if (fault === "truncated") return truncatedResponse(routed);
    if (fault === "reset") return resetResponse(routed);
    return routed;
  };

  interface FaultContext {
    req: Request;
    requestId: string;
    decision: RateDecision;
    headers: Record<string, string>;
  }

  /** Answers for faults that replace the response; undefined for those applied afterwards. */
  const earlyFault = async (kind: FaultKind, ctx: FaultContext): Promise<Response | undefined> => {
    const { requestId, headers } = ctx;
    switch (kind) {
      case "500":
        return errorResponse(500, "server_error", "Server Error", { requestId, headers });
      case "html502":
        return html502Response();
      case "empty":
        return new Response("", {
          status: 200,
          headers: { ...headers, "content-type": "application/json" },
        });
      case "429":
        return errorResponse(429, "rate_limit_exceeded", rateLimitMessage(rateLimit), {
          requestId,
          headers: { ...headers, ...rateLimitHeaders({ ...ctx.decision, remaining: 0 }) },
        });
      case "slow": {
        // Only slow faults touch req.signal: Deno warns once per process when it is read.
        const signal = AbortSignal.any([ctx.req.signal, closing.signal]);
        try {
          await sleep(slowMs, signal);
        } catch {
          return new Response(null, { status: 503 });
        }
        return undefined;
      }
      default:
        return undefined;
    }
  };

  const route = async (
    req: Request,
    url: URL,
    ctx: { requestId: string; headers: Record<string, string> },
  ): Promise<Response> => {
    const { requestId, headers } = ctx;
    const version = req.headers.get("intercom-version");
    if (version !== null && !VERSION.test(version.trim())) {
      return errorResponse(
        400,
        "intercom_version_invalid",
        `The requested version "${version}" does not exist`,
        {
          requestId,
          headers,
        },
      );
    }
    const matched = matchRoute(req.method, url.pathname);
    count(stats.byRoute, matched?.name ?? "unknown");
    if (!matched) {
      return errorResponse(404, "not_found", "Resource Not Found", { requestId, headers });
    }
    try {
      const response = await matched.handle(routeContext, req, matched.params);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (error) {
      if (!(error instanceof SimHttpError)) {
        logger.error("Simulator handler {route} failed: {error}", { route: matched.name, error });
        return errorResponse(500, "server_error", "Server Error", { requestId, headers });
      }
      return errorResponse(error.status, error.code, error.message, {
        requestId,
        headers,
        field: error.field,
      });
    }
  };

  const handler = async (req: Request): Promise<Response> => {
    const n = ++stats.requests;
    const path = new URL(req.url).pathname;
    sim.onRequest?.({ method: req.method, path, n });
    const delay = latency.meanMs + (latencyRng.next() * 2 - 1) * latency.jitterMs;
    if (delay > 0) {
      try {
        await sleep(delay, closing.signal);
      } catch {
        return new Response(null, { status: 503 });
      }
    }
    const requestId = crypto.randomUUID();
    const response = await answer(req, requestId);
    count(stats.byStatus, String(response.status));
    logger.debug("{method} {path} → {status}", {
      method: req.method,
      path,
      status: response.status,
      n,
      requestId,
    });
    return response;
  };

  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    signal: closing.signal,
    onListen: () => {},
  }, handler);
  const port = server.addr.port;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed: Promise<void> | undefined;

  const sim: Simulator = {
    url: `http://${formatHost(server.addr.hostname)}:${port}`,
    port,
    workspace: ws,
    stats,
    mutate(changes = 1) {
      const result = mutateWorkspace(ws, mutationRng, { count: changes, now: unixSeconds(clock) });
      stats.mutations += Math.max(0, Math.floor(changes));
      return result;
    },
    setFaults(next) {
      faults = validateFaultRates(next);
    },
    close() {
      closed ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        options.signal?.removeEventListener("abort", onAbort);
        closing.abort();
        await server.finished;
        logger.debug("Simulator on port {port} stopped after {requests} requests", {
          port,
          requests: stats.requests,
        });
      })();
      return closed;
    },
  };
  const onAbort = () => void sim.close();
  if (options.signal?.aborted) await sim.close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.mutate) {
    const { intervalMs, perTick = 1 } = options.mutate;
    timer = setInterval(() => sim.mutate(perTick), Math.max(1, intervalMs));
  }
  logger.debug("Simulator listening on {url} with {conversations} conversations", {
    url: sim.url,
    conversations: ws.conversations.length,
  });
  return sim;
}

function formatHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
