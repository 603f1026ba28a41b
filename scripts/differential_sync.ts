// deno-lint-ignore-file no-console
/**
 * The differential check of the sync over many seeds (issue 10; the schedule is described in
 * `scripts/integration/differential.ts`): in process with AbortSignal interruptions, then with
 * real sync processes killed by SIGKILL. Prints one line per failing seed with its first
 * differences and a summary; exits 1 when any seed differs.
 *
 *   deno task bench:diff                          # 200 seeds in process, 10 with killed processes
 *   deno task bench:diff --seeds 50 --killed 0 --from 1000
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./_bench_processes.ts";
import {
  type DifferentialResult,
  runDifferential,
  runKilledDifferential,
} from "./integration/differential.ts";
import { taskFlags } from "./task_flags.ts";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "200" },
    killed: { type: "string", default: "10" },
    from: { type: "string", default: "1" },
  },
});
const from = Number(values.from);
const totals = { seeds: 0, failed: 0, syncs: 0, interrupted: 0, changes: 0, unsorted: 0 };

function report(kind: string, r: DifferentialResult, seconds: number) {
  totals.seeds++;
  totals.syncs += r.syncs;
  totals.interrupted += r.interrupted;
  totals.changes += Object.values(r.changes).reduce((a, b) => a + b, 0);
  if (r.searchSort === "ignored") totals.unsorted++;
  if (r.differences.length === 0) return;
  totals.failed++;
  console.log(
    `${kind} seed ${r.seed} DIFFERS (${seconds.toFixed(1)}s, sort ${r.searchSort}, lag ` +
      `${r.contactSearchLagSeconds}s, ${r.syncs} syncs, ${r.interrupted} interrupted, changes ` +
      `${JSON.stringify(r.changes)}):\n  ${r.differences.slice(0, 10).join("\n  ")}`,
  );
}

/** A seed that takes longer than this is reported as hanging (the script then exits 1). */
const SEED_LIMIT_MS = 300_000;

async function withinLimit(seed: number, run: Promise<DifferentialResult>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<DifferentialResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({
        seed,
        searchSort: "honoured",
        contactSearchLagSeconds: 0,
        syncs: 0,
        interrupted: 0,
        changes: {} as DifferentialResult["changes"],
        differences: [`did not finish within ${SEED_LIMIT_MS / 1000}s`],
      });
    }, SEED_LIMIT_MS);
  });
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const started = performance.now();
for (let seed = from; seed < from + Number(values.seeds); seed++) {
  const t = performance.now();
  report(
    "in-process",
    await withinLimit(seed, runDifferential({ seed })),
    (performance.now() - t) / 1000,
  );
  if ((seed - from + 1) % 25 === 0) {
    console.log(`… ${seed - from + 1} in-process seeds, ${totals.failed} differing`);
  }
}
const flags = taskFlags("cli");
for (let seed = from; seed < from + Number(values.killed); seed++) {
  const t = performance.now();
  const r = await withinLimit(
    seed,
    runKilledDifferential({ seed, main: join(ROOT, "main.ts"), flags }),
  );
  report("killed", r, (performance.now() - t) / 1000);
}
console.log(
  `\n${totals.seeds} seeds (${values.seeds} in process, ${values.killed} with killed processes; ` +
    `from ${from}): ${totals.failed} differing; ${totals.syncs} syncs, ${totals.interrupted} ` +
    `interrupted, ${totals.changes} changes, ${totals.unsorted} seeds with unsorted search; ` +
    `${((performance.now() - started) / 1000).toFixed(0)}s`,
);
Deno.exit(totals.failed > 0 ? 1 : 0); // a hanging seed may still hold timers
