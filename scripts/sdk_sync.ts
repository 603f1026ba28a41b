// deno-lint-ignore-file no-console
/**
 * The baseline of `scripts/sdk_compare.ts`: a plain script with Intercom's official Node SDK
 * (`intercom-client`), as a developer would write it — search conversations page by page and
 * fetch each one in full (`display_as=plaintext`), `--concurrency` at a time. It stores nothing
 * and looks up no contacts, so it does less than the sync. Prints one JSON line:
 * `{"conversations": N, "seconds": S, "requests": R}`.
 *
 *   deno run -A scripts/sdk_sync.ts --url http://127.0.0.1:PORT --concurrency 4
 */
import { IntercomClient } from "intercom-client";
import { mapPool } from "../lib/util/pool.ts";
import { baselineArgs } from "./_baseline_args.ts";

const { url, token, concurrency } = baselineArgs("sdk_sync");

const client = new IntercomClient({ token, baseUrl: url, version: "2.11" });
const started = performance.now();
let conversations = 0;
let requests = 0;
let page = await client.conversations.search({
  query: { operator: "AND", value: [{ field: "updated_at", operator: ">", value: "0" }] },
  pagination: { per_page: 150 },
});
requests++;
for (;;) {
  await mapPool(page.data, concurrency, async (summary) => {
    await client.conversations.find({ conversation_id: summary.id, display_as: "plaintext" });
    requests++;
    conversations++;
  });
  if (!page.hasNextPage()) break;
  page = await page.getNextPage();
  requests++;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ conversations, seconds, requests }));
