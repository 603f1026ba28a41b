import assert from "node:assert/strict";
import {
  CLOCK_MARGIN_SECONDS,
  requestedAfter,
  storedCopyIsCurrent,
} from "../../lib/sync/freshness.ts";

const U = 1_767_225_600;
const M = CLOCK_MARGIN_SECONDS;

Deno.test("storedCopyIsCurrent() skips only a copy requested in a later second than its updated_at", () => {
  const cases: [string, Parameters<typeof storedCopyIsCurrent>[0], number, boolean][] = [
    ["not stored", undefined, U, false],
    ["fetch time unknown (older version)", { updatedAt: U, fetchedAt: null }, U, false],
    ["fetched in the second of its updated_at", { updatedAt: U, fetchedAt: U }, U, false],
    ["fetched within the clock margin", { updatedAt: U, fetchedAt: U + M }, U, false],
    ["fetched after the margin", { updatedAt: U, fetchedAt: U + M + 1 }, U, true],
    ["search shows a newer updated_at", { updatedAt: U, fetchedAt: U + 60 }, U + 1, false],
    ["search shows an older updated_at", { updatedAt: U, fetchedAt: U + 60 }, U - 5, true],
  ];
  for (const [name, stored, updatedAt, expected] of cases) {
    assert.equal(storedCopyIsCurrent(stored, updatedAt), expected, name);
  }
});

Deno.test("requestedAfter() holds only for a request in a later second than the change, past the margin", () => {
  assert.equal(requestedAfter(null, U), false);
  assert.equal(requestedAfter(U, U), false);
  assert.equal(requestedAfter(U + M, U), false);
  assert.equal(requestedAfter(U + M + 1, U), true);
  assert.equal(requestedAfter(U - 100, U), false);
});
