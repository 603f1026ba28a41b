import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { Prng } from "../../lib/simulator/prng.ts";
import { mutateSupport } from "../../lib/simulator/support_mutation.ts";
import { NOW } from "./_fixtures.ts";

Deno.test("mutateSupport() changes tickets, companies and contacts and stamps them now", () => {
  const ws = generateWorkspace({ seed: 2, conversations: 200, days: 10, now: NOW });
  const tickets = ws.tickets.length;
  const at = NOW + 100;
  const result = mutateSupport(ws, new Prng(7), { count: 60, now: at });
  assert.ok(result.ticketsChanged.length > 0 && result.companiesChanged.length > 0);
  assert.ok(result.contactsChanged.length > 0 && result.ticketsCreated.length > 0);
  assert.equal(ws.tickets.length, tickets + result.ticketsCreated.length);
  for (const id of [...result.ticketsChanged, ...result.ticketsCreated]) {
    assert.equal(ws.ticketsById.get(id)!.updated_at, at);
  }
  for (const id of result.companiesChanged) assert.equal(ws.companiesById.get(id)!.updated_at, at);
  for (const id of result.contactsChanged) assert.equal(ws.contactsById.get(id)!.updated_at, at);
});
