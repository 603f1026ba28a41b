/**
 * The simulator's HTTP server: a local Intercom REST API over a generated workspace, with
 * Intercom's auth, version header, clock-aligned rate windows, injected faults, latency and
 * optional background mutations. Used by `simulate`, `demo` and the tests.
 *
 * Its responses follow Intercom's OpenAPI description 2.11 (checked by
 * `tests/simulator/routes_openapi_test.ts`), including shapes a client can trip on: some
 * conversations have `statistics: null`, `teammates: null` or teammate ids null
 * (`SimConversation.quirks`), Twitter conversations have blank authors, parts come in the types
 * real workspaces have (quick_reply, default_assignment, assign_and_reopen, …).
 *
 * Knobs for tests that must show one situation exactly:
 * - `sim.behaviour` (also `options.behaviour`), live: `meAppNull` (`GET /me` → `app: null`),
 *   `conversationSearchSort: "ignored"` (search pages come newest first whatever `sort` says),
 *   `contactSearchLagSeconds` (new contacts stay out of `POST /contacts/search` that long).
 * - `sim.addPart(id, { at, type, author, body })`: a part in a chosen second — e.g. a reply in
 *   the same second the conversation was fetched (use `onResponse` to act right after a fetch).
 * - `sim.createContact({ at, role, name, email })`: a contact created late;
 *   `sim.startConversation({ contactId, at, parts })`: a conversation it starts.
 * - `sim.mergeContact(from, into, { at, touchConversations })`: `from` leaves search and list,
 *   answers 404 by id, and its conversations name `into`.
 * - `conversation.quirks = { nullStatistics, nullTeammates, nullTeammateIds, malformed,
 *   malformedInSearch }` on `sim.workspace.conversationsById.get(id)`; `malformed` makes
 *   `GET /conversations/{id}` answer a body no client can parse (search still lists it);
 *   `malformedInSearch` does the same to its item in search and list pages.
 * - Tickets, ticket types, companies and data attributes (`routes_support.ts`): the workspace
 *   holds them live (`sim.workspace.tickets`, `.companies`, …), so a test edits one and moves
 *   its `updated_at`; `ticket.quirks = { malformed: true }` breaks `GET /tickets/{id}`,
 *   `{ malformedInSearch: true }` its search item; `company.quirks = { malformed }` breaks it
 *   everywhere, `{ malformedInScroll }` only in the scroll; `quirks = { malformed: true }` on an
 *   admin, team, tag, ticket type or data attribute breaks it in its list;
 *   `behaviour.companyScrollIdleSeconds` (60) is how long a company scroll blocks a new one.
 * - `onRequest` / `onResponse` hooks, `mutate(n)` for random churn, `setFaults()`.
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, realSleep, type Sleep, systemClock, unixSeconds } from "../util/clock.ts";
import {
  addPart,
  type AddPartOptions,
  createContact,
  type CreateContactOptions,
  mergeContact,
  type MergeOptions,
  startConversation,
  type StartConversationOptions,
} from "./edits.ts";
import { type FaultRates, validateFaultRates } from "./faults.ts";
import { generateWorkspace } from "./generator.ts";
import { mutateWorkspace, type MutationResult } from "./mutation.ts";
import { mutateSupport, type SupportMutationResult } from "./support_mutation.ts";
import { emptyStats, RequestPipeline, type SimulatorStats } from "./pipeline.ts";
import { deriveSeed, Prng } from "./prng.ts";
import { DEFAULT_PARTS_CAP } from "./render.ts";
import { RateWindow } from "./rate_window.ts";
import { defaultBehaviour, type SimBehaviour } from "./routes.ts";
import { supportRouteState } from "./routes_support.ts";
import type { SimContact, SimConversation, SimPart, Workspace } from "./workspace.ts";

export type { SimulatorStats } from "./pipeline.ts";
export type { SimBehaviour } from "./routes.ts";

/**
 * The default rate limit: what Intercom gives a private app, 10,000 requests a minute, in the
 * 10-second windows it enforces (10,000 / 6 ≈ 1,667).
 */
export const DEFAULT_RATE_LIMIT = { limit: 1667, windowSeconds: 10 } as const;

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
  /** Tickets to generate. Default 15% of the conversations. */
  tickets?: number;
  /** Companies to generate. Default one per 8 contacts (at least 3). */
  companies?: number;
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
  /** Requests per clock-aligned window. Default {@link DEFAULT_RATE_LIMIT} (1,667 per 10 s). */
  rateLimit?: { limit: number; windowSeconds: number };
  /** Where the API may behave differently; see {@link SimBehaviour}. Default: all off. */
  behaviour?: Partial<SimBehaviour>;
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
  /** How the API behaves where it may differ; change it live. */
  behaviour: SimBehaviour;
  /**
   * Applies `count` (default 1) changes to conversations now, stamped with the clock's current
   * second, and half as many (rounded up) to tickets, companies and contacts (`support`).
   */
  mutate(count?: number): MutationResult & { support: SupportMutationResult };
  /** Appends a part to conversation `id` (at the clock's current second unless `at` says). */
  addPart(id: string, options?: Partial<AddPartOptions>): SimPart;
  /** Creates a contact (at the clock's current second unless `at` says). */
  createContact(options?: Partial<CreateContactOptions>): SimContact;
  /** Starts a conversation by a contact (at the clock's current second unless `at` says). */
  startConversation(
    options: Pick<StartConversationOptions, "contactId"> & Partial<StartConversationOptions>,
  ): SimConversation;
  /** Merges contact `from` into `into`; returns the ids of the conversations that moved. */
  mergeContact(from: string, into: string, options?: Partial<MergeOptions>): string[];
  /** Replaces the fault rates (throws RangeError when invalid). */
  setFaults(faults: FaultRates): void;
  /** Called at the start of every request; tests use it to change data between pages. */
  onRequest?: (info: { method: string; path: string; n: number }) => void;
  /** Called when a response is ready, before it is sent (its data was read already). */
  onResponse?: (info: { method: string; path: string; n: number; status: number }) => void;
  /** Stops the server and background work; safe to call twice. */
  close(): Promise<void>;
}

/** Starts a simulator on a local port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const behaviour: SimBehaviour = { ...defaultBehaviour(), ...options.behaviour };
  const ws = options.workspace ?? generateWorkspace({
    seed,
    conversations: options.conversations ?? 200,
    tickets: options.tickets,
    companies: options.companies,
    days: options.days ?? 30,
    now: options.now ?? unixSeconds(clock),
  });
  const mutationRng = new Prng(deriveSeed(seed, "mutations"));
  const editRng = new Prng(deriveSeed(seed, "edits"));
  const supportRng = new Prng(deriveSeed(seed, "support-mutations"));
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
      behaviour,
      clock,
      support: supportRouteState(),
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
    onResponse: (info) => sim.onResponse?.(info),
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
    behaviour,
    mutate(changes = 1) {
      const now = unixSeconds(clock);
      const result = mutateWorkspace(ws, mutationRng, { count: changes, now });
      const support = mutateSupport(ws, supportRng, { count: Math.ceil(changes / 2), now });
      stats.mutations += Math.max(0, Math.floor(changes));
      return { ...result, support };
    },
    addPart(id, partOptions = {}) {
      return addPart(ws, editRng, id, { at: unixSeconds(clock), ...partOptions });
    },
    createContact(contactOptions = {}) {
      return createContact(ws, { at: unixSeconds(clock), ...contactOptions });
    },
    startConversation(startOptions) {
      return startConversation(ws, editRng, { at: unixSeconds(clock), ...startOptions });
    },
    mergeContact(from, into, mergeOptions = {}) {
      return mergeContact(ws, from, into, { at: unixSeconds(clock), ...mergeOptions });
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
