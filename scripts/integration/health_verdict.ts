/**
 * Turns the JSON of `fast-intercom-mcp debug health --json` into the integration script's exit
 * code, naming the checks that failed:
 *
 *   deno run -A scripts/integration/health_verdict.ts health.json
 *
 * Healthy → 0. A failed `api` or `token` check → 1; `config`, `disk`, `data_dir`, `log_dir` or
 * `status_dir` → 5; the store, integrity, schema, last sync or sync (or a report that
 * cannot be read) → 2.
 */
import { EXIT, type ExitCode } from "./exit_codes.ts";

/** The part of a health report this module reads. */
export interface HealthSummary {
  status: string;
  checks: { name: string; status: string; detail: string }[];
}

const API_CHECKS = new Set(["api", "token"]);
const ENVIRONMENT_CHECKS = new Set(["config", "disk", "data_dir", "log_dir", "status_dir"]);

/** The exit code for a health report: the most fundamental failed check decides. */
export function healthExitCode(report: HealthSummary): ExitCode {
  const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name);
  if (report.status === "healthy" && failed.length === 0) return EXIT.ok;
  if (failed.some((name) => ENVIRONMENT_CHECKS.has(name))) return EXIT.environment;
  if (failed.some((name) => API_CHECKS.has(name))) return EXIT.api;
  return EXIT.sync;
}

/** One line per check that is not ok, for the script's log. */
export function healthProblems(report: HealthSummary): string[] {
  return report.checks.filter((c) => c.status !== "ok").map((c) =>
    `${c.status} ${c.name}: ${c.detail}`
  );
}

if (import.meta.main) {
  const [path] = Deno.args;
  let report: HealthSummary;
  try {
    report = JSON.parse(await Deno.readTextFile(path ?? "/dev/stdin"));
    if (!Array.isArray(report.checks)) throw new TypeError("no checks array");
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`the health report ${path} cannot be read: ${(error as Error).message}`);
    Deno.exit(EXIT.sync);
  }
  // deno-lint-ignore no-console
  for (const line of healthProblems(report)) console.error(`  ${line}`);
  Deno.exit(healthExitCode(report));
}
