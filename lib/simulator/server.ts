/**
 * The simulator's HTTP server: a local Intercom REST API over a generated workspace, with
 * Intercom's auth, version header, clock-aligned rate windows, injected faults, latency and
 * optional background mutations. Used by `simulate`, `demo` and the tests.
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, realSleep, type Sleep, systemClock, unixSeconds } from "../util/clock.ts";
import { type FaultRates, validateFaultRates } from "./faults.ts";
import { generateWorkspace } from "./generator.ts";
import { mutateWorkspace, type MutationResult } from "./mutation.ts";
import { emptyStats, RequestPipeline, type SimulatorStats } from "./pipeline.ts";
import { deriveSeed, Prng } from "./prng.ts";
import { DEFAULT_PARTS_CAP } from "./render.ts";
import { RateWindow } from "./rate_window.ts";
import type { Workspace } from "./workspace.ts";

export type { SimulatorStats } from "./pipeline.ts";

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

/** Starts a simulator on a local port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const rateLimit = options.rateLimit ?? { limit: 10_000, windowSeconds: 10 };
  const ws = options.workspace ?? generateWorkspace({
    seed,
    conversations: options.conversations ?? 200,
    days: options.days ?? 30,
    now: options.now ?? unixSeconds(clock),
  });
  const mutationRng = new Prng(deriveSeed(seed, "mutations"));
  const stats = emptyStats();
  const closing = new AbortController();
  const pipeline = new RequestPipeline({
    token: options.token ?? DEFAULT_SIMULATOR_TOKEN,
    rateLimit,
    window: new RateWindow(rateLimit, { clock }),
    routes: {
      ws,
      strictGreaterThan: options.strictGreaterThan ?? true,
      partsCap: options.partsCap ?? DEFAULT_PARTS_CAP,
    },
    latency: options.latency ?? { meanMs: 0, jitterMs: 0 },
    latencyRng: new Prng(deriveSeed(seed, "latency")),
    faults: validateFaultRates(options.faults ?? {}),
    faultRng: new Prng(deriveSeed(options.faultSeed ?? seed, "faults")),
    slowMs: options.slowMs ?? 30_000,
    sleep: options.sleep ?? realSleep,
    closing: closing.signal,
    stats,
    onRequest: (info) => sim.onRequest?.(info),
  });

  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    signal: closing.signal,
    onListen: () => {},
  }, pipeline.handle);
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
      pipeline.faults = validateFaultRates(next);
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
