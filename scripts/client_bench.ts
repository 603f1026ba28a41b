/**
 * Benchmarks of the Intercom client.
 *
 * 1. Sustained rate-limit pacing, over several 10 s windows, against the in-process simulator
 *    (latency 80 ms ± 30 ms; limits 167/10 s and 1000/10 s; workers calling getConversation).
 *    A plain script, because a multi-window measurement does not fit `Deno.bench`:
 *
 *      deno run --allow-all scripts/client_bench.ts
 *
 *    Environment: BENCH_SECONDS (per run, default 35: at least 3 full windows),
 *    BENCH_WORKERS (e.g. "8,16"; default 8,16 for 167/10 s and 16,32 for 1000/10 s),
 *    BENCH_LIMITS (e.g. "167"; default "167,1000").
 *    Prints requests/s sustained in full windows vs the limit (target ≥ 95 %) and 429s per
 *    window (target ≤ 1).
 *
 * 2. The client's hot path without network (fake fetch): `deno bench --allow-all scripts/`.
 */
// deno-lint-ignore-file no-console -- this script's job is printing figures
import { IntercomClient } from "../lib/intercom/client.ts";
import { q } from "../lib/intercom/query.ts";
import { RateLimiter } from "../lib/intercom/rate_limiter.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../lib/simulator/mod.ts";

const WINDOW_SECONDS = 10;

interface RunResult {
  limit: number;
  workers: number;
  seconds: number;
  fullWindows: number;
  sustainedPerSecond: number;
  percentOfLimit: number;
  max429PerWindow: number;
  total429: number;
  okTotal: number;
  retries: number;
}

/** Runs `workers` getConversation loops for `seconds` against a simulator limited to `limit`. */
async function runPacing(limit: number, workers: number, seconds: number): Promise<RunResult> {
  await using sim = await _simulator(limit);
  const seen: { status: number; reset: number }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    seen.push({
      status: response.status,
      reset: Number(response.headers.get("x-ratelimit-reset") ?? NaN),
    });
    return response;
  };
  const client = new IntercomClient({
    baseUrl: sim.url,
    token: DEFAULT_SIMULATOR_TOKEN,
    fetch: recordingFetch,
  });
  const first = await client.searchConversationsPage(q.gt("updated_at", 0), { perPage: 150 });
  const ids = first.items.map((c) => c.id);
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (Date.now() < deadline) await client.getConversation(ids[next++ % ids.length]!);
  }));

  const byWindow = new Map<number, { ok: number; limited: number }>();
  for (const { status, reset } of seen) {
    if (!Number.isFinite(reset)) continue;
    const counts = byWindow.get(reset) ?? { ok: 0, limited: 0 };
    if (status === 429) counts.limited++;
    else counts.ok++;
    byWindow.set(reset, counts);
  }
  const windows = [...byWindow.keys()].sort((a, b) => a - b);
  const full = windows.slice(1, -1); // the first and last windows are partial
  const okInFull = full.reduce((sum, w) => sum + byWindow.get(w)!.ok, 0);
  const sustained = okInFull / (full.length * WINDOW_SECONDS);
  const limited = windows.map((w) => byWindow.get(w)!.limited);
  return {
    limit,
    workers,
    seconds,
    fullWindows: full.length,
    sustainedPerSecond: sustained,
    percentOfLimit: (100 * sustained) / (limit / WINDOW_SECONDS),
    max429PerWindow: Math.max(0, ...limited),
    total429: limited.reduce((a, b) => a + b, 0),
    okTotal: seen.filter((s) => s.status < 300).length,
    retries: client.stats.retries,
  };
}

async function _simulator(limit: number) {
  const sim = await startSimulator({
    conversations: 200,
    seed: 7,
    latency: { meanMs: 80, jitterMs: 30 },
    rateLimit: { limit, windowSeconds: WINDOW_SECONDS },
  });
  return Object.assign(sim, { [Symbol.asyncDispose]: () => sim.close() });
}

function _list(name: string, fallback: number[]): number[] {
  const text = Deno.env.get(name);
  if (!text) return fallback;
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`${name}="${text}": use comma-separated positive integers, e.g. "8,16"`);
    }
    return value;
  });
}

async function main(): Promise<void> {
  const [seconds = 35] = _list("BENCH_SECONDS", [35]);
  const limits = _list("BENCH_LIMITS", [167, 1000]);
  console.log(
    `client pacing: simulator latency 80ms±30ms, ${seconds}s per run, windows of ${WINDOW_SECONDS}s`,
  );
  console.log("limit/10s  workers  full windows  sustained req/s  % of limit  429s/window (max)");
  for (const limit of limits) {
    for (const workers of _list("BENCH_WORKERS", limit <= 500 ? [8, 16] : [16, 32])) {
      const r = await runPacing(limit, workers, seconds);
      console.log(
        [
          String(r.limit).padStart(9),
          String(r.workers).padStart(8),
          String(r.fullWindows).padStart(13),
          r.sustainedPerSecond.toFixed(2).padStart(16),
          `${r.percentOfLimit.toFixed(1)}%`.padStart(11),
          String(r.max429PerWindow).padStart(18),
        ].join(" ") + `   (${r.okTotal} ok, ${r.total429} × 429, ${r.retries} retries)`,
      );
    }
  }
}

if (import.meta.main) await main();

// --- Hot path: one call through limiter, fetch, JSON parse and zod validation, no network. ---

const CANNED = JSON.stringify({
  type: "conversation",
  id: "1",
  created_at: 1_700_000_000,
  updated_at: 1_700_000_500,
  state: "open",
  open: true,
  source: { type: "conversation", id: "s1", body: "Hello", author: { type: "user", id: "u1" } },
  conversation_parts: {
    type: "conversation_part.list",
    total_count: 20,
    conversation_parts: Array.from({ length: 20 }, (_, i) => ({
      type: "conversation_part",
      id: String(100 + i),
      part_type: "comment",
      body: `Reply number ${i} with some text to parse.`,
      created_at: 1_700_000_000 + i,
      author: { type: i % 2 ? "admin" : "user", id: String(i), name: "Someone", email: null },
    })),
  },
});

const hotClient = new IntercomClient({
  baseUrl: "http://127.0.0.1:1",
  token: "bench-token",
  limiter: new RateLimiter(),
  fetch: () =>
    Promise.resolve(
      new Response(CANNED, {
        headers: {
          "content-type": "application/json",
          "X-RateLimit-Limit": "1000000000",
          "X-RateLimit-Remaining": "1000000000",
          "X-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 3600),
        },
      }),
    ),
});

Deno.bench("IntercomClient.getConversation() hot path (20 parts, fake fetch)", async () => {
  await hotClient.getConversation("1");
});

const hotLimiter = new RateLimiter();
(await hotLimiter.acquire()).release({ status: 200, headers: new Headers() });

Deno.bench("RateLimiter acquire + release", async () => {
  (await hotLimiter.acquire()).release(null);
});
