import assert from "node:assert/strict";
import { ContactSchema } from "../../lib/intercom/types.ts";
import { renderContact } from "../../lib/simulator/render.ts";
import { COMPANIES_STREAM, syncCompanies } from "../../lib/sync/companies_stream.ts";
import { syncSupportDirectory } from "../../lib/sync/support_directory.ts";
import { NOW, requests, withStreams } from "./_streams.ts";

const SCROLL = "GET /companies/scroll";

Deno.test("syncCompanies() makes a full pass over the scroll and stores every company", async () => {
  await withStreams({ conversations: 600, seed: 4 }, async ({ sim, store, ctx }) => {
    const result = await syncCompanies(ctx, { mode: "incremental", now: NOW });
    const count = sim.workspace.companies.length;
    assert.equal(result.seen, count);
    assert.equal(result.stored, count);
    assert.equal(result.pages, Math.ceil(count / 50));
    assert.equal(requests(sim, SCROLL), result.pages + 1, "the last, empty page ends the scroll");
    for (const c of sim.workspace.companies) {
      const stored = store.support.getCompany(c.id)!;
      assert.equal(stored.name, c.name);
      assert.equal(stored.plan, c.plan?.name ?? null);
      assert.equal(stored.monthly_spend, c.monthly_spend);
    }
    assert.equal(store.support.stream(COMPANIES_STREAM).cursor, NOW);
    assert.equal(store.support.stream(COMPANIES_STREAM).checkpoint, null);
  });
});

Deno.test("syncCompanies() between full passes fetches only companies new contacts belong to", async () => {
  await withStreams({ conversations: 300, seed: 4 }, async ({ sim, store, ctx, clock }) => {
    await syncCompanies(ctx, { mode: "incremental", now: NOW });
    const scrolls = requests(sim, SCROLL);
    clock.ms += 600_000;
    const fresh = {
      ...sim.workspace.companies[0]!,
      id: "feedfacefeedfacefeedface",
      name: "Zenith Ltd",
    };
    sim.workspace.companies.push(fresh);
    sim.workspace.companiesById.set(fresh.id, fresh);
    const contact = sim.workspace.contacts[0]!;
    contact.company_ids = [fresh.id];
    store.upsertContacts([ContactSchema.parse(renderContact(sim.workspace, contact))]);
    const result = await syncCompanies(ctx, { mode: "incremental", now: NOW + 600 });
    assert.equal(requests(sim, SCROLL), scrolls, "no scroll within refreshMinutes");
    assert.equal(result.stored, 1);
    assert.equal(store.support.getCompany(fresh.id)?.name, "Zenith Ltd");
    // An hour after the last pass, a full pass again; unchanged companies are not rewritten.
    clock.ms += 3600_000;
    const changed = sim.workspace.companies[1]!;
    changed.monthly_spend += 1;
    changed.updated_at = NOW + 4000;
    const pass = await syncCompanies(ctx, { mode: "incremental", now: NOW + 4200 });
    assert.ok(requests(sim, SCROLL) > scrolls);
    assert.equal(pass.stored, 1);
    assert.equal(pass.skipped, sim.workspace.companies.length - 1);
    assert.equal(store.support.getCompany(changed.id)?.monthly_spend, changed.monthly_spend);
  });
});

Deno.test("syncCompanies() waits for another open scroll to expire, and restarts a scroll that broke off", async () => {
  await withStreams({ conversations: 400, seed: 4 }, async ({ sim, store, ctx }) => {
    // An interrupted run's scroll is still open: Intercom answers 400 until it expires.
    const open = await fetch(`${sim.url}/companies/scroll`, {
      headers: { authorization: "Bearer sim-token-0123456789" },
    });
    assert.equal(open.status, 200);
    await open.body?.cancel();
    let broke = false;
    sim.onRequest = ({ path }) => {
      // Midway through the pass, the scroll expires.
      if (path === "/companies/scroll" && requests(sim, SCROLL) === 4 && !broke) {
        broke = true;
        sim.behaviour.companyScrollIdleSeconds = 0;
      } else {
        sim.behaviour.companyScrollIdleSeconds = 60;
      }
    };
    const result = await syncCompanies(ctx, { mode: "all", now: NOW });
    assert.ok(broke);
    assert.equal(result.seen, sim.workspace.companies.length);
    assert.equal(store.support.counts().companies, sim.workspace.companies.length);
  });
});

Deno.test("syncSupportDirectory() stores ticket types and data attribute labels", async () => {
  await withStreams({ conversations: 50, seed: 4 }, async ({ sim, store, ctx }) => {
    const result = await syncSupportDirectory(ctx);
    assert.equal(result.ticketTypes, sim.workspace.ticketTypes.length);
    assert.equal(result.dataAttributes, sim.workspace.dataAttributes.length);
    assert.equal(store.support.counts().ticketTypes, sim.workspace.ticketTypes.length);
    assert.equal(store.support.attributeLabels("conversation")["Order number"], "Order number");
    assert.equal(store.support.attributeLabels("company").region, "Region");
  });
});

Deno.test("syncCompanies() gives up on a scroll that stays open, even with a clock standing still", async () => {
  await withStreams({ conversations: 100, seed: 4 }, async ({ sim, ctx }) => {
    const open = await fetch(`${sim.url}/companies/scroll`, {
      headers: { authorization: "Bearer sim-token-0123456789" },
    });
    await open.body?.cancel();
    let slept = 0;
    ctx.sleep = () => {
      slept++;
      return Promise.resolve(); // the clock does not move: the open scroll never expires
    };
    await assert.rejects(
      () => syncCompanies(ctx, { mode: "all", now: NOW, scrollWaitSeconds: 30 }),
      /scroll already exists/,
    );
    assert.equal(slept, 3);
  });
});

Deno.test("syncCompanies() fetches by id a company unreadable in a scroll page, quarantines one unreadable by id too, finishes the pass and retries it next run", async () => {
  // Issue 10 defect 4 carried into issue 14: one odd company used to fail every pass.
  await withStreams(
    { conversations: 300, seed: 4 },
    async ({ sim, store, ctx, quarantined, clock }) => {
      const [inScroll, both] = [sim.workspace.companies[3]!, sim.workspace.companies[7]!];
      inScroll.quirks = { malformedInScroll: true };
      both.quirks = { malformed: true };
      const result = await syncCompanies(ctx, { mode: "all", now: NOW });
      assert.equal(result.seen, sim.workspace.companies.length);
      assert.equal(result.quarantined, 1);
      assert.deepEqual([...quarantined.keys()], [`company:${both.id}`]);
      assert.equal(quarantined.get(`company:${both.id}`)!.endpoint, "GET /companies/{id}");
      assert.equal(store.support.getCompany(inScroll.id)?.name, inScroll.name, "fetched by id");
      assert.equal(store.support.getCompany(both.id), null);
      assert.equal(store.support.stream(COMPANIES_STREAM).cursor, NOW, "the pass completed");
      // Between full passes the quarantined company is fetched by id again.
      store.quarantine({ ...quarantined.get(`company:${both.id}`)! });
      delete both.quirks;
      clock.ms += 60_000;
      const next = await syncCompanies(ctx, { mode: "incremental", now: NOW + 60 });
      assert.equal(next.stored, 1);
      assert.equal(store.support.getCompany(both.id)?.name, both.name);
      assert.equal(quarantined.size, 0);
    },
  );
});

Deno.test("syncCompanies() stores a company changed in the second its scroll page was read, even when the page is stored seconds later", async () => {
  // QA probe (issue 10 defect 1's audit): the stored fetch time was the store time, after the
  // scroll answered, so the next pass took the old copy for current and kept it forever.
  await withStreams({ conversations: 100, seed: 4 }, async ({ sim, store, ctx, clock }) => {
    const c = sim.workspace.companies[0]!;
    clock.ms = c.updated_at * 1000 + 100;
    let done = false;
    sim.onResponse = ({ path }) => {
      if (path.startsWith("/companies/scroll") && !done) {
        done = true;
        c.name = "Renamed In Same Second"; // updated_at unchanged: same second
        clock.ms += 3000; // the page is stored 3 s after Intercom read it
      }
    };
    await syncCompanies(ctx, { mode: "all", now: c.updated_at });
    delete sim.onResponse;
    assert.ok(done);
    clock.ms += 3_600_000;
    await syncCompanies(ctx, { mode: "all", now: Math.floor(clock.ms / 1000) });
    assert.equal(store.support.getCompany(c.id)!.name, "Renamed In Same Second");
  });
});

Deno.test("syncCompanies() fetches again, in the restarted scroll, a company unreadable in the listing whose by-id read failed", async () => {
  await withStreams({ conversations: 300, seed: 4 }, async ({ sim, store, ctx }) => {
    const company = sim.workspace.companies[5]!;
    company.quirks = { malformedInScroll: true };
    let failures = 0;
    sim.onRequest = ({ path }) => {
      // Every attempt of the first by-id read answers 500: the read fails, the scroll restarts.
      const failing = path === `/companies/${company.id}` && failures < 6;
      if (failing) failures++;
      sim.setFaults(failing ? { "500": 1 } : {});
    };
    const result = await syncCompanies(ctx, { mode: "all", now: NOW });
    delete sim.onRequest;
    assert.equal(failures, 6, "the first read failed for good");
    assert.equal(result.seen, sim.workspace.companies.length);
    assert.equal(store.support.getCompany(company.id)?.name, company.name);
    assert.equal(store.support.counts().companies, sim.workspace.companies.length);
  });
});
