import assert from "node:assert/strict";
import { formatTrends } from "../../lib/trends/format.ts";
import { trend } from "./_runs.ts";

const T0 = 1_780_000_000;

Deno.test("formatTrends() summarises each measure, tables the runs newest first, lists anomalies", () => {
  const runs = [
    trend(1, T0, { duration_seconds: 100, conversations_fetched: 100 }),
    trend(2, T0 + 600, { duration_seconds: 50, conversations_fetched: 100, rate_limited: 4 }),
  ];
  const text = formatTrends(runs, [{
    kind: "slow_run",
    detail: "run 2 was slow",
    run_id: 2,
    value: 1,
    usual: 2,
  }], { sparklines: true });
  const lines = text.split("\n");
  assert.equal(lines[0], "Last 2 sync runs (oldest → newest)");
  assert.equal(lines[1], "  conversations/s         ▁█  median 1.50, newest 2.00");
  assert.equal(lines[4], "  429s                    ▁█  median 2, newest 4");
  const table = lines.filter((l) => l.startsWith("│ "));
  assert.match(table[1]!, /^│ 2 /, "newest run first");
  assert.match(table[1]!, /│ 1m40s|│ 50s /);
  assert.equal(lines.at(-1), "  ⚠ slow_run: run 2 was slow");
  const plain = formatTrends(runs, [], { sparklines: false });
  assert.ok(!/[▁▂▃▄▅▆▇█]/.test(plain), "no sparklines off a terminal");
  assert.match(plain, /Anomalies: none/);
  assert.equal(formatTrends([], []), "No sync run recorded yet: run `fast-intercom-mcp sync`.");
});
