import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "./_fixtures.ts";

Deno.test("a company plan no stored company is on is named, with the known plans, by search_conversations, search_tickets and search_companies", async () => {
  await using fx = await syncedFixture({ conversations: 60, companies: 12, seed: 29 });
  await using c = await memoryClient(fx);
  const plans = fx.store.support.companyPlans();
  assert.ok(plans.length > 1, "the simulator's companies are on several plans");
  const known = plans.map((p) => `"${p.plan}" (${p.companies})`).join(", ");
  const expected = `No stored company is on plan "NoSuchPlan": the plans are ${known} ` +
    "(search_companies lists companies with their plans).";
  const conversations = await c.call("search_conversations", { company_plan: "NoSuchPlan" });
  assert.equal(dataOf(conversations).total, 0);
  assert.ok(dataOf(conversations).notes.includes(expected), textOf(conversations));
  assert.ok(textOf(conversations).includes(expected), textOf(conversations));
  const tickets = await c.call("search_tickets", { company_plan: "NoSuchPlan" });
  assert.equal(dataOf(tickets).total, 0);
  assert.ok(textOf(tickets).startsWith(`No tickets found. ${expected}`), textOf(tickets));
  const companies = await c.call("search_companies", { plan: "NoSuchPlan" });
  assert.deepEqual(dataOf(companies).notes, [expected]);
  assert.ok(textOf(companies).includes(expected), textOf(companies));
  // a known plan, in any case, gets no such note
  const lower = plans[0]!.plan.toLowerCase();
  const found = dataOf(await c.call("search_companies", { plan: lower, limit: 100 }));
  assert.equal(found.total, plans[0]!.companies);
  assert.deepEqual(found.notes, []);
  const none = dataOf(await c.call("search_conversations", { company_plan: lower }));
  assert.ok(!none.notes.some((n: string) => n.includes("No stored company is on plan")));
});
