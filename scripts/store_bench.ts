// deno-lint-ignore-file no-console
/**
 * Store benchmark: search and read latencies on a synthetic store.
 *
 *   deno run -A scripts/store_bench.ts
 *
 * Environment: STORE_BENCH_CONVERSATIONS (default 100000), STORE_BENCH_DIR (where the store
 * is built once and reused; default $XDG_CACHE_HOME or ~/.cache, under fast-intercom-mcp),
 * STORE_BENCH_ITERATIONS (runs per query kind; default 200), STORE_BENCH_ONLY (run only the
 * kinds whose name contains one of these comma-separated words; default all).
 * Targets: search p95 ≤ 10 ms, getConversation p95 ≤ 5 ms.
 *
 * Under `deno bench --allow-all scripts/` it registers the core search kinds and
 * getConversation on a 10,000-conversation store instead (STORE_DENO_BENCH_CONVERSATIONS).
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Store } from "../lib/store/store.ts";
import type { ConversationSearch } from "../lib/store/types.ts";
import { format, measure, type Row } from "./_bench_stats.ts";
import { makeSyntheticStore, SYNTHETIC_END, SYNTHETIC_WORDS } from "./make_synthetic_store.ts";

const SEARCH_TARGET_MS = 10;
const GET_TARGET_MS = 5;

function envInt(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name}="${raw}" is not a positive integer`);
  }
  return value;
}

function cacheDir(): string {
  const explicit = Deno.env.get("STORE_BENCH_DIR");
  if (explicit) return explicit;
  const base = Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/tmp", ".cache");
  return join(base, "fast-intercom-mcp", "bench");
}

function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** The synthetic store for `conversations`, built on first use. */
export function benchStorePath(conversations: number): string {
  const path = join(cacheDir(), `store-${conversations}.db`);
  try {
    Deno.statSync(path);
    return path;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  console.error(`building a synthetic store of ${conversations} conversations at ${path} …`);
  const tmp = `${path}.partial`;
  for (const suffix of ["", "-wal", "-shm"]) {
    removeIfExists(tmp + suffix);
  }
  const result = makeSyntheticStore(tmp, {
    conversations,
    onProgress: (done, total) => {
      if (done % 20_000 === 0) console.error(`  ${done}/${total}`);
    },
  });
  Deno.renameSync(tmp, path);
  console.error(`  built in ${result.seconds.toFixed(1)} s`);
  return path;
}

interface Samples {
  ids10: string[];
  ids500: string[];
  emails: string[];
  tags: string[];
}

function sample(path: string): Samples {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const ids = (sql: string) => db.prepare(sql).all().map((row) => String(Object.values(row)[0]));
    return {
      ids10: ids(
        "SELECT id FROM conversations WHERE parts_total BETWEEN 9 AND 11 ORDER BY random() LIMIT 200",
      ),
      ids500: ids(
        "SELECT id FROM conversations WHERE parts_total >= 450 ORDER BY random() LIMIT 50",
      ),
      emails: ids(
        "SELECT source_author_email FROM conversations ORDER BY random() LIMIT 200",
      ),
      tags: ids("SELECT name FROM tags ORDER BY id"),
    };
  } finally {
    db.close();
  }
}

interface Kind {
  name: string;
  /** Part of the mix the task names (rare, common, phrase, text + state, email, window, tag). */
  core: boolean;
  make: (i: number) => ConversationSearch;
}

function searchKinds(samples: Samples): Kind[] {
  const day = 86400;
  const tags = ["billing", "vip", "refund", "security", "partner"];
  const allTags = samples.tags;
  const email = (i: number) => samples.emails[i % samples.emails.length] ?? "";
  const kind = (name: string, core: boolean, make: (i: number) => ConversationSearch) => ({
    name,
    core,
    make,
  });
  return [
    kind("rare word", true, () => ({ text: SYNTHETIC_WORDS.rare })),
    kind("common word", true, () => ({ text: SYNTHETIC_WORDS.common })),
    kind("phrase", true, () => ({ text: `"${SYNTHETIC_WORDS.phrase}"` })),
    kind("text + state", true, (i) => ({ text: "refund", state: i % 2 ? "open" : "closed" })),
    kind("email", true, (i) => ({ customerEmail: email(i) })),
    kind("time window, no text", true, (i) => ({
      updatedSince: SYNTHETIC_END - (i % 600) * day - 7 * day,
      updatedUntil: SYNTHETIC_END - (i % 600) * day,
    })),
    kind("tag", true, (i) => ({ tag: tags[i % tags.length] ?? "vip" })),
    kind("very common word", false, () => ({ text: SYNTHETIC_WORDS.veryCommon })),
    kind("two common words", false, () => ({ text: `${SYNTHETIC_WORDS.common} refund` })),
    kind("rare + very common", false, () => ({
      text: `${SYNTHETIC_WORDS.rare} ${SYNTHETIC_WORDS.veryCommon}`,
    })),
    kind("another phrase", false, () => ({ text: '"double charged on my card"' })),
    kind("prefix", false, () => ({ text: "passw*" })),
    // fewer than 3 letters before `*` are searched as the word itself (MIN_PREFIX_CHARS)
    kind("short prefix", false, (i) => ({ text: i % 2 ? "ka*" : "re*" })),
    kind("text + last 7 days", false, (i) => ({
      text: SYNTHETIC_WORDS.common,
      updatedSince: SYNTHETIC_END - (i % 300) * day - 7 * day,
    })),
    kind(
      "email + text",
      false,
      (i) => ({ customerEmail: email(i), text: SYNTHETIC_WORDS.veryCommon }),
    ),
    kind("tag + state + created", false, (i) => ({
      tag: tags[i % tags.length] ?? "vip",
      state: "open",
      createdSince: SYNTHETIC_END - 90 * day,
    })),
    kind("tag + word", false, (i) => ({
      tag: allTags[i % allTags.length] ?? "vip",
      text: SYNTHETIC_WORDS.common,
    })),
    kind("assignee + text", false, (i) => ({ assignee: String(5000 + (i % 50)), text: "refund" })),
    kind("newest, page 5", false, () => ({ offset: 80 })),
  ];
}

function main(): void {
  const conversations = envInt("STORE_BENCH_CONVERSATIONS", 100_000);
  const iterations = envInt("STORE_BENCH_ITERATIONS", 200);
  const path = benchStorePath(conversations);
  const samples = sample(path);
  using store = Store.open(path, { readOnly: true });
  const rows: Row[] = [];
  const core = { times: [] as number[], cpu: [] as number[] };
  const all = { times: [] as number[], cpu: [] as number[] };
  const only = (Deno.env.get("STORE_BENCH_ONLY") ?? "").split(",").filter((w) => w !== "");
  const chosen = searchKinds(samples).filter((k) =>
    only.length === 0 || only.some((w) => k.name.includes(w))
  );
  for (const kind of chosen) {
    const row = measure(
      `${kind.core ? "" : "+ "}${kind.name}`,
      { iterations, target: SEARCH_TARGET_MS },
      (i) => store.searchConversations(kind.make(i)).total,
    );
    rows.push(row);
    for (const sink of kind.core ? [all, core] : [all]) {
      sink.times.push(...row.times);
      sink.cpu.push(...row.cpu);
    }
  }
  const target = SEARCH_TARGET_MS;
  rows.push({ name: "CORE MIX (7 kinds)", ...core, total: core.times.length, target });
  rows.push({ name: "ALL KINDS", ...all, total: all.times.length, target });
  const get = (ids: string[]) => (i: number) =>
    store.getConversation(ids[i % ids.length] ?? "")?.parts.length ?? 0;
  const getOptions = { iterations, target: GET_TARGET_MS };
  rows.push(measure("getConversation ~10 parts", getOptions, get(samples.ids10)));
  rows.push(measure("getConversation ~500 parts", getOptions, get(samples.ids500)));
  const stats = store.stats();
  console.log(`store: ${path}`);
  console.log(
    `${stats.conversations} conversations, ${stats.parts} parts, ` +
      `${(stats.sizeBytes / 1048576).toFixed(1)} MiB: ` +
      `${Math.round(stats.sizeBytes / stats.conversations)} B per conversation, ` +
      `${Math.round(stats.sizeBytes / stats.parts)} B per part (all tables and indexes)`,
  );
  console.log(`${iterations} runs per kind; "+" marks kinds beyond the core mix\n`);
  console.log(format(rows));
}

/** Under `deno bench`: a few hot paths on a smaller store (STORE_DENO_BENCH_CONVERSATIONS). */
function registerDenoBenches(): void {
  const path = benchStorePath(envInt("STORE_DENO_BENCH_CONVERSATIONS", 10_000));
  const samples = sample(path);
  const store = Store.open(path, { readOnly: true });
  let i = 0;
  for (const kind of searchKinds(samples).filter((k) => k.core)) {
    Deno.bench(`store search: ${kind.name}`, { group: "store search" }, () => {
      store.searchConversations(kind.make(i++));
    });
  }
  Deno.bench("store getConversation ~10 parts", { group: "store get" }, () => {
    store.getConversation(samples.ids10[i++ % samples.ids10.length] ?? "");
  });
}

if (import.meta.main) main();
else registerDenoBenches();
