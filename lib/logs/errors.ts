/**
 * `logs errors`: the error and warning lines of a window, each classified (see
 * error_categories.ts), one per failure (a CLI run's closing "command failed" repeat is
 * dropped), summarised by category with errors and warnings counted apart, first/last time, an
 * example, and actions that fit what was seen. Warnings are what the program recovered from
 * (a retried 5xx or timeout, a 429 wait): counted apart, they tell what a run went through
 * without calling it a failure.
 */
import {
  categorizeError,
  CATEGORY_LABELS,
  ERROR_CATEGORIES,
  type ErrorCategory,
  type ErrorKind,
  ExitLineDeduper,
} from "./error_categories.ts";
import { ERROR_RANK, levelRank, type LogEntry } from "./entry.ts";
import type { LogFilter } from "./filter.ts";
import { readLogs, type ReadLogsOptions } from "./reader.ts";

/** An error or warning line with its classification. */
export interface CategorizedError {
  entry: LogEntry;
  category: ErrorCategory;
  kind: ErrorKind;
  /** `error` for error and fatal lines, `warning` for warnings. */
  severity: Severity;
}

/** Errors (error, fatal) and warnings are counted apart. */
export type Severity = "error" | "warning";

const WARNING_RANK = levelRank("warning");

/** One category of a summary. */
export interface CategorySummary {
  category: ErrorCategory;
  label: string;
  /** Errors and warnings. */
  count: number;
  errors: number;
  warnings: number;
  /** Counts by kind, for the kinds seen. */
  kinds: Partial<Record<ErrorKind, number>>;
  firstSeen: string | null;
  lastSeen: string | null;
  /** The newest error of the category. */
  example: LogEntry | null;
}

/** A suggested action, tied to the kind of error that prompted it. */
export interface SuggestedAction {
  kind: ErrorKind;
  action: string;
  /** Only warnings of this kind were seen: the program recovered each time. */
  recovered: boolean;
}

/** What `logs errors --summary` reports. */
export interface ErrorSummary {
  /** Window bounds, ms; null when open. */
  since: number | null;
  until: number | null;
  /** Errors and warnings. */
  total: number;
  errors: number;
  warnings: number;
  /** Every category, in display order, seen or not. */
  categories: CategorySummary[];
  actions: SuggestedAction[];
}

/**
 * The filter narrowed to what can be an error: warning and above, within the levels it asks
 * for (`--level error` leaves the warnings out; `logs errors` defaults to that, `--summary` to
 * `warning`).
 */
export function errorFilter(filter: LogFilter): LogFilter {
  return {
    ...filter,
    levels: { min: Math.max(filter.levels.min, WARNING_RANK), max: filter.levels.max },
  };
}

/** Classifies entries in time order, dropping repeats; keeps state across calls. */
export function errorClassifier(): (entries: LogEntry[]) => CategorizedError[] {
  const deduper = new ExitLineDeduper();
  return (entries) => {
    const out: CategorizedError[] = [];
    for (const entry of entries) {
      if (!deduper.accept(entry)) continue;
      const severity = levelRank(entry.level) >= ERROR_RANK ? "error" : "warning";
      out.push({ entry, ...categorizeError(entry), severity });
    }
    return out;
  };
}

/** Yields the distinct error lines matching `filter`, in time order, classified. */
export async function* readErrors(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions = {},
): AsyncGenerator<CategorizedError[]> {
  const classify = errorClassifier();
  for await (const batch of readLogs(logDir, errorFilter(filter), options)) {
    const errors = classify(batch);
    if (errors.length > 0) yield errors;
  }
}

/** The newest `count` distinct errors matching `filter`, oldest first. */
export async function newestErrors(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions & { count: number },
): Promise<CategorizedError[]> {
  let kept: CategorizedError[] = [];
  for await (const batch of readErrors(logDir, filter, options)) {
    kept = kept.concat(batch);
    if (kept.length > options.count * 2) kept = kept.slice(-options.count);
  }
  return options.count <= 0 ? [] : kept.slice(-options.count);
}

/** Builds a summary from classified errors fed in time order. */
export class ErrorSummaryBuilder {
  readonly #categories = new Map<ErrorCategory, CategorySummary>();
  readonly #examples = new Map<ErrorKind, LogEntry[]>();
  readonly #kindErrors = new Map<ErrorKind, number>();
  #errors = 0;
  #warnings = 0;

  constructor() {
    for (const category of ERROR_CATEGORIES) {
      this.#categories.set(category, {
        category,
        label: CATEGORY_LABELS[category],
        count: 0,
        errors: 0,
        warnings: 0,
        kinds: {},
        firstSeen: null,
        lastSeen: null,
        example: null,
      });
    }
  }

  /** Counts one error. */
  add(error: CategorizedError): void {
    const summary = this.#categories.get(error.category)!;
    summary.count++;
    if (error.severity === "error") {
      summary.errors++;
      this.#errors++;
      this.#kindErrors.set(error.kind, (this.#kindErrors.get(error.kind) ?? 0) + 1);
    } else {
      summary.warnings++;
      this.#warnings++;
    }
    summary.kinds[error.kind] = (summary.kinds[error.kind] ?? 0) + 1;
    summary.firstSeen ??= error.entry.timestamp;
    summary.lastSeen = error.entry.timestamp;
    summary.example = error.entry;
    const seen = this.#examples.get(error.kind) ?? [];
    if (seen.length >= 20) seen.shift();
    seen.push(error.entry);
    this.#examples.set(error.kind, seen);
  }

  /** The summary of everything added. */
  build(window: { since: number | null; until: number | null }): ErrorSummary {
    const categories = [...this.#categories.values()];
    const actions: SuggestedAction[] = [];
    for (const category of categories) {
      for (const [kind, count] of Object.entries(category.kinds) as [ErrorKind, number][]) {
        const recovered = !this.#kindErrors.has(kind);
        const examples = this.#examples.get(kind) ?? [];
        actions.push({
          kind,
          recovered,
          action: recovered
            ? recoveredAction(kind, count, examples)
            : suggestAction(kind, count, examples),
        });
      }
    }
    return {
      ...window,
      total: this.#errors + this.#warnings,
      errors: this.#errors,
      warnings: this.#warnings,
      categories,
      actions,
    };
  }
}

/** Summarises the distinct errors matching `filter`. */
export async function summarizeErrors(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions = {},
): Promise<ErrorSummary> {
  const builder = new ErrorSummaryBuilder();
  for await (const batch of readErrors(logDir, filter, options)) {
    for (const error of batch) builder.add(error);
  }
  return builder.build({ since: filter.since, until: filter.until });
}

/** Distinct matches of `pattern`'s first group in the messages, at most `limit`. */
function facts(entries: LogEntry[], pattern: RegExp, limit = 3): string[] {
  const found = new Set<string>();
  for (const entry of entries) {
    for (const match of entry.message.matchAll(pattern)) {
      if (match[1] !== undefined) found.add(match[1]);
    }
  }
  return [...found].slice(0, limit);
}

function times(count: number): string {
  return count === 1 ? "once" : `${count} times`;
}

/** An action for `count` errors of `kind`, quoting facts from the newest `examples`. */
export function suggestAction(kind: ErrorKind, count: number, examples: LogEntry[]): string {
  const hosts = facts(examples, /Intercom at ([\w.-]+(?::\d+)?)/g);
  const statuses = facts(examples, /HTTP (\d{3})/g);
  const where = hosts.length > 0 ? ` (${hosts.join(", ")})` : "";
  const codes = statuses.length > 0 ? ` (HTTP ${statuses.join(", ")})` : "";
  switch (kind) {
    case "auth":
      return `Intercom rejected the access token ${times(count)}: run \`fast-intercom-mcp init\` ` +
        "with a valid token, or fix INTERCOM_ACCESS_TOKEN";
    case "rate_limit":
      return `Intercom kept rate-limiting requests (${times(count)}): another app may share ` +
        "this workspace's limit; lower sync_concurrency in config.json or run " +
        "`fast-intercom-mcp sync --concurrency 2`, or retry later";
    case "server_error":
      return `Intercom answered with server errors${codes} ${times(count)}: check ` +
        "https://www.intercomstatus.com, then run `fast-intercom-mcp sync` again; it resumes " +
        "where it stopped";
    case "timeout": {
      const waits = facts(examples, /within (\d+) ?ms/g);
      const after = waits.length > 0 ? ` after ${waits.join("/")} ms` : "";
      return `Requests timed out${after} (${times(count)}): check the network connection; if ` +
        "Intercom is slow, raise api_timeout_seconds in config.json";
    }
    case "client_error":
      return `Intercom refused requests${codes} ${times(count)}: read the example; for 403 ` +
        "check the app's scopes in Intercom's Developer Hub";
    case "bad_response":
      return `Unexpected responses from the API ${times(count)}: a proxy may be in the way; ` +
        "check with `fast-intercom-mcp debug diagnose --test-api`";
    case "unreachable":
      return `Could not reach the API${where} ${times(count)}: check the network connection, ` +
        "any proxy or firewall, and the API URL (`fast-intercom-mcp debug diagnose --test-api`)";
    case "locked":
      return `The store was locked by another process ${times(count)}: wait for the running ` +
        "sync to finish (`fast-intercom-mcp monitor status`), then retry";
    case "corrupt":
      return `The store looks damaged (${times(count)}): run \`fast-intercom-mcp debug ` +
        "diagnose --test-database`; if it fails, `fast-intercom-mcp reset` and sync again";
    case "disk":
      return `Disk or permission errors (${times(count)}): free disk space and check the ` +
        "permissions of the data and log directories (`fast-intercom-mcp debug health`)";
    case "store":
      return `The store could not be used (${times(count)}): run \`fast-intercom-mcp debug ` +
        "diagnose --test-database`";
    case "lock_held":
      return `A sync was refused because another was running (${times(count)}): wait for it ` +
        "(`fast-intercom-mcp monitor status`)";
    case "sync_failed":
      return `Syncs failed ${times(count)}: read \`fast-intercom-mcp logs errors --count 10\`; ` +
        "`fast-intercom-mcp sync` resumes from the last saved page";
    case "config":
      return `Configuration errors (${times(count)}): fix the file or variable the message ` +
        "names, or run `fast-intercom-mcp init`";
    case "open_files":
      return `The process ran out of file descriptors ("Too many open files") ${times(count)}: ` +
        "raise its limit (`ulimit -n 65536` in the shell that starts it, LimitNOFILE=65536 in " +
        "a systemd unit); for `fast-intercom-mcp serve`, keep --max-connections below it";
    case "disk_full":
      return `The disk was full ${times(count)}: free space on the disk of the data and log ` +
        "directories (`df -h`; `fast-intercom-mcp debug health` names them), or move them to a " +
        "larger one (--data-dir, FASTINTERCOM_LOG_DIR); `fast-intercom-mcp sync` resumes where " +
        "it stopped";
    case "other":
      return `Other errors (${times(count)}): read them with ` +
        "`fast-intercom-mcp logs errors --count 10`";
  }
}

/**
 * What happened when only warnings of `kind` were seen: the program retried or waited and went
 * on. Said as a fact, with the figures of the newest examples, and when to act.
 */
export function recoveredAction(kind: ErrorKind, count: number, examples: LogEntry[]): string {
  const statuses = facts(examples, /HTTP (\d{3})/g);
  const codes = statuses.length > 0 ? ` (HTTP ${statuses.join(", ")})` : "";
  const onlyIfRepeated = "nothing to do unless it keeps happening";
  switch (kind) {
    case "rate_limit":
      return `Intercom answered 429 (rate limit) ${times(count)}; the sync waited for the ` +
        `window to reset and went on: ${onlyIfRepeated} (then another app may share the limit)`;
    case "server_error":
      return `Intercom answered with server errors${codes} ${times(count)}; each request was ` +
        `retried: ${onlyIfRepeated} (then check https://www.intercomstatus.com)`;
    case "timeout":
      return `Requests timed out ${times(count)} and were retried: ${onlyIfRepeated} (then ` +
        "check the network, or raise api_timeout_seconds)";
    case "unreachable":
      return `The connection to the API failed ${times(count)} and was retried: ` +
        `${onlyIfRepeated} (then check the network, proxy or firewall)`;
    case "bad_response":
      return `Unexpected responses from the API ${times(count)} were retried: ${onlyIfRepeated}`;
    default:
      return `${suggestAction(kind, count, examples)} (warnings only: the work went on)`;
  }
}
