/**
 * Does the local store hold what the source holds? Compares the store with the Intercom API it
 * was synced from (the simulator or the real workspace), over HTTP:
 *
 * - `exact` (the simulator): every conversation the source lists for the sync window is stored,
 *   nothing else is, and each one equals `GET /conversations/{id}` field by field and part by
 *   part; every contact the conversations reference is stored.
 * - `sample` (real Intercom, which keeps changing and has a rate limit): the stored count for the
 *   window agrees with the source's count, allowing for conversations updated since the sync,
 *   and a few conversations spread over the store are fetched and compared.
 *
 *   deno run -A scripts/integration/verify_store.ts --mode exact --window-start 1767225600 \
 *     --window-end 1767312000 --out verify.json
 *
 * Token, API URL and store path come from the environment and config, as for the CLI.
 * Exit codes: 0 match, 1 the API failed, 2 the store differs or cannot be read.
 */
import { parseArgs } from "node:util";
import { resolveSettings, type Settings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { IntercomError } from "../../lib/intercom/errors.ts";
import type { IntercomClient } from "../../lib/intercom/client.ts";
import { updatedBetween } from "../../lib/intercom/query.ts";
import { redactText, registerSecret } from "../../lib/logging/redact.ts";
import { Store } from "../../lib/store/store.ts";
import { clientFromSettings } from "../../lib/config/client.ts";
import { unixSeconds } from "../../lib/util/clock.ts";
import { mapPool } from "../../lib/util/pool.ts";
import { conversationDifferences } from "./conversation_diff.ts";
import { EXIT } from "./exit_codes.ts";

/** Options for {@link verifyStore}. */
export interface VerifyOptions {
  /** `exact` against the simulator, `sample` against real Intercom. */
  mode: "exact" | "sample";
  /** The sync's window (`window_start`/`window_end` of `sync --json`), Unix seconds. */
  windowStart: number;
  windowEnd: number;
  /** The sync's `--max-conversations`, when it stopped there. Default: none (not limited). */
  maxConversations?: number;
  /** Conversations fetched and compared in `sample` mode. Default: 10. */
  samples?: number;
  /** Conversations fetched at once. Default: 8. */
  concurrency?: number;
}

/** The outcome of {@link verifyStore}; `ok` when `problems` is empty. */
export interface VerifyResult {
  ok: boolean;
  mode: "exact" | "sample";
  source_count: number;
  store_count: number;
  /** Conversations fetched from the source and compared with the store. */
  compared: number;
  /** Sampled conversations skipped because the source changed them after the sync. */
  changed_since_sync: number;
  /** Every difference found, one line each. */
  problems: string[];
}

/** Compares `store` with the source `client` reads (see the module documentation). */
export async function verifyStore(
  store: Store,
  client: IntercomClient,
  options: VerifyOptions,
): Promise<VerifyResult> {
  return options.mode === "exact"
    ? await verifyExact(store, client, options)
    : await verifySample(store, client, options);
}

async function verifyExact(
  store: Store,
  client: IntercomClient,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const source = new Map<string, number>();
  for await (const page of client.searchConversations(updatedBetween(options.windowStart))) {
    for (const c of page.items) source.set(c.id, c.updated_at);
  }
  const stored = storedIds(store, {});
  const problems: string[] = [];
  const extra = stored.filter((id) => !source.has(id));
  if (extra.length > 0) {
    problems.push(`${extra.length} stored but not in the source: ${few(extra)}`);
  }
  const storedSet = new Set(stored);
  if (options.maxConversations === undefined) {
    const missing = [...source.keys()].filter((id) => !storedSet.has(id));
    if (missing.length > 0) {
      problems.push(`${missing.length} in the source but not stored: ${few(missing)}`);
    }
  } else {
    const expected = Math.min(options.maxConversations, source.size);
    if (stored.length !== expected) {
      problems.push(
        `stored ${stored.length} conversations; --max-conversations ${options.maxConversations} ` +
          `with ${source.size} in the source means ${expected}`,
      );
    }
  }
  const compared = await compareWithSource(store, client, stored.filter((id) => source.has(id)), {
    concurrency: options.concurrency ?? 8,
    skipChanged: false,
  });
  problems.push(...compared.problems);
  const referenced = new Set(stored.flatMap((id) => store.getConversation(id)?.contact_ids ?? []));
  const missingContacts = store.missingContactIds([...referenced]);
  if (missingContacts.length > 0) {
    problems.push(
      `${missingContacts.length} referenced contacts not stored: ${few(missingContacts)}`,
    );
  }
  return {
    ok: problems.length === 0,
    mode: "exact",
    source_count: source.size,
    store_count: stored.length,
    compared: compared.compared,
    changed_since_sync: 0,
    problems,
  };
}

async function verifySample(
  store: Store,
  client: IntercomClient,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { windowStart, windowEnd } = options;
  const count = async (start: number, end?: number) =>
    (await client.searchConversationsPage(updatedBetween(start, end), { perPage: 1 })).totalCount;
  const inWindow = await count(windowStart, windowEnd);
  const late = await count(windowEnd + 1);
  const stored = storedIds(store, { updatedSince: windowStart, updatedUntil: windowEnd });
  const problems: string[] = [];
  // A conversation the source still dates inside the window was last updated before the sync
  // started, so it must be stored; the store may also hold ones updated again since (`late`).
  const limit = options.maxConversations;
  if (limit === undefined && (stored.length < inWindow || stored.length > inWindow + late)) {
    problems.push(
      `stored ${stored.length} conversations for the window; the source has ${inWindow} ` +
        `(plus ${late} updated since the sync)`,
    );
  }
  if (limit !== undefined && stored.length !== Math.min(limit, inWindow + late)) {
    problems.push(`stored ${stored.length} conversations; --max-conversations was ${limit}`);
  }
  const compared = await compareWithSource(store, client, spread(stored, options.samples ?? 10), {
    concurrency: options.concurrency ?? 4,
    skipChanged: true,
  });
  problems.push(...compared.problems);
  return {
    ok: problems.length === 0,
    mode: "sample",
    source_count: inWindow,
    store_count: stored.length,
    compared: compared.compared,
    changed_since_sync: compared.changed,
    problems,
  };
}

async function compareWithSource(
  store: Store,
  client: IntercomClient,
  ids: string[],
  options: { concurrency: number; skipChanged: boolean },
): Promise<{ compared: number; changed: number; problems: string[] }> {
  let changed = 0;
  const results = await mapPool(ids, options.concurrency, async (id) => {
    const fetched = await client.getConversation(id);
    const stored = store.getConversation(id);
    if (stored === null) return [`conversation ${id}: not stored`];
    if (options.skipChanged && fetched.updated_at > stored.updated_at) {
      changed++;
      return [];
    }
    return conversationDifferences(stored, fetched);
  });
  return { compared: ids.length - changed, changed, problems: results.flat() };
}

/** Every stored conversation id matching the bounds, paging through the store's search. */
function storedIds(store: Store, bounds: { updatedSince?: number; updatedUntil?: number }) {
  const ids: string[] = [];
  for (let offset = 0;; offset += 100) {
    const { hits, total } = store.searchConversations({ ...bounds, limit: 100, offset });
    ids.push(...hits.map((h) => h.id));
    if (hits.length === 0 || ids.length >= total) return ids;
  }
}

/** Up to `n` items spread evenly over `items` (first and last included). */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  if (n <= 1) return items.slice(0, n);
  return Array.from({ length: n }, (_, i) => items[Math.round(i * (items.length - 1) / (n - 1))]!);
}

function few(ids: string[]): string {
  return ids.slice(0, 5).join(", ") + (ids.length > 5 ? ", …" : "");
}

function intArg(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} "${text}" is not a whole number`);
  return Number(text);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      mode: { type: "string", default: "exact" },
      "window-start": { type: "string" },
      "window-end": { type: "string" },
      "max-conversations": { type: "string" },
      samples: { type: "string" },
      out: { type: "string" },
    },
  });
  const mode = values.mode === "sample" ? "sample" : "exact";
  const windowStart = intArg("window-start", values["window-start"]) ?? 0;
  const windowEnd = intArg("window-end", values["window-end"]) ?? unixSeconds();
  const max = intArg("max-conversations", values["max-conversations"]);
  const samples = intArg("samples", values.samples);
  let settings: Settings;
  try {
    settings = await resolveSettings(resolvePaths());
  } catch (error) {
    log(`store check cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.environment;
  }
  registerSecret(settings.token);
  let result: VerifyResult;
  try {
    using store = Store.open(settings.paths.storeFile, { readOnly: true });
    result = await verifyStore(store, clientFromSettings(settings), {
      mode,
      windowStart,
      windowEnd,
      ...(max === undefined ? {} : { maxConversations: max }),
      ...(samples === undefined ? {} : { samples }),
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(`store check could not run: ${message}`);
    return error instanceof IntercomError ? EXIT.api : EXIT.sync;
  }
  if (values.out !== undefined) {
    await Deno.writeTextFile(values.out, JSON.stringify(result, null, 2) + "\n");
  }
  log(
    `store vs source (${mode}): ${result.store_count} stored, ${result.source_count} in the ` +
      `source, ${result.compared} compared${
        result.changed_since_sync ? `, ${result.changed_since_sync} changed since the sync` : ""
      }: ${result.ok ? "match" : `${result.problems.length} problems`}`,
  );
  for (const line of result.problems.slice(0, 20)) log(`  ${line}`);
  return result.ok ? EXIT.ok : EXIT.sync;
}

function log(line: string): void {
  // deno-lint-ignore no-console
  console.error(redactText(line));
}

if (import.meta.main) Deno.exit(await main());
