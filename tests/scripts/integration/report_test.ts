import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildReport,
  formatMarkdownReport,
  parseChecks,
  type ReportMeta,
} from "../../../scripts/integration/report.ts";
import type { Figures } from "../../../scripts/integration/targets.ts";

const META: ReportMeta = {
  session_id: "integ-20260101-120000-abcdef",
  mode: "simulator",
  days: 1,
  max_conversations: null,
  version: "0.1.0",
  generated_at: "2026-01-01T12:00:05.000Z",
};

const FIGURES: Figures = {
  conversations_fetched: 100,
  conversations_per_second: 401.61,
  sync_duration_seconds: 0.249,
  api_calls: 105,
  rate_limited: 2,
  retries: 1,
  store_conversations: 100,
  store_parts: 1538,
  store_size_bytes: 798720,
  bytes_per_conversation: 7987,
  searches: 20,
  search_p50_ms: 3.39,
  search_p95_ms: 5.86,
  sync_peak_rss_bytes: 94466048,
  server_peak_rss_bytes: 96919552,
};

Deno.test("parseChecks() reads name, status and detail; skips malformed lines", () => {
  const text =
    "init\tpass\tConnected to workspace\nmcp\tfail\t7 tools\tlisted\n\nbogus\tmaybe\tx\n";
  assert.deepEqual(parseChecks(text), [
    { name: "init", status: "pass", detail: "Connected to workspace" },
    { name: "mcp", status: "fail", detail: "7 tools\tlisted" },
  ]);
});

Deno.test("formatMarkdownReport() renders the verdict, the targets table and every figure", () => {
  const report = buildReport(META, FIGURES, [{ name: "sync", status: "pass", detail: "a | b" }]);
  assert.equal(report.passed, true);
  const md = formatMarkdownReport(report);
  const lines = md.split("\n");
  assert.equal(lines[0], "# fast-intercom-mcp integration test: performance report");
  assert.equal(
    lines[2],
    "Session `integ-20260101-120000-abcdef` · simulator · 1 day(s) · version 0.1.0 · " +
      "2026-01-01T12:00:05.000Z",
  );
  assert.ok(lines.includes("**Verdict: every target met.**"));
  assert.ok(
    lines.includes(
      "| Sync throughput | 401.61 conversations/s | ≥ 10.00 conversations/s | ✅ pass |",
    ),
  );
  assert.ok(
    lines.includes("| Search latency p95 (MCP round trip) | 5.9 ms | ≤ 100.0 ms | ✅ pass |"),
  );
  assert.ok(lines.includes("- Conversations fetched: 100 in 0.25 s (401.61 conversations/s)"));
  assert.ok(lines.includes("- API calls: 105; 429 responses waited out: 2; retries: 1"));
  assert.ok(lines.includes("- 100 conversations, 1,538 parts, 798.7 KB (8.0 KB per conversation)"));
  assert.ok(lines.includes("- 20 searches: p50 3.4 ms, p95 5.9 ms"));
  assert.ok(lines.includes("| sync | ✅ pass | a \\| b |"), "pipes in details are escaped");
});

Deno.test("buildReport() fails the verdict when a target is missed", () => {
  const report = buildReport(META, { ...FIGURES, search_p95_ms: 480 }, []);
  assert.equal(report.passed, false);
  assert.ok(formatMarkdownReport(report).includes("**Verdict: a target was missed.**"));
});

Deno.test("report.ts writes both files and exits 4 when a target is missed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fim-report-" });
  try {
    const write = (name: string, value: unknown) =>
      Deno.writeTextFile(join(dir, name), JSON.stringify(value));
    await write("sync.json", { conversations_fetched: 300, conversations_per_second: 3.1 });
    await write("status.json", { conversations: 300, parts: 3000, size_bytes: 3_000_000 });
    await Deno.writeTextFile(join(dir, "checks.tsv"), "sync\tpass\tok\n");
    const script = fileURLToPath(
      new URL("../../../scripts/integration/report.ts", import.meta.url),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--allow-read",
        "--allow-write",
        script,
        "--md",
        join(dir, "r.md"),
        "--json",
        join(dir, "r.json"),
        "--sync",
        join(dir, "sync.json"),
        "--status",
        join(dir, "status.json"),
        "--mcp",
        join(dir, "missing.json"),
        "--checks",
        join(dir, "checks.tsv"),
        "--session",
        "s1",
        "--days",
        "7",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 4, new TextDecoder().decode(out.stderr));
    const json = JSON.parse(await Deno.readTextFile(join(dir, "r.json")));
    assert.equal(json.passed, false);
    assert.equal(json.meta.days, 7);
    assert.equal(json.figures.bytes_per_conversation, 10000);
    assert.equal(json.targets[0].status, "fail");
    assert.equal(json.figures.search_p95_ms, null, "a missing input leaves its figures null");
    assert.deepEqual(json.checks, [{ name: "sync", status: "pass", detail: "ok" }]);
    assert.match(
      await Deno.readTextFile(join(dir, "r.md")),
      /\| Sync throughput \| 3\.10 conversations\/s \|/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
