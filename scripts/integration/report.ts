/**
 * The performance report of an integration run, as Markdown for people and JSON for machines:
 * the figures, each target's verdict and the checks the script ran.
 *
 *   deno run -A scripts/integration/report.ts --md report.md --json report.json \
 *     --sync sync.json --status status.json --sync-measure sync.measure.json --mcp mcp.json \
 *     --checks checks.tsv --session integ-… --mode simulator --days 1
 *
 * Every input is optional (a failed run has fewer figures). Exits 4 when a target is missed.
 */
import { parseArgs } from "node:util";
import { VERSION } from "../../lib/version.ts";
import { EXIT } from "./exit_codes.ts";
import {
  evaluateTargets,
  type Figures,
  figuresFrom,
  formatFigure,
  type TargetResult,
} from "./targets.ts";

/** One check of the script: `name<TAB>pass|fail|skip<TAB>detail` in its checks file. */
export interface CheckLine {
  name: string;
  status: "pass" | "fail" | "skip";
  detail: string;
}

/** What the run was. */
export interface ReportMeta {
  session_id: string;
  mode: "simulator" | "real";
  days: number;
  max_conversations: number | null;
  version: string;
  generated_at: string;
}

/** The JSON report. */
export interface PerformanceReport {
  schema: 1;
  meta: ReportMeta;
  figures: Figures;
  targets: TargetResult[];
  checks: CheckLine[];
  /** No target failed. */
  passed: boolean;
}

/** Parses the script's checks file; malformed lines are skipped. */
export function parseChecks(text: string): CheckLine[] {
  return text.split("\n").flatMap((line) => {
    const [name, status, ...detail] = line.split("\t");
    if (!name || (status !== "pass" && status !== "fail" && status !== "skip")) return [];
    return [{ name, status, detail: detail.join("\t") }];
  });
}

/** Assembles the report and its verdict. */
export function buildReport(
  meta: ReportMeta,
  figures: Figures,
  checks: CheckLine[],
): PerformanceReport {
  const targets = evaluateTargets(figures);
  return {
    schema: 1,
    meta,
    figures,
    targets,
    checks,
    passed: targets.every((t) => t.status !== "fail"),
  };
}

const MARK = { pass: "✅ pass", fail: "❌ fail", "n/a": "— n/a", skip: "— skipped" } as const;

/** The Markdown rendering of a report. */
export function formatMarkdownReport(report: PerformanceReport): string {
  const { meta, figures: f } = report;
  const n = (v: number | null, digits = 0) =>
    v === null ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits });
  const bytes = (v: number | null) => (v === null ? "—" : formatFigure(v, "bytes"));
  const ms = (v: number | null) => (v === null ? "—" : formatFigure(v, "ms"));
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const lines = [
    "# fast-intercom-mcp integration test: performance report",
    "",
    `Session \`${meta.session_id}\` · ${meta.mode === "real" ? "real Intercom" : "simulator"} · ` +
    `${meta.days} day(s)${
      meta.max_conversations === null ? "" : ` · at most ${meta.max_conversations} conversations`
    } · version ${meta.version} · ${meta.generated_at}`,
    "",
    `**Verdict: ${report.passed ? "every target met" : "a target was missed"}.**`,
    "",
    "| figure | value | target | result |",
    "| --- | --- | --- | --- |",
    ...report.targets.map((t) =>
      `| ${t.label} | ${cell(t.actual)} | ${t.target} | ${MARK[t.status]} |`
    ),
    "",
    "## Sync",
    "",
    `- Conversations fetched: ${n(f.conversations_fetched)} in ${
      n(f.sync_duration_seconds, 2)
    } s (${n(f.conversations_per_second, 2)} conversations/s)`,
    `- API calls: ${n(f.api_calls)}; 429 responses waited out: ${n(f.rate_limited)}; ` +
    `retries: ${n(f.retries)}`,
    `- Peak RSS: ${bytes(f.sync_peak_rss_bytes)}`,
    "",
    "## Store",
    "",
    `- ${n(f.store_conversations)} conversations, ${n(f.store_parts)} parts, ` +
    `${bytes(f.store_size_bytes)} (${bytes(f.bytes_per_conversation)} per conversation)`,
    "",
    "## MCP server",
    "",
    `- ${n(f.searches)} searches: p50 ${ms(f.search_p50_ms)}, p95 ${ms(f.search_p95_ms)}`,
    `- Peak RSS: ${bytes(f.server_peak_rss_bytes)}`,
    "",
    "## Checks",
    "",
    "| check | result | detail |",
    "| --- | --- | --- |",
    ...report.checks.map((c) => `| ${c.name} | ${MARK[c.status]} | ${cell(c.detail)} |`),
    "",
  ];
  return lines.join("\n");
}

async function readJson(path: string | undefined): Promise<Record<string, unknown> | null> {
  if (path === undefined) return null;
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return value !== null && typeof value === "object" ? value : null;
  } catch {
    return null; // the step did not run or failed: its figures are missing
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      md: { type: "string" },
      json: { type: "string" },
      sync: { type: "string" },
      status: { type: "string" },
      "sync-measure": { type: "string" },
      mcp: { type: "string" },
      checks: { type: "string" },
      session: { type: "string", default: "" },
      mode: { type: "string", default: "simulator" },
      days: { type: "string", default: "0" },
      "max-conversations": { type: "string" },
    },
  });
  const figures = figuresFrom({
    sync: await readJson(values.sync),
    status: await readJson(values.status),
    syncMeasure: await readJson(values["sync-measure"]),
    mcp: await readJson(values.mcp),
  });
  const checks = values.checks
    ? parseChecks(await Deno.readTextFile(values.checks).catch(() => ""))
    : [];
  const max = values["max-conversations"];
  const report = buildReport(
    {
      session_id: values.session,
      mode: values.mode === "real" ? "real" : "simulator",
      days: Number(values.days),
      max_conversations: max ? Number(max) : null,
      version: VERSION,
      generated_at: new Date().toISOString(),
    },
    figures,
    checks,
  );
  if (values.md) await Deno.writeTextFile(values.md, formatMarkdownReport(report));
  if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(report, null, 2) + "\n");
  for (const t of report.targets) {
    // deno-lint-ignore no-console
    console.error(`  ${MARK[t.status]}  ${t.label}: ${t.actual} (target ${t.target})`);
  }
  return report.passed ? EXIT.ok : EXIT.performance;
}

if (import.meta.main) Deno.exit(await main());
