import assert from "node:assert/strict";
import { dataOf, memoryClient, syncedFixture, textOf } from "./_fixtures.ts";
import { syncSupport } from "./tools/_support.ts";

Deno.test("get_conversation shows the SLA, topics, linked tickets, attachments and Fin's handoff", async () => {
  await using fx = await syncedFixture({ conversations: 300, seed: 16 });
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  const routed = ws.conversations.find((x) =>
    x.ai_agent?.resolution_state === "routed_to_team" && x.sla && x.topics?.length &&
    x.parts.length < 90
  )!;
  assert.ok(routed, "the workspace has a conversation Fin handed over");
  const got = await c.call("get_conversation", { conversation_id: routed.id });
  const { extras, messages } = dataOf(got);
  assert.deepEqual(extras.sla, { name: routed.sla!.name, status: routed.sla!.status });
  assert.deepEqual(extras.topics, routed.topics!.map((t) => t.name));
  assert.equal(extras.fin.participated, true);
  assert.equal(extras.fin.resolution_state, "routed_to_team");
  const firstBot = routed.parts.findIndex((p) =>
    p.part_type === "comment" && p.author.type === "bot"
  );
  // Message 0 is the opening message, so part i is message i + 1.
  assert.equal(extras.fin.first_answer.index, firstBot + 1);
  const takeover = routed.parts.findIndex((p, i) =>
    i > firstBot &&
    ((p.part_type === "comment" && p.author.type === "admin") || p.assigned_to !== null)
  );
  assert.equal(extras.fin.human_takeover.index, takeover + 1);
  assert.equal(messages[takeover + 1].id, routed.parts[takeover]!.id);
  assert.match(textOf(got), /Fin answered first at message \d+ .*a human took over at message \d+/);
  assert.match(textOf(got), new RegExp(`SLA: ${routed.sla!.name}`));

  const linked = ws.conversations.find((x) => x.linked?.length && x.parts.length < 90)!;
  const withLinks = dataOf(await c.call("get_conversation", { conversation_id: linked.id }));
  assert.deepEqual(
    withLinks.extras.linked.map((l: { id: string }) => l.id),
    linked.linked!.map((l) => l.id),
  );
  const ticket = ws.ticketsById.get(linked.linked![0]!.id)!;
  assert.equal(withLinks.extras.linked[0].title, ticket.attributes._default_title_);

  const filed = ws.conversations.find((x) =>
    x.parts.slice(0, 90).some((p) => p.attachments?.length)
  )!;
  const part = filed.parts.find((p) => p.attachments?.length)!;
  const withFile = await c.call("get_conversation", { conversation_id: filed.id });
  const message = dataOf(withFile).messages.find((m: { id: string }) => m.id === part.id);
  assert.equal(message.attachments[0].name, part.attachments![0]!.name);
  assert.ok(textOf(withFile).includes(`attachment: ${part.attachments![0]!.name}`));

  const assigned = ws.conversations.flatMap((x) => x.parts.slice(0, 90).map((p) => ({ x, p })))
    .find(({ p }) => p.assigned_to !== null)!;
  const withAssignment = dataOf(
    await c.call("get_conversation", { conversation_id: assigned.x.id }),
  );
  const m = withAssignment.messages.find((y: { id: string }) => y.id === assigned.p.id);
  assert.deepEqual(m.assigned_to, assigned.p.assigned_to);

  const plain = ws.conversations.find((x) => !x.ai_agent && x.parts.length < 90)!;
  const none = dataOf(await c.call("get_conversation", { conversation_id: plain.id }));
  assert.equal(none.extras.fin.participated, false);
  assert.equal(none.extras.fin.first_answer, null);
});

Deno.test("search and fetch cover tickets and companies (ticket_<id>, company_<id>)", async () => {
  await using fx = await syncedFixture({ conversations: 200, seed: 17 });
  await syncSupport(fx);
  await using c = await memoryClient(fx);
  const ws = fx.sim.workspace;
  const ticket = ws.tickets.find((t) => t.parts.some((p) => p.body))!;
  const word = String(ticket.attributes._default_title_).split(" ")[0]!;
  const results = dataOf(await c.call("search", { query: word })).results as { id: string }[];
  assert.ok(results.some((r) => r.id.startsWith("ticket_")), word);
  const doc = dataOf(await c.call("fetch", { id: `ticket_${ticket.id}` }));
  assert.equal(doc.id, `ticket_${ticket.id}`);
  assert.equal(doc.metadata.type, "ticket");
  assert.equal(doc.metadata.state, ticket.state);
  assert.ok(doc.text.includes(String(ticket.attributes._default_title_)));
  assert.equal(doc.url, `intercom://tickets/${ticket.id}`);

  const company = ws.companies.find((k) => !/[^\x20-\x7e]/.test(k.name))!;
  const companyResults = dataOf(await c.call("search", { query: company.name.split(" ")[0]! }))
    .results as { id: string }[];
  assert.ok(companyResults.some((r) => r.id === `company_${company.id}`));
  const companyDoc = dataOf(await c.call("fetch", { id: `company_${company.id}` }));
  assert.equal(companyDoc.metadata.type, "company");
  assert.equal(companyDoc.metadata.name, company.name);
  const missing = await c.call("fetch", { id: "ticket_nope" });
  assert.equal(missing.isError, true);
});
