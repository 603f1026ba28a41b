import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Store } from "../../lib/store/store.ts";
import {
  countsJson,
  RUN_COUNT_NAMES,
  type RunCounts,
  zeroCounts,
} from "../../lib/sync/run_record.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const COUNTS: RunCounts = {
  conversationsSeen: 1,
  conversationsFetched: 2,
  conversationsSkipped: 3,
  partsUpserted: 4,
  contactsUpserted: 5,
  apiCalls: 6,
  retries: 7,
  rateLimited: 8,
};

Deno.test("countsJson() names every counter in snake_case, nothing else", () => {
  assert.deepEqual(countsJson(COUNTS), {
    conversations_seen: 1,
    conversations_fetched: 2,
    conversations_skipped: 3,
    parts_upserted: 4,
    contacts_upserted: 5,
    api_calls: 6,
    retries: 7,
    rate_limited: 8,
  });
  // a SyncRun carries more fields: only the counters are taken
  assert.deepEqual(Object.keys(countsJson({ ...COUNTS, id: 3 } as RunCounts)).length, 8);
});

Deno.test("RUN_COUNT_NAMES are exactly the counter columns of sync_runs", async () => {
  await withTempDir("run_record_test_", (dir) => {
    const path = join(dir, "data.db");
    Store.open(path).close();
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const columns = db.prepare("SELECT name FROM pragma_table_info('sync_runs')").all()
        .map((row) => String(row.name));
      for (const name of Object.values(RUN_COUNT_NAMES)) {
        assert.ok(columns.includes(name), `sync_runs has a column ${name}`);
      }
      const integerDefaults = db.prepare(
        "SELECT name FROM pragma_table_info('sync_runs') WHERE type = 'INTEGER' AND dflt_value = '0'",
      ).all().map((row) => String(row.name));
      assert.deepEqual(integerDefaults.sort(), Object.values(RUN_COUNT_NAMES).sort());
    } finally {
      db.close();
    }
  });
});

Deno.test("zeroCounts() returns a new all-zero object each call", () => {
  const a = zeroCounts();
  a.apiCalls = 5;
  assert.deepEqual(Object.values(zeroCounts()), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(Object.keys(zeroCounts()).length, Object.keys(RUN_COUNT_NAMES).length);
});
