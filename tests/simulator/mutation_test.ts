import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { mutateWorkspace } from "../../lib/simulator/mutation.ts";
import { Prng } from "../../lib/simulator/prng.ts";
import { renderConversation } from "../../lib/simulator/render.ts";
import { AUTH, NOW, postJson, withSimulator } from "./_fixtures.ts";

const LATER = NOW + 3600;

Deno.test("mutateWorkspace() adds parts, changes states and creates conversations stamped now", () => {
  const ws = generateWorkspace({ seed: 4, conversations: 60, days: 10, now: NOW });
  const before = new Map(
    ws.conversations.map((c) => [c.id, { parts: c.parts.length, state: c.state }]),
  );
  const result = mutateWorkspace(ws, new Prng(9), { count: 40, now: LATER });
  assert.equal(result.at, LATER);
  assert.ok(
    result.partsAdded.length > 0 && result.stateChanged.length > 0 && result.created.length > 0,
  );
  for (const id of result.touched) {
    const c = ws.conversationsById.get(id)!;
    assert.equal(c.updated_at, LATER, id);
    assert.equal(c.parts.at(-1)?.created_at ?? c.created_at, LATER);
  }
  for (const id of result.partsAdded.filter((id) => before.has(id))) {
    assert.ok(ws.conversationsById.get(id)!.parts.length > before.get(id)!.parts);
  }
  for (const id of result.created) {
    const c = ws.conversationsById.get(id)!;
    assert.equal(before.has(id), false);
    assert.equal(c.created_at, LATER);
    assert.ok(Number(id) > Math.max(...[...before.keys()].map(Number)));
  }
  const lastState = result.stateChanged.at(-1)!;
  const changed = ws.conversationsById.get(lastState)!;
  const lastPart = changed.parts.at(-1)!;
  assert.ok(["open", "close", "snoozed"].includes(lastPart.part_type));
  assert.equal(new Set(result.touched).size, result.touched.length);
  const untouched = ws.conversations.filter((c) => !result.touched.includes(c.id));
  assert.ok(untouched.every((c) => c.updated_at <= NOW));
});

Deno.test("mutateWorkspace() can push a conversation past 500 parts", () => {
  const ws = generateWorkspace({ seed: 4, conversations: 100, days: 10, now: NOW });
  const giant = ws.conversations.find((c) => c.parts.length > 500)!;
  giant.parts = giant.parts.slice(-500);
  const rng = new Prng(1);
  for (let i = 0; i < 10_000 && giant.parts.length === 500; i++) {
    mutateWorkspace(ws, rng, { count: 1, now: LATER });
  }
  assert.ok(giant.parts.length > 500);
  // deno-lint-ignore no-explicit-any
  const rendered = renderConversation(ws, giant.id) as any;
  assert.equal(rendered.conversation_parts.conversation_parts.length, 500);
  assert.equal(rendered.conversation_parts.total_count, giant.parts.length);
  assert.equal(rendered.conversation_parts.conversation_parts.at(-1).id, giant.parts.at(-1)!.id);
});

Deno.test("Simulator.mutate() stamps changes with the injected clock", async () => {
  await withSimulator({ clock: () => LATER * 1000 }, async (sim) => {
    const result = sim.mutate(5);
    assert.equal(result.at, LATER);
    assert.ok(result.touched.length > 0);
    assert.equal(sim.stats.mutations, 5);
    const reply = await postJson(sim, "/conversations/search", {
      query: { field: "updated_at", operator: "=", value: LATER },
      pagination: { per_page: 150 },
    });
    assert.deepEqual(
      reply.body.conversations.map((c: { id: string }) => c.id).sort(),
      [...result.touched].sort(),
    );
  });
});

Deno.test("background mutation changes the workspace on an interval", async () => {
  await withSimulator({ mutate: { intervalMs: 5, perTick: 2 } }, async (sim) => {
    for (let i = 0; i < 100 && sim.stats.mutations < 4; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(sim.stats.mutations >= 4);
  });
});

Deno.test("mutation between pages shows the stateless-cursor hazard: an updated record is seen again", async () => {
  await withSimulator({ conversations: 60, clock: () => LATER * 1000 }, async (sim) => {
    const firstPage = new Set<string>();
    let touched: string[] = [];
    sim.onRequest = ({ n }) => {
      if (n === 2) touched = sim.mutate(12).touched;
    };
    const seen: string[] = [];
    let startingAfter: string | undefined;
    for (let page = 1; page < 100; page++) {
      const res = await fetch(`${sim.url}/conversations/search`, {
        method: "POST",
        headers: AUTH,
        body: JSON.stringify({
          query: { field: "updated_at", operator: ">", value: 0 },
          pagination: { per_page: 30, ...(startingAfter ? { starting_after: startingAfter } : {}) },
          sort: { field: "updated_at", order: "ascending" },
        }),
      });
      const body = await res.json();
      for (const c of body.conversations) {
        if (page === 1) firstPage.add(c.id);
        seen.push(c.id);
      }
      startingAfter = body.pages.next?.starting_after;
      if (!startingAfter) break;
    }
    const updatedFromPageOne = touched.filter((id) => firstPage.has(id));
    assert.ok(updatedFromPageOne.length > 0, "the seed must touch a page-1 record");
    const duplicates = seen.filter((id, i) => seen.indexOf(id) !== i);
    assert.deepEqual(duplicates.sort(), updatedFromPageOne.sort());
  });
});
