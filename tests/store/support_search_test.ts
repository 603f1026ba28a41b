import assert from "node:assert/strict";
import { supportFtsExpression } from "../../lib/store/support_search.ts";
import { parseQuery } from "../../lib/store/fts_query.ts";
import { withStore } from "./_fixtures.ts";
import { loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";

const ws = simulatedWorkspace(8, 400);

/** Ids of the simulated tickets `keep` accepts, newest first. */
function expected(keep: (t: (typeof ws.tickets)[number]) => boolean): string[] {
  return ws.tickets.filter(keep).sort((a, b) =>
    b.updated_at - a.updated_at || (a.id < b.id ? 1 : -1)
  ).map((t) => t.id);
}

Deno.test("searchTickets() filters by state, category, type, assignee, contact and open", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const all = (search: Parameters<typeof store.support.searchTickets>[0]) =>
      store.support.searchTickets({ ...search, limit: 100 });
    assert.equal(all({}).total, ws.tickets.length);
    assert.deepEqual(
      new Set(all({ state: "resolved" }).hits.map((h) => h.id)),
      new Set(expected((t) => t.state === "resolved")),
    );
    assert.equal(
      all({ state: "Waiting on customer" }).total,
      expected((t) => t.state === "waiting_on_customer").length,
      "the label's words work too",
    );
    assert.equal(
      all({ category: "tracker" }).total,
      expected((t) => t.type.category === "Tracker").length,
    );
    assert.equal(
      all({ ticketType: "bug report" }).total,
      expected((t) => t.type.name === "Bug report").length,
    );
    const admin = ws.admins.find((a) => ws.tickets.some((t) => t.admin_assignee_id === a.id))!;
    assert.deepEqual(
      new Set(all({ assignee: admin.name }).hits.map((h) => h.id)),
      new Set(
        expected((t) => t.admin_assignee_id === admin.id),
      ),
    );
    const contact = ws.tickets.find((t) => t.contact_ids.length > 0)!.contact_ids[0]!;
    assert.deepEqual(
      all({ contactId: contact }).hits.map((h) => h.id),
      expected((t) => t.contact_ids.includes(contact)),
    );
    assert.equal(all({ open: false }).total, expected((t) => t.state === "resolved").length);
    const page = store.support.searchTickets({ limit: 5, offset: 5 });
    assert.deepEqual(page.hits.map((h) => h.id), expected(() => true).slice(5, 10));
  });
});

Deno.test("searchTickets() filters by the contacts' companies: name, prefix and plan", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const enterprise = new Set(
      ws.companies.filter((c) => c.plan?.name === "Enterprise").map((c) => c.id),
    );
    const want = expected((t) =>
      t.contact_ids.some((id) =>
        (ws.contactsById.get(id)?.company_ids ?? []).some((c) => enterprise.has(c))
      )
    );
    assert.ok(want.length > 0);
    const got = store.support.searchTickets({ plan: "enterprise", limit: 100 });
    assert.equal(got.total, want.length);
    assert.deepEqual(new Set(got.hits.map((h) => h.id)), new Set(want.slice(0, 100)));
    const company = ws.companies.find((c) =>
      ws.tickets.some((t) =>
        t.contact_ids.some((id) => ws.contactsById.get(id)?.company_ids?.includes(c.id))
      )
    )!;
    const byName = store.support.searchTickets({ company: company.name, limit: 100 });
    assert.ok(byName.total > 0);
    const prefix = store.support.searchTickets({
      company: `${company.name.slice(0, 3)}*`,
      limit: 100,
    });
    assert.ok(prefix.total >= byName.total);
    assert.equal(store.support.searchTickets({ company: "No Such Company Ltd" }).total, 0);
  });
});

Deno.test("searchTickets() finds part text, ranks it and marks a snippet; odd text never throws", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const withRefund = ws.tickets.filter((t) =>
      t.parts.some((p) => (p.body ?? "").includes("refunded the duplicate charge"))
    );
    assert.ok(withRefund.length > 0);
    const found = store.support.searchTickets({ text: '"duplicate charge"', limit: 100 });
    assert.deepEqual(new Set(found.hits.map((h) => h.id)), new Set(withRefund.map((t) => t.id)));
    assert.ok(
      found.hits.every((h) => h.rank !== null && /\[duplicate charge\]/i.test(h.snippet ?? "")),
    );
    const japanese = store.support.searchTickets({ text: "請求書の金額が違います" });
    assert.ok(japanese.total > 0, "a title in Japanese is found by itself");
    for (const odd of ['"', "zzs61", "title:x", "(", "NEAR(a b)", "🙂", "*", "a OR"]) {
      assert.doesNotThrow(() => store.support.searchTickets({ text: odd }), odd);
    }
    assert.equal(store.support.searchTickets({ text: "🙂" }).total, 0);
  });
});

Deno.test("supportFtsExpression() quotes every term and keeps facet-like text to the text columns", () => {
  assert.equal(
    supportFtsExpression(parseQuery('zzs1 "a b" pay* OR bill').clauses, "title body"),
    '{title body} : "zzs1" AND "a b" AND ("pay"* OR "bill")',
  );
});

Deno.test("searchTickets() and searchCompanies() find text in scripts without spaces inside longer runs", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const japanese = ws.tickets.filter((t) =>
      String(t.attributes._default_title_).includes("請求書") ||
      String(t.attributes._default_description_ ?? "").includes("請求書") ||
      t.parts.some((p) => (p.body ?? "").includes("請求書"))
    );
    assert.ok(japanese.length > 0);
    const found = store.support.searchTickets({ text: "請求書", limit: 100 });
    assert.deepEqual(new Set(found.hits.map((h) => h.id)), new Set(japanese.map((t) => t.id)));
    const short = ws.tickets.filter((t) =>
      [
        t.attributes._default_title_,
        t.attributes._default_description_,
        ...t.parts.map((p) => p.body),
      ]
        .some((x) => String(x ?? "").includes("金額"))
    );
    assert.equal(store.support.searchTickets({ text: "金額", limit: 100 }).total, short.length);
    const both = store.support.searchTickets({ text: "請求書 billing", limit: 100 });
    assert.ok(both.total <= found.total, "a word narrows the substring matches");
    const company = ws.companies.find((c) => c.name.includes("さくら"));
    if (company) {
      const hits = store.support.searchCompanies({ text: "さくら" }).hits.map((h) => h.id);
      assert.ok(hits.includes(company.id));
    }
  });
});

Deno.test("searchTickets() reads OR between terms as either", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const a = store.support.searchTickets({ text: "refunded", limit: 100 }).total;
    const b = store.support.searchTickets({ text: "screenshot", limit: 100 }).total;
    const both = store.support.searchTickets({ text: "refunded screenshot", limit: 100 }).total;
    const either =
      store.support.searchTickets({ text: "refunded OR screenshot", limit: 100 }).total;
    assert.equal(either, a + b - both);
  });
});

Deno.test("searchTickets() finds either side of OR between CJK text and a word", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const total = (text: string, state?: string) =>
      store.support.searchTickets({ text, limit: 100, ...(state ? { state } : {}) }).total;
    for (const state of [undefined, "resolved"]) {
      const cjk = total("請求書", state);
      const word = total("refunded", state);
      const both = total("請求書 refunded", state);
      assert.ok(word > both, "some tickets have the word and no CJK text");
      assert.equal(total("請求書 OR refunded", state), cjk + word - both, `state ${state}`);
      assert.equal(total("refunded OR 請求書", state), cjk + word - both);
    }
    // the word is looked up among the matches of a CJK-only clause
    assert.equal(
      total("金額 請求書 OR refunded"),
      total("金額 請求書") + total("金額 refunded") - total("金額 請求書 refunded"),
    );
  });
});
