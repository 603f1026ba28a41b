/** `debug health | diagnose`: checks for people and for CI, with documented exit codes. */
import type { Command } from "@commander-js/extra-typings";
import type { ApiDiagnosis, DatabaseDiagnosis } from "../health/diagnose.ts";
import type { HealthReport } from "../health/health.ts";
import { parseDurationMs } from "../util/duration.ts";
import { formatBytes, groupDigits } from "../util/format.ts";
import { ChecksFailedError, UsageError } from "../errors.ts";
import { globalsOf } from "./context.ts";
import { printJson, printOut } from "./output.ts";

/** Parses `--max-sync-age` (a duration such as 6h or 2d) into seconds. */
export function parseMaxSyncAge(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null || ms < 60_000) {
    throw new UsageError(
      `--max-sync-age "${text}" is not valid: use a duration of at least 1m, such as 30m, 6h or 2d`,
    );
  }
  return Math.floor(ms / 1000);
}

const HEALTH_EXIT_CODES = `
Exit codes (for CI and container health checks):
  0  healthy: no check failed (warnings allowed)
  1  unhealthy: at least one check failed (with --strict: or warned)
  2  usage error`;

/** Registers `debug` and its subcommands on the root command. */
export function registerDebug(program: Command): void {
  const debug = program.command("debug").description("health checks and diagnostics");

  debug
    .command("health")
    .description(
      "check config, token, API, directories, store, integrity, schema, sync, last sync, disk",
    )
    .option("--verbose", "show every check (default: only those that are not ok)")
    .option("--json", "print the report as JSON: {status, checks: [{name, status, detail}], …}")
    .option("--no-api", "skip the API check (offline use)")
    .option("--strict", "treat warnings as unhealthy (exit 1)")
    .option(
      "--max-sync-age <duration>",
      "warn when the last completed sync is older (default 24h)",
      parseMaxSyncAge,
    )
    .addHelpText(
      "after",
      `
Each check is ok, warn or fail with a detail; every check runs whatever another finds. Not
configured (no config, no token, no store yet, no completed sync) is a warning. Failures: an
API that is unreachable or rejects the token; a data, log or status directory that is a file or
not writable; a store that is read-only or damaged (header, schema and a sample of pages: the
full check is \`debug diagnose --test-database\`); a sync stalled now, or one that crashed with
no sync completed since; less than 100 MB of disk.
${HEALTH_EXIT_CODES}
Examples:
  fast-intercom-mcp debug health --verbose
  fast-intercom-mcp debug health --json --no-api
  fast-intercom-mcp debug health --strict || echo unhealthy`,
    )
    .action(async (options, cmd) => {
      const globals = globalsOf(cmd);
      const health = await import("../health/health.ts");
      const loaded = await health.loadSettings(globals.dataDir, {
        apiUrl: globals.apiUrl,
        region: globals.region,
      });
      const report = await health.runHealthChecks(loaded, {
        api: options.api !== false,
        strict: options.strict === true,
        ...(options.maxSyncAge === undefined ? {} : { maxSyncAgeSeconds: options.maxSyncAge }),
      });
      if (options.json) printJson(report);
      else {printOut(
          formatHealthReport(report, options.verbose === true || globals.verbose === true),
        );}
      if (report.exit_code !== 0) throw health.unhealthyError(report);
    });

  debug
    .command("diagnose")
    .description("deeper tests: the API, the database, the configuration")
    .option("--test-api", "GET /me and one search: latency, rate-limit headers")
    .option("--test-database", "full integrity and full-text index checks, orphan parts, counts")
    .option("--show-config", "the resolved configuration, secrets redacted")
    .option("--all", "all of the above (the default when none is given)")
    .option("--json", "print the results as JSON")
    .addHelpText(
      "after",
      `
Exit codes: 0 every test run passed, 1 a test failed, 2 usage error.
Examples:
  fast-intercom-mcp debug diagnose --test-api --test-database
  fast-intercom-mcp debug diagnose --show-config --json`,
    )
    .action(async (options, cmd) => {
      const { prepare } = await import("./context.ts");
      const ctx = await prepare(cmd, { logging: false });
      const none = !options.testApi && !options.testDatabase && !options.showConfig;
      const all = options.all === true || none;
      const diagnose = await import("../health/diagnose.ts");
      const result: Record<string, unknown> = {};
      let api: ApiDiagnosis | null = null;
      let database: DatabaseDiagnosis | null = null;
      if (all || options.showConfig) result.config = diagnose.configView(ctx.settings);
      if (all || options.testApi) result.api = api = await diagnose.diagnoseApi(ctx.settings);
      if (all || options.testDatabase) {
        result.database = database = diagnose.diagnoseDatabase(ctx.settings);
      }
      const failed = [api?.ok === false ? "api" : null, database?.ok === false ? "database" : null]
        .filter((x) => x !== null);
      result.ok = failed.length === 0;
      if (options.json) printJson(result);
      else {printOut(
          formatDiagnosis(result.config as Record<string, unknown> | undefined, api, database),
        );}
      if (failed.length > 0) {
        throw new ChecksFailedError(`diagnosis failed: ${failed.join(", ")} (see above)`);
      }
    });
}

const MARKS = { ok: "✅", warn: "⚠️ ", fail: "❌" } as const;

/** The human health report: the verdict, then the checks (all with `verbose`). */
export function formatHealthReport(report: HealthReport, verbose: boolean): string {
  const lines = [
    `Health: ${report.status.toUpperCase()} (${report.counts.ok} ok, ${report.counts.warn} warn, ` +
    `${report.counts.fail} fail${report.strict ? ", strict" : ""})`,
  ];
  const shown = verbose ? report.checks : report.checks.filter((c) => c.status !== "ok");
  for (const check of shown) {
    const latency = check.latency_ms === undefined ? "" : ` [${check.latency_ms} ms]`;
    lines.push(`  ${MARKS[check.status]} ${check.name.padEnd(11)} ${check.detail}${latency}`);
  }
  if (!verbose && shown.length < report.checks.length) {
    lines.push(`  (${report.checks.length - shown.length} checks ok; --verbose shows them)`);
  }
  if (report.skipped.length > 0) lines.push(`  skipped: ${report.skipped.join(", ")}`);
  return lines.join("\n");
}

/** The human diagnosis. */
export function formatDiagnosis(
  config: Record<string, unknown> | undefined,
  api: ApiDiagnosis | null,
  database: DatabaseDiagnosis | null,
): string {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? MARKS.ok : MARKS.fail);
  const ms = (v: number | null) => (v === null ? "" : ` [${v} ms]`);
  if (config) {
    lines.push("Configuration:");
    for (const [key, value] of Object.entries(config)) {
      if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
          lines.push(`  ${`${key}.${k}`.padEnd(34)} ${v}`);
        }
      } else lines.push(`  ${key.padEnd(34)} ${value ?? "—"}`);
    }
  }
  if (api) {
    lines.push(`API (${api.api_url}):`);
    lines.push(`  ${mark(api.me.ok)} GET /me      ${api.me.detail}${ms(api.me.latency_ms)}`);
    lines.push(
      `  ${mark(api.search.ok)} search      ${api.search.detail}${ms(api.search.latency_ms)}`,
    );
    const rl = api.rate_limit;
    lines.push(
      rl === null
        ? "     rate limit  no X-RateLimit headers seen"
        : `     rate limit  ${rl.remaining ?? "?"} of ${rl.limit ?? "?"} left, window resets ${
          rl.reset_at ?? "?"
        }`,
    );
  }
  if (database) {
    lines.push(`Database (${database.path}):`);
    if (database.error !== null) lines.push(`  ${MARKS.fail} ${database.error}`);
    else {
      const integrity = database.integrity.ok
        ? "integrity check passed"
        : `integrity: ${database.integrity.problems.slice(0, 5).join("; ")}`;
      lines.push(`  ${mark(database.integrity.ok)} ${integrity}`);
      lines.push(
        `  ${mark(database.fts_integrity?.ok ?? false)} full-text index: ${database.fts_detail}`,
      );
      lines.push(
        `  ${mark(database.orphan_parts === 0)} parts without their conversation: ${
          database.orphan_parts ?? "?"
        }`,
      );
      const c = database.counts;
      if (c !== null) {
        lines.push(
          `     ${groupDigits(c.conversations)} conversations, ${groupDigits(c.parts)} parts, ` +
            `${groupDigits(c.contacts)} contacts, ${formatBytes(c.size_bytes)}; schema ` +
            `${database.schema_version} (${database.duration_ms} ms)`,
        );
      }
    }
  }
  return lines.join("\n");
}
