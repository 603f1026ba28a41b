/**
 * The differential check of the sync (issue 10): a seeded random schedule of changes runs
 * against the simulator while syncs run, are interrupted and resumed; afterwards the store must
 * equal the simulator's truth (`workspace_diff.ts`). Changes: replies (also in the very second a
 * sync reads the conversation), state flips, revivals of closed conversations, new
 * conversations, contacts created late (invisible to contact search for 10 minutes on some
 * seeds), contact merges (touching the conversations, or racing a sync between a conversation's
 * fetch and its contact's lookup), random churn (including contact, ticket and company edits),
 * ticket parts and company edits (also in the very second a sync reads the ticket or the
 * company's scroll page, the page then stored seconds later), and records that cannot be read
 * for a while (conversations, tickets, companies). Some seeds answer conversation search newest
 * first (its `sort` is not documented). The store is compared with the truth for conversations,
 * contacts, tickets and companies.
 *
 * Two ways to interrupt: in process (`runDifferential`, an AbortSignal at a random request; a
 * frozen clock the schedule moves, so same-second changes are the rule), and with real sync
 * processes killed by SIGKILL (`runKilledDifferential`, real time), used by
 * `scripts/differential_sync.ts`.
 */
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import { deriveSeed, Prng } from "../../lib/simulator/prng.ts";
import { appendTicketParts } from "../../lib/simulator/ticket_builder.ts";
import { Store } from "../../lib/store/store.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { InterruptedError } from "../../lib/errors.ts";
import { supportDifferences } from "./support_diff.ts";
import { storeDifferences } from "./workspace_diff.ts";

/** Options of {@link runDifferential}. */
export interface DifferentialOptions {
  seed: number;
  /** Conversations generated. Default 40. */
  conversations?: number;
  /** Rounds of changes, each followed by a sync. Default 8. */
  steps?: number;
  /** Probability that a round's sync is interrupted. Default 0.5. */
  interruptRate?: number;
}

/** What a differential run did and found. */
export interface DifferentialResult {
  seed: number;
  searchSort: "honoured" | "ignored";
  contactSearchLagSeconds: number;
  syncs: number;
  interrupted: number;
  changes: Record<ChangeKind, number>;
  /** Differences between the store and the truth at the end; empty when exact. */
  differences: string[];
}

const CHANGES = {
  reply: 30,
  flip: 15,
  revive: 8,
  newConversation: 10,
  lateContact: 8,
  merge: 6,
  churn: 15,
  unreadable: 4,
  ticketPart: 8,
  companyEdit: 6,
  unreadableSupport: 3,
} as const;
type ChangeKind =
  | keyof typeof CHANGES
  | "sameSecondReply"
  | "racingMerge"
  | "sameSecondTicketPart"
  | "sameSecondCompany";

const START_MS = Date.UTC(2026, 1, 2, 9, 0, 0);
const FAST_BACKOFF = { baseMs: 1, factor: 2, capMs: 10 };

/** The schedule: the changes of one round, drawn from `rng` and applied at the sim's clock. */
class Schedule {
  readonly changes: Record<ChangeKind, number> = {
    reply: 0,
    flip: 0,
    revive: 0,
    newConversation: 0,
    lateContact: 0,
    merge: 0,
    churn: 0,
    unreadable: 0,
    ticketPart: 0,
    companyEdit: 0,
    unreadableSupport: 0,
    sameSecondReply: 0,
    racingMerge: 0,
    sameSecondTicketPart: 0,
    sameSecondCompany: 0,
  };
  readonly #unreadable = new Set<string>();
  readonly #unreadableSupport = new Set<{ quirks?: unknown }>();

  /**
   * `now` is the simulator's current second; `seed` draws the changes made while a sync reads
   * (per fetch, so that they do not depend on the order requests happen to finish in).
   */
  constructor(
    readonly sim: Simulator,
    readonly rng: Prng,
    readonly seed: number,
    readonly now: () => number,
  ) {}

  /** Applies 1–4 random changes now. */
  round(): void {
    const n = this.rng.int(1, 4);
    for (let i = 0; i < n; i++) this.#apply(this.rng.weighted(CHANGES));
    // records unreadable for a while read again, some rounds later
    for (const id of [...this.#unreadable]) {
      if (this.rng.chance(0.3)) this.#readable(id);
    }
    for (const record of [...this.#unreadableSupport]) {
      if (!this.rng.chance(0.3)) continue;
      delete record.quirks;
      this.#unreadableSupport.delete(record);
    }
  }

  /** Every record reads again (before the final syncs: the truth must be storable). */
  healAll(): void {
    for (const id of [...this.#unreadable]) this.#readable(id);
    for (const record of this.#unreadableSupport) delete record.quirks;
    this.#unreadableSupport.clear();
  }

  /**
   * Changes made while a sync reads tickets and companies: a ticket part in the very second the
   * ticket is fetched; a company edited in the second its scroll page was read (returns the
   * milliseconds the sync then takes before it stores the page).
   */
  onSupportRead(path: string, step: number, n: number): number {
    const ws = this.sim.workspace;
    const draw = new Prng(deriveSeed(this.seed, `support:${step}:${path}:${n}`));
    const ticket = /^\/tickets\/([^/]+)$/.exec(path);
    if (ticket) {
      const t = ws.ticketsById.get(ticket[1]!);
      if (!t || !draw.chance(0.15)) return 0;
      appendTicketParts(ws, draw, t, {
        times: [Math.max(this.now(), t.updated_at)],
        target: t.state,
      });
      this.changes.sameSecondTicketPart++;
      return 0;
    }
    if (!path.startsWith("/companies/scroll") || ws.companies.length === 0) return 0;
    if (!draw.chance(0.3)) return 0;
    // One changed earlier in this second, if any: its `updated_at` then stays as the page has it.
    const now = this.now();
    const recent = ws.companies.filter((c) => c.updated_at === now);
    const company = draw.pick(recent.length > 0 ? recent : ws.companies);
    company.monthly_spend = draw.int(0, 50_000);
    company.updated_at = Math.max(now, company.updated_at);
    this.changes.sameSecondCompany++;
    return draw.pick([0, 1000, 3000]);
  }

  /**
   * Changes made while a sync reads: a reply in the very second a conversation is fetched, or
   * its lone, not yet stored contact merged away before the sync looks it up.
   */
  onFetched(id: string, stored: (contactId: string) => boolean, step: number): void {
    const c = this.sim.workspace.conversationsById.get(id);
    if (!c) return;
    const draw = new Prng(deriveSeed(this.seed, `fetch:${step}:${id}`));
    if (draw.chance(0.15)) {
      this.sim.addPart(id, { at: this.#at(c) });
      this.changes.sameSecondReply++;
    } else if (draw.chance(0.05)) {
      const from = c.contact_ids[0];
      const ws = this.sim.workspace;
      if (from === undefined || stored(from)) return;
      if (ws.conversations.some((x) => x !== c && x.contact_ids.includes(from))) return;
      const into = this.#mergeTarget(from);
      if (into === undefined) return;
      this.sim.mergeContact(from, into);
      this.changes.racingMerge++;
    }
  }

  #apply(kind: keyof typeof CHANGES): void {
    const { sim, rng } = this;
    const ws = sim.workspace;
    const conversation = rng.pick(ws.conversations);
    switch (kind) {
      case "reply":
        sim.addPart(conversation.id, {
          at: this.#at(conversation),
          author: rng.chance(0.5) ? "contact" : "admin",
        });
        break;
      case "flip": {
        const type = conversation.state === "open"
          ? rng.pick(["close", "snoozed"] as const)
          : "open";
        sim.addPart(conversation.id, { at: this.#at(conversation), type, author: "admin" });
        break;
      }
      case "revive": {
        const closed = ws.conversations.filter((c) => c.state === "closed");
        if (closed.length === 0) return;
        const c = rng.pick(closed);
        sim.addPart(c.id, { at: this.#at(c), type: rng.chance(0.5) ? "open" : "comment" });
        break;
      }
      case "newConversation": {
        const contacts = ws.contacts.filter((c) => c.merged_into === undefined);
        sim.startConversation({ contactId: rng.pick(contacts).id, parts: rng.int(0, 2) });
        break;
      }
      case "lateContact": {
        const contact = sim.createContact({});
        sim.startConversation({ contactId: contact.id, parts: rng.int(0, 1) });
        break;
      }
      case "merge": {
        const from = rng.pick(
          conversation.contact_ids.length > 0 ? conversation.contact_ids : [""],
        );
        const into = from === "" ? undefined : this.#mergeTarget(from);
        if (into === undefined) return;
        sim.mergeContact(from, into, { touchConversations: true });
        break;
      }
      case "churn":
        sim.mutate(rng.int(1, 3));
        break;
      case "unreadable":
        conversation.quirks = rng.chance(0.5) ? { malformed: true } : { malformedInSearch: true };
        this.#unreadable.add(conversation.id);
        break;
      case "ticketPart": {
        if (ws.tickets.length === 0) return;
        const t = rng.pick(ws.tickets);
        appendTicketParts(ws, rng, t, {
          times: [Math.max(this.now(), t.updated_at)],
          target: rng.chance(0.7) ? t.state : rng.pick(["in_progress", "resolved"] as const),
        });
        break;
      }
      case "companyEdit": {
        if (ws.companies.length === 0) return;
        const company = rng.pick(ws.companies);
        company.monthly_spend = rng.int(0, 50_000);
        if (rng.chance(0.3)) company.name = `${company.name.split(" (")[0]} (${rng.int(1, 99)})`;
        company.updated_at = Math.max(this.now(), company.updated_at);
        break;
      }
      case "unreadableSupport": {
        if (rng.chance(0.5) && ws.tickets.length > 0) {
          const t = rng.pick(ws.tickets);
          t.quirks = rng.pick([
            { malformed: true },
            { malformedInSearch: true },
            { malformed: true, malformedInSearch: true },
          ]);
          this.#unreadableSupport.add(t);
        } else if (ws.companies.length > 0) {
          const company = rng.pick(ws.companies);
          company.quirks = rng.chance(0.5) ? { malformed: true } : { malformedInScroll: true };
          this.#unreadableSupport.add(company);
        }
        break;
      }
    }
    this.changes[kind]++;
  }

  #readable(id: string) {
    const c = this.sim.workspace.conversationsById.get(id);
    if (c) delete c.quirks;
    this.#unreadable.delete(id);
  }

  /** The second of a change to `c`: now, or its last part's if that is later. */
  #at(c: { parts: { created_at: number }[]; created_at: number }): number {
    return Math.max(this.now(), c.parts.at(-1)?.created_at ?? c.created_at);
  }

  #mergeTarget(from: string): string | undefined {
    const ws = this.sim.workspace;
    const targets = ws.contacts.filter((c) =>
      c.id !== from && c.merged_into === undefined && c.role === "user" && c.email !== null
    );
    return targets.length === 0 ? undefined : this.rng.pick(targets).id;
  }
}

/** How the simulator behaves for a seed: the first draws of its schedule. */
function drawBehaviour(rng: Prng) {
  return {
    searchSort: rng.chance(0.3) ? "ignored" as const : "honoured" as const,
    contactSearchLagSeconds: rng.chance(0.5) ? 600 : 0,
  };
}

/** How the simulator behaves for `seed` in {@link runDifferential}. */
export function differentialBehaviour(seed: number): ReturnType<typeof drawBehaviour> {
  return drawBehaviour(new Prng(deriveSeed(seed, "differential")));
}

/** Runs one seed in process (AbortSignal interruptions, frozen clock); see the module comment. */
export async function runDifferential(options: DifferentialOptions): Promise<DifferentialResult> {
  const { seed } = options;
  const rng = new Prng(deriveSeed(seed, "differential"));
  let nowMs = START_MS + seed * 1000;
  const clock = () => nowMs;
  const { searchSort, contactSearchLagSeconds } = drawBehaviour(rng);
  const dir = await Deno.makeTempDir({ prefix: "fim-differential-" });
  const sim = await startSimulator({
    seed,
    conversations: options.conversations ?? 40,
    days: 5,
    clock,
    rateLimit: { limit: 1_000_000, windowSeconds: 10 },
    behaviour: { conversationSearchSort: searchSort, contactSearchLagSeconds },
  });
  const store = Store.open(join(dir, "data.db"), { clock });
  const client = new IntercomClient({
    baseUrl: sim.url,
    token: DEFAULT_SIMULATOR_TOKEN,
    backoff: FAST_BACKOFF,
    maxAttempts: 8,
    timeoutMs: 10_000,
  });
  const schedule = new Schedule(sim, rng, seed, () => Math.floor(nowMs / 1000));
  let syncs = 0;
  let interrupted = 0;
  let step = 0;
  sim.onResponse = (info) => {
    const m = /^\/conversations\/([^/]+)$/.exec(info.path);
    if (m && info.method === "GET" && info.status === 200) {
      schedule.onFetched(m[1]!, (id) => store.getContact(id) !== null, step);
    } else if (info.method === "GET" && info.status === 200) {
      nowMs += schedule.onSupportRead(info.path, step, info.n);
    }
  };
  const sync = async (mode: "all" | "incremental", interrupt: boolean) => {
    syncs++;
    const controller = new AbortController();
    let requests = 0;
    const stopAt = rng.int(1, 60);
    sim.onRequest = () => {
      if (interrupt && ++requests === stopAt) controller.abort();
    };
    try {
      await runSync({ store, client }, {
        mode,
        clock,
        // A wait (for an interrupted run's company scroll to expire) moves the frozen clock.
        sleep: (ms, signal) => {
          signal?.throwIfAborted();
          nowMs += ms;
          return Promise.resolve();
        },
        perPage: rng.int(3, 20),
        concurrency: rng.int(1, 6),
        signal: controller.signal,
      });
    } catch (error) {
      if (!(error instanceof InterruptedError)) throw error;
      interrupted++;
    } finally {
      delete sim.onRequest;
    }
  };
  try {
    await sync("all", rng.chance(options.interruptRate ?? 0.5));
    for (step = 1; step <= (options.steps ?? 8); step++) {
      // same second, a few seconds, minutes, or an hour later (a full company pass)
      nowMs += rng.pick([0, 0, 1000, 2000, 3000, 60_000, 400_000, 3_660_000]);
      schedule.round();
      await sync("incremental", rng.chance(options.interruptRate ?? 0.5));
    }
    // The changes stop; what they left must reach the store.
    schedule.healAll();
    delete sim.onResponse;
    // An hour on: the first of the two makes a full company pass (companies have no search by
    // `updated_at`; between hourly passes a sync reads only the ones it lacks).
    for (const minutes of [61, 1]) {
      nowMs += minutes * 60_000;
      await sync("incremental", false);
    }
    return {
      seed,
      searchSort,
      contactSearchLagSeconds,
      syncs,
      interrupted,
      changes: schedule.changes,
      differences: storeDifferences(store, sim.workspace, { support: true }),
    };
  } finally {
    delete sim.onResponse;
    store.close();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Options of {@link runKilledDifferential}. */
export interface KilledDifferentialOptions {
  seed: number;
  /** Conversations generated. Default 60. */
  conversations?: number;
  /** Rounds of changes, each followed by a sync process. Default 5. */
  steps?: number;
  /** The program's `main.ts` and the `deno run` flags to start it with. */
  main: string;
  flags: string[];
}

/**
 * Runs one seed with real sync processes (`main.ts sync`), most killed by SIGKILL at a random
 * request the simulator receives, in real time: the simulator and the schedule run here, the
 * syncs in children. The store is compared once two syncs complete after the last change.
 */
export async function runKilledDifferential(
  options: KilledDifferentialOptions,
): Promise<DifferentialResult> {
  const { seed } = options;
  const rng = new Prng(deriveSeed(seed, "killed-differential"));
  const { searchSort, contactSearchLagSeconds } = drawBehaviour(rng);
  const dir = await Deno.makeTempDir({ prefix: "fim-killed-differential-" });
  const sim = await startSimulator({
    seed,
    conversations: options.conversations ?? 60,
    days: 5,
    latency: { meanMs: 3, jitterMs: 2 },
    rateLimit: { limit: 1_000_000, windowSeconds: 10 },
    behaviour: { conversationSearchSort: searchSort, contactSearchLagSeconds },
  });
  const env = {
    FASTINTERCOM_DATA_DIR: join(dir, "data"),
    FASTINTERCOM_STATUS_DIR: join(dir, "status"),
    FASTINTERCOM_LOG_DIR: join(dir, "logs"),
    FASTINTERCOM_API_URL: sim.url,
    INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    FASTINTERCOM_QUIET: "true",
  };
  const storeFile = join(dir, "data", "data.db");
  const stored = (contactId: string) => {
    try {
      using store = Store.open(storeFile, { readOnly: true });
      return store.getContact(contactId) !== null;
    } catch {
      return false;
    }
  };
  const schedule = new Schedule(sim, rng, seed, () => Math.floor(Date.now() / 1000));
  let step = 0;
  let syncs = 0;
  let interrupted = 0;
  sim.onResponse = (info) => {
    const m = /^\/conversations\/([^/]+)$/.exec(info.path);
    if (m && info.method === "GET" && info.status === 200) schedule.onFetched(m[1]!, stored, step);
    else if (info.method === "GET" && info.status === 200) {
      schedule.onSupportRead(info.path, step, info.n); // real time: no delay to add
    }
  };
  /** Runs a sync process; with `killAt`, SIGKILLs it when the simulator gets that request. */
  const sync = async (args: string[], killAt: number | null) => {
    syncs++;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...options.flags, options.main, "sync", ...args, "--concurrency", "4"],
      env,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let requests = 0;
    sim.onRequest = () => {
      if (killAt === null || ++requests !== killAt) return;
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    };
    const out = await child.output();
    delete sim.onRequest;
    if (out.signal === "SIGKILL") interrupted++;
    else if (out.code !== 0) {
      throw new Error(`sync failed (seed ${seed}): ${new TextDecoder().decode(out.stderr)}`);
    }
  };
  try {
    await sync(["--all"], rng.chance(0.7) ? rng.int(2, 60) : null);
    for (step = 1; step <= (options.steps ?? 5); step++) {
      schedule.round();
      await sync([], rng.chance(0.7) ? rng.int(1, 10) : null);
      if (rng.chance(0.3)) await new Promise((r) => setTimeout(r, 1100)); // into the next second
    }
    schedule.healAll();
    delete sim.onResponse;
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 2; i++) await sync([], null);
    const differences = (() => {
      using store = Store.open(storeFile, { readOnly: true });
      return storeDifferences(store, sim.workspace).concat(
        supportDifferences(store, sim.workspace).filter((d) => d.startsWith("ticket")),
      );
    })();
    // Companies: a full pass (real time cannot wait out the hour between incremental passes).
    await sync(["--days", "1"], null);
    using store = Store.open(storeFile, { readOnly: true });
    return {
      seed,
      searchSort,
      contactSearchLagSeconds,
      syncs,
      interrupted,
      changes: schedule.changes,
      differences: differences.concat(
        supportDifferences(store, sim.workspace).filter((d) => d.startsWith("compan")),
      ),
    };
  } finally {
    delete sim.onResponse;
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}
