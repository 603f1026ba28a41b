/**
 * The Grafana dashboard in deploy/grafana uses only metrics this program exports, and every
 * expression is valid PromQL (promtool parses them as recording rules).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportedSeriesNames } from "../../lib/metrics/catalog.ts";
import { ROOT } from "../_fixtures/cli.ts";
import { withTempDir } from "../_fixtures/fs.ts";
import { HAS_PROMTOOL, withPromtool } from "./_promtool.ts";

const DASHBOARD = join(ROOT, "deploy", "grafana", "fast-intercom-mcp.json");

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "by",
  "without",
  "rate",
  "increase",
  "irate",
  "delta",
  "time",
  "histogram_quantile",
  "and",
  "or",
  "unless",
  "on",
  "ignoring",
  "offset",
  "bool",
]);

function expressions(): string[] {
  const dash = JSON.parse(Deno.readTextFileSync(DASHBOARD));
  const exprs: string[] = [];
  for (const panel of dash.panels) {
    for (const target of panel.targets ?? []) exprs.push(target.expr);
  }
  return exprs;
}

/** Metric names an expression selects: identifiers outside label matchers, groupings, ranges. */
function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, "")
    .replace(/\[[^\]]*\]/g, "");
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return names.filter((n) => !PROMQL_WORDS.has(n));
}

Deno.test("metricNamesOf() finds selected metrics and skips functions, labels and groupings", () => {
  assert.deepEqual(
    metricNamesOf('histogram_quantile(0.9, sum by (le) (rate(a_bucket{x="y z"}[5m]))) / b'),
    ["a_bucket", "b"],
  );
});

Deno.test("the Grafana dashboard uses only exported metric names", () => {
  const exported = exportedSeriesNames();
  const exprs = expressions();
  assert.ok(exprs.length >= 10, "the dashboard has its panels");
  const used = new Set<string>();
  for (const expr of exprs) {
    const names = metricNamesOf(expr);
    assert.ok(names.length > 0, `no metric in ${expr}`);
    for (const name of names) {
      assert.ok(exported.has(name), `"${name}" in ${expr} is not exported`);
      used.add(name);
    }
  }
  assert.ok(used.has("fast_intercom_api_requests_total"));
  assert.ok(used.has("fast_intercom_sync_duration_seconds_bucket"));
});

Deno.test({
  name: withPromtool("the Grafana dashboard's expressions parse as PromQL"),
  ignore: !HAS_PROMTOOL,
  async fn() {
    await withTempDir("grafana-", async (dir) => {
      const rules = expressions().map((expr, i) =>
        `      - record: dashboard:expr_${i}\n        expr: ${JSON.stringify(expr)}`
      );
      const path = join(dir, "rules.yml");
      await Deno.writeTextFile(
        path,
        `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`,
      );
      const out = await new Deno.Command("promtool", { args: ["check", "rules", path] }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.ok(out.success, text);
    });
  },
});
