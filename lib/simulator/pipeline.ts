/**
 * What happens to each request, in Intercom's order: latency, auth (401 without rate
 * headers), the rate window (429), an injected fault, the version header, then the route.
 */
import { getLogger } from "@logtape/logtape";
import type { Sleep } from "../util/clock.ts";
import {
  drawFault,
  FAULT_KINDS,
  type FaultKind,
  type FaultRates,
  html502Response,
  resetResponse,
  truncatedResponse,
} from "./faults.ts";
import type { Prng } from "./prng.ts";
import {
  type RateDecision,
  type RateLimit,
  rateLimitHeaders,
  rateLimitMessage,
  type RateWindow,
} from "./rate_window.ts";
import { errorResponse, SimHttpError } from "./responses.ts";
import { matchRoute, type RouteContext } from "./routes.ts";

const logger = getLogger(["fast-intercom", "simulator"]);

/**
 * `Intercom-Version` values: those the 2.11 description lists (1.0–1.4, 2.0–2.11, Preview),
 * the versions published since (2.12–2.16) and Unstable.
 */
export const INTERCOM_VERSION = /^(1\.[0-4]|2\.([0-9]|1[0-6])|Unstable|Preview)$/;

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

/** Zeroed stats. */
export function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    byRoute: {},
    byStatus: {},
    unauthorized: 0,
    rateLimited: 0,
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    mutations: 0,
  };
}

/** Everything the pipeline needs, built by `startSimulator`. */
export interface PipelineConfig {
  token: string;
  rateLimit: RateLimit;
  window: RateWindow;
  routes: RouteContext;
  latency: { meanMs: number; jitterMs: number };
  latencyRng: Prng;
  faults: FaultRates;
  faultRng: Prng;
  slowMs: number;
  sleep: Sleep;
  /** Aborted when the simulator closes: pending latency and slow faults stop waiting. */
  closing: AbortSignal;
  stats: SimulatorStats;
  /** Called at the start of every request. */
  onRequest: (info: { method: string; path: string; n: number }) => void;
  /** Called once the response is ready, before it is sent. */
  onResponse: (info: { method: string; path: string; n: number; status: number }) => void;
}

interface Answer {
  requestId: string;
  headers: Record<string, string>;
}

const count = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

/** Turns requests into responses; `faults` may be replaced while it runs. */
export class RequestPipeline {
  readonly #config: PipelineConfig;
  /** Current fault rates (already validated). */
  faults: FaultRates;

  constructor(config: PipelineConfig) {
    this.#config = config;
    this.faults = config.faults;
  }

  /** The `Deno.serve` handler. */
  handle = async (req: Request): Promise<Response> => {
    const { stats, latency, latencyRng } = this.#config;
    const n = ++stats.requests;
    const path = new URL(req.url).pathname;
    this.#config.onRequest({ method: req.method, path, n });
    const delay = latency.meanMs + (latencyRng.next() * 2 - 1) * latency.jitterMs;
    if (delay > 0 && !(await this.#wait(delay, this.#config.closing))) {
      return new Response(null, { status: 503 });
    }
    const requestId = crypto.randomUUID();
    const response = await this.#answer(req, requestId);
    count(stats.byStatus, String(response.status));
    this.#config.onResponse({ method: req.method, path, n, status: response.status });
    logger.debug("{method} {path} → {status}", {
      method: req.method,
      path,
      status: response.status,
      n,
      requestId,
    });
    return response;
  };

  /** Sleeps; false when the signal cut the wait short. */
  async #wait(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#config.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  async #answer(req: Request, requestId: string): Promise<Response> {
    const { stats, token, window, rateLimit } = this.#config;
    if (req.headers.get("authorization") !== `Bearer ${token}`) {
      stats.unauthorized++;
      return errorResponse(401, "unauthorized", "Access Token Invalid", { requestId });
    }
    const decision = window.take();
    const answer: Answer = {
      requestId,
      headers: { ...rateLimitHeaders(decision), "X-Request-Id": requestId },
    };
    if (!decision.allowed) {
      stats.rateLimited++;
      return errorResponse(429, "rate_limit_exceeded", rateLimitMessage(rateLimit), answer);
    }
    const fault = drawFault(this.faults, this.#config.faultRng);
    if (fault) {
      stats.faults[fault]++;
      const replaced = await this.#faultInstead(fault, req, { ...answer, decision });
      if (replaced) return replaced;
    }
    const routed = await this.#route(req, answer);
    if (fault === "truncated") return truncatedResponse(routed);
    if (fault === "reset") return resetResponse(routed);
    return routed;
  }

  /** The response a fault answers with instead of the real one; undefined to answer normally. */
  async #faultInstead(
    kind: FaultKind,
    req: Request,
    answer: Answer & { decision: RateDecision },
  ): Promise<Response | undefined> {
    const { requestId, headers } = answer;
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
        return errorResponse(429, "rate_limit_exceeded", rateLimitMessage(this.#config.rateLimit), {
          requestId,
          headers: { ...headers, ...rateLimitHeaders({ ...answer.decision, remaining: 0 }) },
        });
      case "slow": {
        // Only slow faults read req.signal: Deno warns once per process when it is read.
        const signal = AbortSignal.any([req.signal, this.#config.closing]);
        const waited = await this.#wait(this.#config.slowMs, signal);
        return waited ? undefined : new Response(null, { status: 503 });
      }
      default:
        return undefined;
    }
  }

  async #route(req: Request, answer: Answer): Promise<Response> {
    const version = req.headers.get("intercom-version");
    if (version !== null && !INTERCOM_VERSION.test(version.trim())) {
      const message = `The requested version "${version}" does not exist`;
      return errorResponse(400, "intercom_version_invalid", message, answer);
    }
    const matched = matchRoute(req.method, new URL(req.url).pathname);
    count(this.#config.stats.byRoute, matched?.name ?? "unknown");
    if (!matched) return errorResponse(404, "not_found", "Resource Not Found", answer);
    try {
      const response = await matched.handle(this.#config.routes, req, matched.params);
      for (const [name, value] of Object.entries(answer.headers)) {
        response.headers.set(name, value);
      }
      return response;
    } catch (error) {
      if (!(error instanceof SimHttpError)) {
        logger.error("Simulator handler {route} failed: {error}", { route: matched.name, error });
        return errorResponse(500, "server_error", "Server Error", answer);
      }
      return errorResponse(error.status, error.code, error.message, {
        ...answer,
        field: error.field,
      });
    }
  }
}
