import assert from "node:assert/strict";
import { conversation, part, T0, withStore } from "./_fixtures.ts";
import { loadWorkspace, simulatedWorkspace } from "./_support_fixtures.ts";

const ws = simulatedWorkspace(8, 300);

Deno.test("upsertConversation() stores the SLA, topics, Fin, attachments, assignments and links", async () => {
  await withStore((store) => {
    loadWorkspace(store, ws);
    const c = ws.conversations.find((x) => x.sla && x.topics?.length && x.ai_agent)!;
    const extras = store.support.conversationExtras(c.id)!;
    assert.deepEqual(extras.sla, { name: c.sla!.name, status: c.sla!.status });
    assert.deepEqual(extras.topics, c.topics!.map((t) => t.name));
    assert.equal(extras.ai_agent_participated, true);
    assert.equal(extras.ai_agent?.resolution_state, c.ai_agent!.resolution_state);
    const withFile = ws.conversations.find((x) => x.parts.some((p) => p.attachments?.length))!;
    const part = withFile.parts.find((p) => p.attachments?.length)!;
    const stored = store.support.conversationExtras(withFile.id)!.parts.get(part.id)!;
    assert.equal(stored.attachments[0]?.name, part.attachments![0]!.name);
    assert.equal(stored.attachments[0]?.filesize, part.attachments![0]!.filesize);
    const assigned = ws.conversations.flatMap((x) => x.parts.map((p) => ({ x, p })))
      .find(({ p }) => p.assigned_to !== null)!;
    assert.deepEqual(
      store.support.conversationExtras(assigned.x.id)!.parts.get(assigned.p.id)?.assigned_to,
      assigned.p.assigned_to,
    );
    const linked = ws.conversations.find((x) => x.linked?.length)!;
    const links = store.support.conversationExtras(linked.id)!.links;
    assert.deepEqual(links.map((l) => l.id), linked.linked!.map((l) => l.id));
    const ticket = ws.ticketsById.get(links[0]!.id)!;
    assert.equal(links[0]!.title, ticket.attributes._default_title_, "the linked ticket is named");
    const plain = ws.conversations.find((x) => !x.ai_agent && !x.sla && !x.topics?.length)!;
    const none = store.support.conversationExtras(plain.id)!;
    assert.deepEqual([none.sla, none.topics, none.ai_agent, none.ai_agent_participated], [
      null,
      [],
      null,
      false,
    ]);
    assert.equal(store.support.conversationExtras("nope"), null);
  });
});

/** Stores conversation "h" with these parts (created_at = T0 + the id) and reads its handoff. */
function handoffOf(parts: [id: string, type: string, author: string, assigned?: string][]) {
  return withStore((store) => {
    const conv = conversation({
      id: "h",
      parts: parts.map(([id, part_type, author, assigned]) =>
        Object.assign(
          part({ id, part_type, created_at: T0 + Number(id), author: { type: author } }),
          {
            assigned_to: assigned ? { type: assigned, id: "7" } : null,
          },
        )
      ),
    });
    store.upsertConversation(conv, T0);
    return store.support.finHandoff("h");
  });
}

Deno.test("finHandoff() finds Fin's first answer and the first human reply or assignment after it", async () => {
  assert.deepEqual(await handoffOf([["1", "comment", "user"]]), {
    first_answer: null,
    human_takeover: null,
  });
  assert.deepEqual(
    await handoffOf([
      ["1", "comment", "admin"],
      ["2", "comment", "bot"],
      ["3", "note", "admin"],
      ["4", "comment", "bot"],
      ["5", "comment", "admin"],
    ]),
    {
      first_answer: { part_id: "2", at: T0 + 2, position: 1 },
      human_takeover: { part_id: "5", at: T0 + 5, position: 4, how: "reply" },
    },
  );
  assert.deepEqual(
    (await handoffOf([
      ["1", "assignment", "admin", "admin"],
      ["2", "comment", "bot"],
      ["3", "assignment", "bot", "bot"],
      ["4", "default_assignment", "bot", "team"],
      ["5", "comment", "admin"],
    ])).human_takeover,
    { part_id: "4", at: T0 + 4, position: 3, how: "assignment" },
  );
  assert.equal(
    (await handoffOf([["2", "comment", "bot"], ["3", "comment", "user"]])).human_takeover,
    null,
  );
});
