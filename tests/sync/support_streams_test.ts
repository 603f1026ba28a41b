import assert from "node:assert/strict";
import { InterruptedError } from "../../lib/errors.ts";
import { ProgressBroadcaster, type ProgressEvent } from "../../lib/progress/progress.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { assertStoreEqualsWorkspace, withSyncFixture } from "./_fixtures.ts";
import { assertTicketsEqual } from "./_streams.ts";
import type { Store } from "../../lib/store/store.ts";
import type { Workspace } from "../../lib/simulator/mod.ts";

function assertCompaniesEqual(store: Store, ws: Workspace): void {
  assert.equal(store.support.counts().companies, ws.companies.length, "company count");
  for (const c of ws.companies) {
    const got = store.support.getCompany(c.id);
    assert.ok(got, `company ${c.id} stored`);
    assert.deepEqual(
      [got.name, got.plan, got.monthly_spend, got.updated_at],
      [c.name, c.plan?.name ?? null, c.monthly_spend, c.updated_at],
      `company ${c.id}`,
    );
  }
}

Deno.test("runSync() --all stores conversations, tickets and companies exactly; every request counts", async () => {
  await withSyncFixture({ conversations: 200, seed: 21 }, async ({ sim, store, client }) => {
    const events: ProgressEvent[] = [];
    const progress = new ProgressBroadcaster({ enabled: true });
    progress.addSink({ onEvent: (e) => events.push(e) });
    const result = await runSync({ store, client }, { mode: "all", perPage: 20, progress });
    assertStoreEqualsWorkspace(store, sim.workspace);
    assertTicketsEqual(store, sim.workspace);
    assertCompaniesEqual(store, sim.workspace);
    assert.equal(store.support.counts().ticketTypes, sim.workspace.ticketTypes.length);
    const tickets = result.streams.find((s) => s.stream === "tickets")!;
    assert.equal(tickets.stored, sim.workspace.tickets.length);
    assert.equal(result.counts.apiCalls, sim.stats.requests, "the run counts every request");
    const run = store.lastRuns(1)[0]!;
    assert.equal(run.apiCalls, sim.stats.requests);
    // progress names the stream it is on, as its own operation
    const pages = Math.ceil(sim.workspace.tickets.length / 20);
    assert.ok(events.some((e) => e.message.startsWith(`tickets: page 2/${pages}`)));
    assert.ok(events.some((e) => e.type === "operation_complete" && /^tickets: /.test(e.message)));
    assert.ok(events.some((e) => e.message.startsWith("companies: page 1")));
    assert.deepEqual(
      store.support.streams().map((s) => [s.stream, s.checkpoint]),
      [["companies", null], ["tickets", null]],
    );
  });
});

Deno.test("runSync() incremental after churn keeps tickets and companies exact", async () => {
  await withSyncFixture({ conversations: 150, seed: 22 }, async ({ sim, store, client }) => {
    await runSync({ store, client }, { mode: "all" });
    const changes = sim.mutate(30).support;
    assert.ok(changes.ticketsChanged.length + changes.ticketsCreated.length > 0);
    // A new pass over companies happens hourly; this one fetches only what it lacks.
    const result = await runSync({ store, client }, { mode: "incremental", overlapSeconds: 5 });
    const tickets = result.streams.find((s) => s.stream === "tickets")!;
    assert.equal(
      tickets.stored,
      new Set([...changes.ticketsChanged, ...changes.ticketsCreated]).size,
      "only changed tickets fetched",
    );
    assertTicketsEqual(store, sim.workspace);
    const full = await runSync({ store, client }, { mode: "days", days: 400 });
    assert.ok(full.streams.find((s) => s.stream === "companies")!.pages > 0, "a full pass");
    assertCompaniesEqual(store, sim.workspace);
  });
});

Deno.test("runSync() interrupted in the tickets stream resumes it on the next run", async () => {
  await withSyncFixture({ conversations: 300, seed: 23 }, async ({ sim, store, client }) => {
    const abort = new AbortController();
    let ticketSearches = 0;
    sim.onRequest = ({ path }) => {
      if (path === "/tickets/search" && ++ticketSearches === 3) abort.abort(new Error("Ctrl-C"));
    };
    await assert.rejects(
      () => runSync({ store, client }, { mode: "all", perPage: 10, signal: abort.signal }),
      InterruptedError,
    );
    assert.equal(store.lastRuns(1)[0]!.status, "interrupted");
    const stored = store.support.counts().tickets;
    assert.ok(stored > 0 && stored < sim.workspace.tickets.length);
    assert.ok(store.support.stream("tickets").checkpoint !== null);
    delete sim.onRequest;
    const before = sim.stats.byRoute["GET /tickets/{id}"] ?? 0;
    const result = await runSync({ store, client }, { mode: "incremental", perPage: 10 });
    assert.equal(result.streams.find((s) => s.stream === "tickets")!.resumed, true);
    const fetched = (sim.stats.byRoute["GET /tickets/{id}"] ?? 0) - before;
    assert.ok(fetched <= sim.workspace.tickets.length - stored + 10, `${fetched} fetched`);
    assertStoreEqualsWorkspace(store, sim.workspace);
    assertTicketsEqual(store, sim.workspace);
  });
});

Deno.test("runSync() quarantines an unreadable ticket with the conversations' quarantine", async () => {
  await withSyncFixture({ conversations: 150, seed: 24 }, async ({ sim, store, client }) => {
    const bad = sim.workspace.tickets[1]!;
    bad.quirks = { malformed: true };
    const result = await runSync({ store, client }, { mode: "all" });
    assert.deepEqual(result.quarantined.map((q) => [q.kind, q.id]), [["ticket", bad.id]]);
    bad.quirks = {};
    const again = await runSync({ store, client }, { mode: "incremental" });
    assert.deepEqual(again.quarantined, [], "retried first thing, and stored");
    assertTicketsEqual(store, sim.workspace);
  });
});

Deno.test("runSync() incremental refreshes a contact whose companies changed; its conversations follow", async () => {
  await withSyncFixture({ conversations: 150, seed: 25 }, async ({ sim, store, client }) => {
    await runSync({ store, client }, { mode: "all" });
    const ws = sim.workspace;
    const contact = ws.contacts.find((c) =>
      store.getContact(c.id) !== null && ws.conversations.some((x) => x.contact_ids.includes(c.id))
    )!;
    const company = ws.companies.find((k) => !(contact.company_ids ?? []).includes(k.id))!;
    contact.company_ids = [company.id];
    contact.tag_ids = [ws.tags[0]!.id];
    contact.updated_at = Math.floor(Date.now() / 1000);
    await runSync({ store, client }, { mode: "incremental" });
    const extras = store.support.contactExtras(contact.id)!;
    assert.deepEqual(extras.companies.map((k) => k.id), [company.id]);
    assert.deepEqual(extras.tag_ids, [ws.tags[0]!.id]);
    const found = new Set(
      store.searchConversations({ company: company.id, limit: 100 }).hits.map((h) => h.id),
    );
    for (const x of ws.conversations.filter((c) => c.contact_ids.includes(contact.id))) {
      assert.ok(found.has(x.id), `conversation ${x.id} is found by the contact's new company`);
    }
    assert.deepEqual(store.ftsIntegrityCheck(), []);
  });
});
