// deno-lint-ignore-file no-console
/** Run by store_test.ts under several TZ values: prints what the store stored and found. */
import { join } from "node:path";
import { Store } from "../../lib/store/store.ts";
import { clockAt, conversation, DAY, part, T0 } from "./_fixtures.ts";

const dir = Deno.makeTempDirSync({ prefix: "store-tz-" });
try {
  using store = Store.open(join(dir, "s.db"), { clock: clockAt(T0 + 7) });
  store.upsertConversation(
    conversation({
      id: "c1",
      created_at: T0 + 23 * 3600,
      updated_at: T0 + DAY,
      parts: [part({ id: "p1", created_at: T0 + DAY })],
    }),
    T0,
  );
  store.setCheckpoint({ at: 1 });
  const conv = store.getConversation("c1");
  console.log(JSON.stringify({
    created: conv?.created_at,
    updated: conv?.updated_at,
    part: conv?.parts[1]?.created_at,
    inDay: store.searchConversations({ updatedSince: T0 + DAY, updatedUntil: T0 + DAY }).total,
    beforeDay: store.searchConversations({ updatedUntil: T0 + DAY - 1 }).total,
    createdWindow:
      store.searchConversations({ createdSince: T0, createdUntil: T0 + DAY - 1 }).total,
    stateUpdatedAt: store.syncState().updatedAt,
  }));
} finally {
  Deno.removeSync(dir, { recursive: true });
}
