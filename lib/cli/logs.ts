/** `logs show | errors | export`: read, follow, classify and export the log files. */
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import type { ErrorSummary } from "../logs/errors.ts";
import type { BuildFilterOptions, LogFilterFlags } from "../logs/filter.ts";
import { ERROR_RANK, type LogEntry } from "../logs/entry.ts";
import type { CategorizedError } from "../logs/errors.ts";
import { getStderrTerminal } from "../logging/terminal.ts";
import { prepare } from "./context.ts";
import { registerLogsArchive } from "./logs_archive.ts";
import { choiceFlag, integerFlag } from "./flag_types.ts";
import { paint } from "../util/ansi.ts";
import { groupDigits } from "../util/format.ts";
import { printJson, printOut, stdoutIsTerminal } from "./output.ts";

const TIME_HELP = '30s, 15m, 1h, 2d, 1h30m, today, yesterday, "2 days ago",\n' +
  '                         2026-01-02, "2026-01-02 15:04", 2026-01-02T15:04:05Z';

const FILTER_HELP = `
Filters (all combine):
  --level LEVEL          minimum level (debug, info, warning/warn, error, fatal/critical; upper
                         case accepted) or a range such as warning..error
  --component NAME       sync, api, store, mcp, cli, status… (repeat or comma-separate);
                         sync keeps sync.api (a sync's API calls: retries, 429 waits), api
                         keeps every API call
  --filter REGEX         JavaScript regular expression matched against "LEVEL component: message";
                         repeat to require all; grep's \\| alternation works
  --since/--until TIME   ${TIME_HELP}
  --session ID           one run's session id (FASTINTERCOM_SESSION_ID)
  --process ID           one status-tracker process (e.g. sync-20260701-153022-abc123)`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Declares the filter flags on a subcommand. */
function withFilterFlags<C extends Command>(cmd: C, since = "only lines at or after TIME"): C {
  cmd
    .option("--level <level>", "minimum level or a range (warning..error)")
    .option("--component <name>", "keep these components (repeatable)", collect)
    .option(
      "--filter <regex>",
      "keep lines matching the regex (repeatable: all must match)",
      collect,
    )
    .option("--since <time>", since)
    .option("--until <time>", "only lines at or before TIME")
    .option("--session <id>", "only lines of this session id")
    .option("--process <id>", "only lines of this status-tracker process id");
  return cmd;
}

/** Whether to colour human output: stdout is a terminal, NO_COLOR unset, TERM not dumb. */
export function useColors(): boolean {
  const noColor = Deno.env.get("NO_COLOR");
  return stdoutIsTerminal() && (noColor === undefined || noColor === "") &&
    Deno.env.get("TERM") !== "dumb";
}

async function filterFrom(flags: LogFilterFlags, defaults: BuildFilterOptions = {}) {
  const { buildLogFilter } = await import("../logs/filter.ts");
  return buildLogFilter(flags, defaults);
}

/** Registers `logs` and its subcommands on the root command. */
export function registerLogs(program: Command): void {
  const logs = program
    .command("logs")
    .description(
      "show, follow, classify and export the log files (main.log, sync.log, errors.log)",
    );

  withFilterFlags(
    logs
      .command("show")
      .description(
        "show the last lines of the logs; --follow streams new lines as they are written",
      )
      .option("-n, --lines <n>", "how many of the last matching lines", integerFlag("--lines"), 50)
      .option("-f, --follow", "keep printing new lines (survives rotation); Ctrl-C stops")
      .option("--json", "one JSON object per line (NDJSON): message apart from metadata"),
  )
    .addHelpText(
      "after",
      `${FILTER_HELP}

Exit codes: 0 success (also when --follow is stopped with Ctrl-C), 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp logs show --follow --component sync
  fast-intercom-mcp logs show --level warning..error --since 2h -n 200
  fast-intercom-mcp logs show --filter "Syncing\\|failed" --json`,
    )
    .action(async (raw, cmd) => {
      const options = raw as LogFilterFlags & { lines: number; follow?: true; json?: true };
      if (options.follow && options.until !== undefined) {
        throw new UsageError("--until cannot be combined with --follow: drop one of them");
      }
      const filter = await filterFrom(options);
      const ctx = await prepare(cmd, { logging: false });
      const { showLogs } = await import("../logs/tail.ts");
      const { describeFilter } = await import("../logs/filter.ts");
      const format = await entryFormatter(options.json === true);
      const logDir = ctx.settings.paths.logDir;
      await showLogs(logDir, filter, {
        lines: options.lines,
        follow: options.follow === true,
        signal: ctx.signal,
        onEntries: (entries) => printOut(entries.map(format).join("\n")),
        onTail: (shown) => {
          if (shown > 0) return;
          const none = `No log lines in ${logDir} (${describeFilter(filter)})`;
          // with --follow the line goes to stderr: stdout then holds log lines only
          if (options.follow) {
            getStderrTerminal().writeLine(`${none}; waiting for new ones (Ctrl-C to stop)`);
          } else if (!options.json) printOut(`${none}.`);
        },
      });
    });

  withFilterFlags(
    logs
      .command("errors")
      .description(
        "classify recent errors: API (auth, rate limit, 5xx, timeouts), network, database…",
      )
      .option(
        "--summary",
        "errors and warnings by category, counted apart, with first/last seen, an example, actions",
      )
      .option("--count <n>", "show the newest N errors (default 20)", integerFlag("--count"))
      .option("-f, --follow", "after the newest errors, print new ones as they happen")
      .option("--json", "JSON: one object for --summary, else one error per line"),
    "only errors at or after TIME (default: 1h)",
  )
    .addHelpText(
      "after",
      `${FILTER_HELP}

Levels: the list shows errors (--level error); --summary also counts warnings, apart: retries
after a 5xx, a timeout or a lost connection, and 429 waits, which the program recovered from.
--level warning lists warnings too; --level error leaves them out of the summary.
Each failure counts once: the closing "command failed" line of a CLI run repeats the error it
already logged and is left out.
Exit codes: 0 success (errors found or not), 1 failure, 2 usage error.
Examples:
  fast-intercom-mcp logs errors --summary --since 1h
  fast-intercom-mcp logs errors --count 10
  fast-intercom-mcp logs errors --follow`,
    )
    .action(async (raw, cmd) => {
      const options = raw as LogFilterFlags & {
        summary?: true;
        count?: number;
        follow?: true;
        json?: true;
      };
      if (options.summary && options.follow) {
        throw new UsageError("--summary cannot be combined with --follow: drop one of them");
      }
      const filter = await filterFrom(options, {
        defaultSince: "1h",
        defaultLevel: options.summary ? "warning" : "error",
      });
      const ctx = await prepare(cmd, { logging: false });
      const logDir = ctx.settings.paths.logDir;
      const errors = await import("../logs/errors.ts");
      if (options.summary) {
        const summary = await errors.summarizeErrors(logDir, filter);
        if (options.json) printJson(errorSummaryJson(summary));
        else printOut(formatErrorSummary(summary, { colors: useColors() }));
        return;
      }
      const format = await errorFormatter(options.json === true);
      const newest = await errors.newestErrors(logDir, filter, { count: options.count ?? 20 });
      if (newest.length > 0) printOut(newest.map(format).join("\n"));
      else if (!options.json && !options.follow) printOut(noErrorsLine(filter));
      if (!options.follow) return;
      const { followLogs } = await import("../logs/tail.ts");
      const classify = errors.errorClassifier();
      const live = { ...errors.errorFilter(filter), since: null };
      for await (const entries of followLogs(logDir, live, { signal: ctx.signal })) {
        const found = classify(entries);
        if (found.length > 0) printOut(found.map(format).join("\n"));
      }
    });

  withFilterFlags(
    logs
      .command("export")
      .description("write matching log lines as json, ndjson, csv or text, to stdout or a file")
      .option(
        "--format <format>",
        "json | ndjson | csv | text",
        choiceFlag("--format", ["json", "ndjson", "csv", "text"] as const),
        "json" as const,
      )
      .option("-o, --output <file>", "write to FILE (atomically, mode 0600) instead of stdout")
      .option("--force", "replace FILE when it exists"),
  )
    .addHelpText(
      "after",
      `${FILTER_HELP}

Every format keeps the message apart from its metadata: json/ndjson objects have timestamp,
level, component, message, session_id, pid, process_id and properties; csv has those columns
(RFC 4180 quoting, properties as JSON); text is the human line.
Exit codes: 0 success, 1 failure (e.g. FILE exists without --force), 2 usage error.
Examples:
  fast-intercom-mcp logs export --level error --format json --output errors.json
  fast-intercom-mcp logs export --since 2h --format csv > last-2h.csv`,
    )
    .action(async (raw, cmd) => {
      const options = raw as LogFilterFlags & {
        format: "json" | "ndjson" | "csv" | "text";
        output?: string;
        force?: true;
      };
      const filter = await filterFrom(options);
      const ctx = await prepare(cmd, { logging: false });
      const { exportLogs } = await import("../logs/export.ts");
      const result = await exportLogs(ctx.settings.paths.logDir, filter, {
        format: options.format,
        output: options.output ?? null,
        force: options.force === true,
        write: (text) => printOut(text),
      });
      if (result.path !== null && !ctx.quiet) {
        getStderrTerminal().writeLine(
          `Exported ${groupDigits(result.count)} lines (${options.format}) to ${result.path}`,
        );
      }
    });
  registerLogsArchive(logs);
}

async function entryFormatter(json: boolean): Promise<(entry: LogEntry) => string> {
  const { getHumanFormatter, getNdjsonFormatter } = await import("../logs/format.ts");
  return json ? getNdjsonFormatter() : getHumanFormatter({ colors: useColors() });
}

async function errorFormatter(json: boolean): Promise<(error: CategorizedError) => string> {
  const { entryJson, getHumanFormatter } = await import("../logs/format.ts");
  const { CATEGORY_LABELS } = await import("../logs/error_categories.ts");
  if (json) {
    return (e) => JSON.stringify({ ...entryJson(e.entry), category: e.category, kind: e.kind });
  }
  const human = getHumanFormatter({ colors: useColors() });
  return (e) => `[${CATEGORY_LABELS[e.category]}/${e.kind}] ${human(e.entry)}`;
}

function noErrorsLine(filter: { since: number | null; levels: { min: number } }): string {
  const what = filter.levels.min < ERROR_RANK ? "No errors or warnings" : "No errors";
  return filter.since === null
    ? `${what} in the logs.`
    : `${what} since ${new Date(filter.since).toISOString().replace(".000Z", "Z")}.`;
}

/** The `--json` shape of an error summary (snake_case). */
export function errorSummaryJson(s: ErrorSummary): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    since: iso(s.since),
    until: iso(s.until),
    total: s.total,
    errors: s.errors,
    warnings: s.warnings,
    categories: s.categories.map((c) => ({
      category: c.category,
      label: c.label,
      count: c.count,
      errors: c.errors,
      warnings: c.warnings,
      kinds: c.kinds,
      first_seen: c.firstSeen,
      last_seen: c.lastSeen,
      example: c.example === null ? null : {
        timestamp: c.example.timestamp,
        level: c.example.level,
        component: c.example.component,
        message: c.example.message,
        session_id: c.example.sessionId,
        process_id: c.example.processId,
      },
    })),
    suggested_actions: s.actions.map((a) => ({
      kind: a.kind,
      action: a.action,
      recovered: a.recovered,
    })),
  };
}

/** The human error summary: errors and warnings counted apart in each category. */
export function formatErrorSummary(s: ErrorSummary, options: { colors?: boolean } = {}): string {
  const since = s.since === null
    ? "in the logs"
    : `since ${new Date(s.since).toISOString().replace(".000Z", "Z")}`;
  const lines = [`Error summary ${since}: ${counted(s.errors, s.warnings)}`, ""];
  for (const c of s.categories) {
    const kinds = Object.entries(c.kinds).map(([k, n]) => `${k.replace("_", " ")} ${n}`);
    const detail = kinds.length > 0 ? ` (${kinds.join(", ")})` : "";
    const colors = options.colors === true;
    const mark = c.errors > 0
      ? paint("•", "red", colors)
      : c.warnings > 0
      ? paint("•", "yellow", colors)
      : "•";
    lines.push(`  ${mark} ${(c.label + ":").padEnd(9)} ${counted(c.errors, c.warnings)}${detail}`);
    if (c.count > 0) {
      lines.push(`      first ${c.firstSeen}, last ${c.lastSeen}`);
      const example = c.example!;
      lines.push(
        `      e.g. ${example.level} ${example.component}: ${example.message.replace(/\s+/g, " ")}`,
      );
    }
  }
  const act = s.actions.filter((a) => !a.recovered);
  const recovered = s.actions.filter((a) => a.recovered);
  if (act.length > 0) {
    lines.push("", "Suggested actions:");
    for (const a of act) lines.push(`  • ${a.action}`);
  }
  if (recovered.length > 0) {
    lines.push("", "Recovered from (warnings):");
    for (const a of recovered) lines.push(`  • ${a.action}`);
  }
  return lines.join("\n");
}

function counted(errors: number, warnings: number): string {
  const plural = (n: number, word: string) => `${groupDigits(n)} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
