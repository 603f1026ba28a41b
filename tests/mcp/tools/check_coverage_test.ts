import assert from "node:assert/strict";
import { syncWorkspace } from "../../../lib/app/sync_service.ts";
import { dataOf, memoryClient, syncedFixture, textOf } from "../_fixtures.ts";

Deno.test("check_coverage compares a window with the synced runs", async (t) => {
  // the workspace spans 30 days; only the last 3 are synced
  await using fx = await syncedFixture({ conversations: 40, seed: 9, sync: false });
  await using c = await memoryClient(fx);
  const check = (args: Record<string, unknown>) => c.call("check_coverage", args);

  await t.step("nothing synced yet", async () => {
    const r = dataOf(await check({ start_date: "2 days ago" }));
    assert.equal(r.status, "never_synced");
    assert.equal(r.covered, false);
  });

  await syncWorkspace(fx.settings, {
    mode: "days",
    days: 3,
    sessionId: "t",
    console: false,
    tapLogs: false,
  });

  await t.step("inside the synced days: covered, with the stored count", async () => {
    const r = await check({ start_date: "2 days ago" });
    const data = dataOf(r);
    assert.equal(data.status, "covered");
    assert.deepEqual(data.gaps, []);
    const now = Math.floor(Date.now() / 1000);
    const expected = fx.store.searchConversations({
      updatedSince: now - 2 * 86400,
      createdUntil: now,
      limit: 1,
    });
    assert.equal(data.conversations_in_window, expected.total);
    assert.match(textOf(r), /^The store covers /);
  });

  await t.step("reaching before the synced days: partial, with the gap and advice", async () => {
    const data = dataOf(await check({ start_date: "10 days ago", end_date: "today" }));
    assert.equal(data.status, "partial");
    assert.equal(data.gaps.length, 1);
    assert.match(data.advice, /sync_conversations with days: 10/);
  });

  await t.step("entirely before: not covered", async () => {
    const data = dataOf(await check({ start_date: "20 days ago", end_date: "15 days ago" }));
    assert.equal(data.status, "not_covered");
  });

  await t.step("bad dates are tool errors", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ start_date: "someday" }, /cannot understand start_date "someday"/],
      [{ start_date: "2026-03-01", end_date: "2026-02-01" }, /end_date "2026-02-01" is before/],
      [
        { start_date: "2030-01-01" },
        /^start_date "2030-01-01" is in the future \(now is [0-9T:-]+Z\): nothing can be synced/,
      ],
      [{}, /start_date/],
      [{ start: "2026-01-01" }, /Unrecognized key/],
    ];
    for (const [args, pattern] of cases) {
      const r = await check(args);
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(textOf(r), pattern);
    }
  });
});
