import assert from "node:assert/strict";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import { SIM_PART_TYPES, type SimConversation } from "../../lib/simulator/workspace.ts";
import { NOW } from "./_fixtures.ts";

const DAY = 86_400;
const ws = generateWorkspace({ seed: 11, conversations: 2000, days: 30, now: NOW });

Deno.test("generateWorkspace() is deterministic for the same seed, now and counts", () => {
  const a = generateWorkspace({ seed: 5, conversations: 150, days: 10, now: NOW });
  const b = generateWorkspace({ seed: 5, conversations: 150, days: 10, now: NOW });
  assert.deepEqual(a, b);
});

Deno.test("generateWorkspace() produces different data for a different seed", () => {
  const a = generateWorkspace({ seed: 5, conversations: 150, days: 10, now: NOW });
  const b = generateWorkspace({ seed: 6, conversations: 150, days: 10, now: NOW });
  assert.notEqual(a.app.id_code, b.app.id_code);
  assert.notDeepEqual(
    a.conversations.map((c) => [c.created_at, c.parts.length]),
    b.conversations.map((c) => [c.created_at, c.parts.length]),
  );
});

Deno.test("generateWorkspace() creates admins, teams, tags and contacts of both roles", () => {
  assert.equal(ws.admins.length, 8);
  assert.ok(ws.teams.length >= 3 && ws.teams.length <= 4);
  assert.equal(ws.tags.length, 15);
  assert.equal(ws.me.id, ws.admins[0]!.id);
  for (const team of ws.teams) {
    for (const adminId of team.admin_ids) {
      assert.ok(ws.admins.find((a) => a.id === adminId)!.team_ids.includes(team.id));
    }
  }
  const roles = new Set(ws.contacts.map((c) => c.role));
  assert.deepEqual([...roles].sort(), ["lead", "user"]);
  assert.ok(ws.contacts.some((c) => c.email === null), "some contacts without email");
  assert.ok(
    ws.contacts.some((c) =>
      c.name !== null &&
      /\p{Script=Han}|\p{Script=Cyrillic}|\p{Script=Arabic}|\p{Script=Hangul}|\p{Script=Greek}/u
        .test(c.name)
    ),
    "non-Latin names",
  );
  assert.equal(new Set(ws.contacts.map((c) => c.id)).size, ws.contacts.length);
});

Deno.test("generateWorkspace() parts follow a long tail with at least one 520–700 part conversation", () => {
  const counts = ws.conversations.map((c) => c.parts.length).sort((a, b) => a - b);
  const median = counts[Math.floor(counts.length / 2)]!;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  assert.ok(median >= 4 && median <= 8, `median ${median}`);
  assert.ok(mean >= 7 && mean <= 14, `mean ${mean}`);
  assert.ok(counts.some((n) => n >= 520 && n <= 700));
  const small = generateWorkspace({ seed: 99, conversations: 100, days: 30, now: NOW });
  assert.ok(small.conversations.some((c) => c.parts.length >= 520 && c.parts.length <= 700));
});

function allTimes(c: SimConversation): number[] {
  const stats = Object.values(c.statistics).filter((v): v is number =>
    typeof v === "number" && v > 1e9
  );
  return [
    c.created_at,
    c.updated_at,
    c.waiting_since ?? 0,
    c.snoozed_until ?? 0,
    c.rating?.created_at ?? 0,
    ...c.tags.map((t) => t.applied_at),
    ...c.parts.map((p) => p.created_at),
    ...stats,
  ];
}

Deno.test("generateWorkspace() keeps times in the window, chronological and never after now", () => {
  for (const c of ws.conversations) {
    assert.ok(c.created_at >= NOW - 30 * DAY && c.created_at <= NOW, c.id);
    assert.ok(c.updated_at >= c.created_at);
    assert.equal(c.updated_at, c.parts.at(-1)?.created_at ?? c.created_at);
    for (let i = 1; i < c.parts.length; i++) {
      assert.ok(c.parts[i]!.created_at >= c.parts[i - 1]!.created_at);
    }
    for (const t of allTimes(c)) assert.ok(Number.isInteger(t) && t <= NOW, `${c.id}: ${t}`);
  }
  for (const contact of ws.contacts) {
    assert.ok(contact.created_at <= contact.updated_at && contact.updated_at <= NOW);
  }
});

Deno.test("generateWorkspace() states agree with the parts", () => {
  const states = new Set<string>();
  for (const c of ws.conversations) {
    states.add(c.state);
    const changes = ["open", "assign_and_reopen", "close", "snoozed"];
    const lastChange = c.parts.filter((p) => changes.includes(p.part_type)).at(-1);
    const expected = lastChange?.part_type === "close"
      ? "closed"
      : lastChange?.part_type === "snoozed"
      ? "snoozed"
      : "open";
    assert.equal(c.state, expected, c.id);
    assert.equal(c.snoozed_until !== null, c.state === "snoozed");
    if (c.state !== "open") assert.equal(c.waiting_since, null);
  }
  assert.deepEqual([...states].sort(), ["closed", "open", "snoozed"]);
});

Deno.test("generateWorkspace() uses unique numeric ids and every part type and author type", () => {
  assert.ok(ws.conversations.every((c) => /^\d+$/.test(c.id)));
  assert.equal(ws.conversationsById.size, ws.conversations.length);
  const partIds = ws.conversations.flatMap((c) => c.parts.map((p) => p.id));
  assert.equal(new Set(partIds).size, partIds.length);
  const types = new Set(ws.conversations.flatMap((c) => c.parts.map((p) => p.part_type)));
  assert.deepEqual([...types].sort(), [...SIM_PART_TYPES].sort());
  const authors = new Set(ws.conversations.flatMap((c) => c.parts.map((p) => p.author.type)));
  assert.deepEqual([...authors].sort(), ["admin", "bot", "lead", "user"]);
  assert.ok(ws.conversations.some((c) => c.source.author.type === "admin"));
});

Deno.test("generateWorkspace() writes HTML bodies with links, entities, emoji and non-Latin text", () => {
  const bodies = ws.conversations.flatMap((
    c,
  ) => [c.source.body, ...c.parts.map((p) => p.body ?? "")]).join("\n");
  for (
    const pattern of [
      /<p>/,
      /<a href="/,
      /<br>/,
      /&(amp|lt|quot|nbsp);/,
      /\p{Extended_Pictographic}/u,
      /\p{Script=Hiragana}|\p{Script=Han}/u,
      /\p{Script=Cyrillic}/u,
      /\p{Script=Arabic}/u,
    ]
  ) {
    assert.match(bodies, pattern);
  }
});

Deno.test("generateWorkspace() gives email sources a subject, tags and assignees that exist", () => {
  const tagIds = new Set(ws.tags.map((t) => t.id));
  const adminIds = new Set(ws.admins.map((a) => a.id));
  for (const c of ws.conversations) {
    if (c.source.type === "email") assert.notEqual(c.source.subject, "");
    for (const t of c.tags) assert.ok(tagIds.has(t.tag.id));
    if (c.admin_assignee_id !== null) assert.ok(adminIds.has(c.admin_assignee_id));
    for (const id of c.contact_ids) assert.ok(ws.contactsById.has(id));
  }
  assert.ok(ws.conversations.some((c) => c.tags.length > 0));
  assert.ok(ws.conversations.some((c) => c.rating !== null));
});

Deno.test("generateWorkspace() builds a 20,000-conversation workspace", () => {
  // Its speed is a benchmark figure (scripts/sync_throughput.ts), not a test.
  const big = generateWorkspace({ seed: 1, conversations: 20_000, days: 30, now: NOW });
  assert.equal(big.conversations.length, 20_000);
  assert.equal(new Set(big.conversations.map((c) => c.id)).size, 20_000);
});
