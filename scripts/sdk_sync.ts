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
import { parseArgs } from "node:util";
import { mapPool } from "../lib/util/pool.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string", default: "sim-token-0123456789" },
    concurrency: { type: "string", default: "4" },
  },
});
if (!values.url) {
  console.error(
    "sdk_sync: --url is missing; give the simulator's URL: --url http://127.0.0.1:PORT",
  );
  Deno.exit(2);
}
const concurrency = Number(values.concurrency);

const client = new IntercomClient({ token: values.token, baseUrl: values.url, version: "2.11" });
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
