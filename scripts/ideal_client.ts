// deno-lint-ignore-file no-console
/**
 * The "ideal client" line of `scripts/sdk_compare.ts`: the least a client can do to read every
 * conversation — search pages (parsed only for their ids and cursor) and `GET
 * /conversations/{id}?display_as=plaintext` (body read as bytes, never parsed or stored) —
 * keeping exactly `--concurrency` requests in flight whenever there is work. Its rate is the
 * physical bound of any client at that concurrency: `concurrency / mean latency` requests per
 * second. Prints one JSON line:
 * `{"conversations": N, "seconds": S, "requests": R, "mean_latency_ms": L, "rate_limited": Q}`.
 *
 *   deno run -A scripts/ideal_client.ts --url http://127.0.0.1:PORT --concurrency 4
 */
import { baselineArgs } from "./_baseline_args.ts";

const { url: base, token, concurrency } = baselineArgs("ideal_client");
const headers = {
  "Authorization": `Bearer ${token}`,
  "Accept": "application/json",
  "Intercom-Version": "2.11",
};
const query = { operator: "AND", value: [{ field: "updated_at", operator: ">", value: 0 }] };

let requests = 0;
let rateLimited = 0;
let latencyMs = 0;

/** One request, answered; a 429 waits for the window's reset and is sent again. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...headers, ...init.headers },
    });
    requests++;
    latencyMs += performance.now() - started;
    if (res.status !== 429) {
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${res.status}`);
      return res;
    }
    rateLimited++;
    await res.body?.cancel();
    const reset = Number(res.headers.get("x-ratelimit-reset") ?? 0) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(50, reset - Date.now())));
  }
}

const ids: string[] = [];
let cursor: string | null = null;
let searchDone = false;
let searching: Promise<void> | null = null;

async function searchPage(): Promise<void> {
  const pagination = { per_page: 150, ...(cursor ? { starting_after: cursor } : {}) };
  const res = await send("/conversations/search", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, pagination }),
  });
  const page = await res.json() as {
    conversations: { id: string }[];
    pages?: { next?: { starting_after?: string } | null };
  };
  for (const c of page.conversations) ids.push(c.id);
  cursor = page.pages?.next?.starting_after ?? null;
  searchDone = cursor === null;
}

let conversations = 0;

/**
 * One of `concurrency` slots: always a request in flight while there is work. The next search
 * page is asked for as soon as its cursor is known, so that ids never run out while it comes.
 */
async function slot(): Promise<void> {
  for (;;) {
    if (!searchDone && searching === null) {
      searching = searchPage().finally(() => (searching = null));
      await searching;
      continue;
    }
    const id = ids.shift();
    if (id !== undefined) {
      const res = await send(`/conversations/${encodeURIComponent(id)}?display_as=plaintext`);
      await res.arrayBuffer();
      conversations++;
      continue;
    }
    if (searching === null) return; // every page read, every id fetched
    await searching; // the page everyone waits for is on its way
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => slot()));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  conversations,
  seconds,
  requests,
  mean_latency_ms: latencyMs / requests,
  rate_limited: rateLimited,
}));
