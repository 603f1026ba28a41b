import assert from "node:assert/strict";
import {
  healthExitCode,
  healthProblems,
  type HealthSummary,
} from "../../../scripts/integration/health_verdict.ts";

function report(status: string, checks: [string, string][]): HealthSummary {
  return {
    status,
    checks: checks.map(([name, s]) => ({ name, status: s, detail: `${name} is ${s}` })),
  };
}

Deno.test("healthExitCode() maps the failed checks to the script's exit codes", () => {
  const cases: [HealthSummary, number][] = [
    [report("healthy", [["api", "ok"], ["store", "warn"]]), 0],
    [report("unhealthy", [["api", "fail"], ["store", "ok"]]), 1],
    [report("unhealthy", [["token", "fail"]]), 1],
    [report("unhealthy", [["integrity", "fail"]]), 2],
    [report("unhealthy", [["sync", "fail"], ["api", "ok"]]), 2],
    [report("unhealthy", [["disk", "fail"], ["api", "fail"]]), 5],
    [report("unhealthy", [["store", "warn"]]), 2], // --strict: a warning made it unhealthy
  ];
  for (const [input, expected] of cases) {
    assert.equal(healthExitCode(input), expected, JSON.stringify(input.checks));
  }
});

Deno.test("healthProblems() lists every check that is not ok", () => {
  assert.deepEqual(
    healthProblems(report("unhealthy", [["api", "fail"], ["disk", "ok"], ["store", "warn"]])),
    [
      "fail api: api is fail",
      "warn store: store is warn",
    ],
  );
});
