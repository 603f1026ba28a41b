import assert from "node:assert/strict";
import { computeStatistics, computeWaitingSince } from "../../lib/simulator/statistics.ts";
import type { SimAuthor, SimConversation, SimPart } from "../../lib/simulator/workspace.ts";

const user: SimAuthor = { type: "user", id: "u1", name: "U", email: null };
const admin: SimAuthor = { type: "admin", id: "a1", name: "A", email: "a@x" };

function part(part_type: SimPart["part_type"], at: number, author: SimAuthor): SimPart {
  return {
    id: String(at),
    part_type,
    body: null,
    created_at: at,
    author,
    assigned_to: null,
  };
}

const PARTS = [
  part("assignment", 1010, admin),
  part("comment", 1100, admin),
  part("comment", 1200, user),
  part("comment", 1500, admin),
  part("close", 1600, admin),
  part("open", 1700, user),
  part("comment", 1800, user),
];

Deno.test("computeStatistics() derives reply, assignment and close times from the parts", () => {
  const s = computeStatistics(1000, PARTS);
  assert.equal(s.first_assignment_at, 1010);
  assert.equal(s.time_to_assignment, 10);
  assert.equal(s.first_admin_reply_at, 1100);
  assert.equal(s.time_to_admin_reply, 100);
  assert.equal(s.first_contact_reply_at, 1200);
  assert.equal(s.last_contact_reply_at, 1800);
  assert.equal(s.last_admin_reply_at, 1500);
  assert.equal(s.median_time_to_reply, 200); // replies after 100 s and 300 s
  assert.equal(s.last_close_at, 1600);
  assert.equal(s.last_closed_by_id, "a1");
  assert.equal(s.count_reopens, 1);
  assert.equal(s.count_assignments, 1);
});

Deno.test("computeWaitingSince() is the first unanswered contact message of an open conversation", () => {
  const c = { created_at: 1000, state: "open", parts: PARTS } as SimConversation;
  assert.equal(computeWaitingSince(c), 1800);
  assert.equal(computeWaitingSince({ ...c, state: "closed" }), null);
  assert.equal(computeWaitingSince({ ...c, parts: PARTS.slice(0, 4) }), null);
  assert.equal(computeWaitingSince({ ...c, parts: [] }), 1000);
});
