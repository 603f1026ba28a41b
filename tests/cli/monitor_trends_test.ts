import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/store/store.ts";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

/** 12 runs every 10 minutes up to 5 minutes ago; the newest 8 times slower than usual. */
async function slowHistory(dataDir: string): Promise<void> {
  await Deno.mkdir(dataDir, { recursive: true });
  using store = Store.open(join(dataDir, "data.db"));
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 12; i++) {
    const start = now - 300 - (11 - i) * 600;
    const id = store.startRun({
      mode: "incremental",
      windowStart: 0,
      windowEnd: 1,
      startedAt: start,
    });
    const seconds = i === 11 ? 240 : 30 + (i % 3);
    store.finishRun(id, {
      status: "completed",
      finishedAt: start + seconds,
      counts: { conversationsFetched: 60, apiCalls: 64, retries: 1 },
    });
  }
}

Deno.test("a run 8× slower than usual shows in monitor trends, status, metrics and debug health", async () => {
  await using box = await makeSandbox();
  await slowHistory(box.dataDir);

  const json = await runCli(["monitor", "trends", "--runs", "5", "--json"], { env: box.env });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.runs.map((r: { run_id: number }) => r.run_id), [12, 11, 10, 9, 8]);
  assert.deepEqual(report.anomalies.map((a: { kind: string }) => a.kind), ["slow_run"]);

  const table = await runCli(["monitor", "trends"], { env: box.env });
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^Last 12 sync runs|^Last 20 sync runs|^Last \d+ sync runs/);
  assert.match(table.stdout, /⚠ slow_run: run 12 \(incremental\) fetched 0\.25 conversations\/s/);

  const status = await runCli(["monitor", "status", "--json", "--no-api"], { env: box.env });
  assert.equal(JSON.parse(status.stdout).anomalies[0].kind, "slow_run");
  const human = await runCli(["monitor", "status", "--no-api"], { env: box.env });
  assert.match(human.stdout, /⚠ Anomaly \(slow_run\): run 12/);

  const metrics = await runCli(["monitor", "metrics"], { env: box.env });
  assert.match(metrics.stdout, /^fast_intercom_anomaly\{kind="slow_run"\} 1$/m);
  assert.match(metrics.stdout, /^fast_intercom_anomaly\{kind="missed_interval"\} 0$/m);

  const health = await runCli(["debug", "health", "--no-api", "--json"], { env: box.env });
  const check = JSON.parse(health.stdout).checks.find((c: { name: string }) =>
    c.name === "anomalies"
  );
  assert.equal(check.status, "warn");
  const strict = await runCli(["debug", "health", "--no-api", "--strict"], { env: box.env });
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /anomalies warned/);
});
