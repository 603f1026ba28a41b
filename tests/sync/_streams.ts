/** A simulator, a store and a stream context for the tests of the ticket and company streams. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { TicketSchema } from "../../lib/intercom/support_types.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  renderTicket,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  type Workspace,
} from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import type { StreamContext, StreamQuarantine } from "../../lib/sync/stream_context.ts";

/** The simulated "now" of stream tests. */
export const NOW = 1_750_000_000;

/** What a stream test works with. */
export interface StreamFixture {
  sim: Simulator;
  store: Store;
  client: IntercomClient;
  /** The context streams get; its clock is `now` (ms), moved by tests and by `sleep`. */
  ctx: StreamContext;
  /** Quarantined entries, by `kind:id` (what the context was told, in order). */
  quarantined: Map<string, StreamQuarantine>;
  clock: { ms: number };
}

/** Runs `fn` with a simulator on a fake clock starting at NOW, a store, and a context. */
export async function withStreams(
  simOptions: SimulatorOptions,
  fn: (f: StreamFixture) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fim-streams-" });
  const clock = { ms: NOW * 1000 };
  const now = () => clock.ms;
  const sim = await startSimulator({ now: NOW - 60, clock: now, ...simOptions });
  const store = Store.open(join(dir, "data.db"), { clock: now });
  const client = new IntercomClient({
    baseUrl: sim.url,
    token: DEFAULT_SIMULATOR_TOKEN,
    backoff: { baseMs: 1, factor: 2, capMs: 5 },
    timeoutMs: 5000,
  });
  const quarantined = new Map<string, StreamQuarantine>();
  const ctx: StreamContext = {
    store,
    client,
    clock: now,
    sleep: (ms) => {
      clock.ms += ms;
      return Promise.resolve();
    },
    quarantine: (entry) => quarantined.set(`${entry.kind}:${entry.id}`, entry),
    unquarantine: (kind, ids) => {
      for (const id of ids) quarantined.delete(`${kind}:${id}`);
    },
  };
  try {
    await fn({ sim, store, client, ctx, quarantined, clock });
  } finally {
    store.close();
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every ticket of the workspace is stored as `GET /tickets/{id}` shows it now. */
export function assertTicketsEqual(store: Store, ws: Workspace): void {
  assert.equal(store.support.counts().tickets, ws.tickets.length, "ticket count");
  for (const sim of ws.tickets) {
    const api = TicketSchema.parse(renderTicket(ws, sim));
    const got = store.support.getTicket(sim.id);
    assert.ok(got, `ticket ${sim.id} is stored`);
    assert.equal(got.updated_at, api.updated_at, `ticket ${sim.id} updated_at`);
    assert.equal(got.state, api.ticket_state, `ticket ${sim.id} state`);
    assert.equal(got.admin_assignee_id, api.admin_assignee_id, `ticket ${sim.id} admin`);
    assert.deepEqual(
      got.parts.map((p) => [p.id, p.ticket_state]),
      api.ticket_parts.ticket_parts.map((p) => [p.id, p.ticket_state]),
      `ticket ${sim.id} parts`,
    );
  }
}

/** Requests the simulator answered on `route` so far. */
export function requests(sim: Simulator, route: string): number {
  return sim.stats.byRoute[route] ?? 0;
}
