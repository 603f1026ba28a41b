import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { parseMaxSyncAge } from "../../lib/cli/debug.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { cliCommand, makeSandbox, runCli, type Sandbox, stopChild } from "../_fixtures/cli.ts";

function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}

async function health(box: Sandbox, env: Record<string, string>, args: string[] = []) {
  const run = await runCli(["debug", "health", "--json", ...args], { env: { ...box.env, ...env } });
  const report = JSON.parse(run.stdout);
  assert.equal(report.exit_code, run.code, "the report's exit_code is the process's");
  const status = Object.fromEntries(
    report.checks.map((c: { name: string; status: string }) => [c.name, c.status]),
  );
  return { run, report, status };
}

Deno.test("parseMaxSyncAge() reads durations of at least a minute", () => {
  assert.equal(parseMaxSyncAge("6h"), 21_600);
  assert.equal(parseMaxSyncAge("2d"), 172_800);
  assert.throws(() => parseMaxSyncAge("10s"), UsageError);
  assert.throws(() => parseMaxSyncAge("soon"), UsageError);
});

Deno.test("debug health --json with no config: warnings, healthy, exit 0; --strict exits 1", async () => {
  await using box = await makeSandbox();
  const { run, report, status } = await health(box, {});
  assert.equal(run.code, 0, run.stderr);
  assert.equal(report.status, "healthy");
  assert.equal(status.config, "warn");
  assert.equal(status.token, "warn");
  assert.equal(status.api, "warn", "not configured is a warning");
  assert.equal(status.store, "warn");
  const strict = await health(box, {}, ["--strict"]);
  assert.equal(strict.run.code, 1);
  assert.match(strict.run.stderr, /unhealthy: config warned, token warned/);
});

Deno.test("debug health on a healthy synced store: every check ok, API latency measured", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 20, seed: 13 });
  try {
    const env = { FASTINTERCOM_API_URL: sim.url, INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN };
    const init = await runCli(["init"], { env: { ...box.env, ...env } });
    assert.equal(init.code, 0, init.stderr);
    const sync = await runCli(["sync", "--all"], { env: { ...box.env, ...env } });
    assert.equal(sync.code, 0, sync.stderr);
    const { run, report, status } = await health(box, env);
    assert.equal(run.code, 0, run.stderr);
    for (
      const name of [
        "config",
        "token",
        "api",
        "store",
        "integrity",
        "schema",
        "last_sync",
        "sync",
        "data_dir",
        "log_dir",
        "status_dir",
      ]
    ) {
      assert.equal(status[name], "ok", `${name}: ${JSON.stringify(report.checks)}`);
    }
    const api = report.checks.find((c: { name: string }) => c.name === "api");
    assert.equal(typeof api.latency_ms, "number");
    const human = await runCli(["debug", "health", "--verbose"], { env: { ...box.env, ...env } });
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^Health: HEALTHY/);
    assert.match(human.stdout, /✅ api +http:\/\/127\.0\.0\.1:\d+ reachable, token accepted/);
    const diagnose = await runCli(["debug", "diagnose", "--all", "--json"], {
      env: { ...box.env, ...env },
    });
    assert.equal(diagnose.code, 0, diagnose.stderr);
    const d = JSON.parse(diagnose.stdout);
    assert.equal(d.ok, true);
    assert.equal(d.database.counts.conversations, 20);
    assert.equal(d.api.me.ok, true);
    assert.equal(typeof d.api.rate_limit.limit, "number");
    assert.match(d.config.access_token, /^\[REDACTED\]/);
    assert.ok(!diagnose.stdout.includes(DEFAULT_SIMULATOR_TOKEN));
  } finally {
    await sim.close();
  }
});

Deno.test("debug health fails after a SIGKILLed sync, until a sync completes", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({
    conversations: 300,
    seed: 14,
    latency: { meanMs: 15, jitterMs: 0 },
  });
  const env = { FASTINTERCOM_API_URL: sim.url, INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN };
  const child = cliCommand(["sync", "--all", "--concurrency", "1"], { env: { ...box.env, ...env } })
    .spawn();
  try {
    // killed once its run is recorded: conversations are being counted
    const active = join(box.statusDir, "active_processes.json");
    for (let i = 0; i < 400; i++) {
      const records = JSON.parse(await Deno.readTextFile(active).catch(() => "{}"));
      const mine = Object.values(records).find((r) => (r as { pid: number }).pid === child.pid);
      if (((mine as { progress?: { current?: number } })?.progress?.current ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGKILL");
    await child.status;
    const { run, report, status } = await health(box, env, ["--no-api"]);
    assert.equal(run.code, 1, "a crash no sync has followed is unhealthy");
    assert.equal(status.sync, "fail");
    const sync = report.checks.find((c: { name: string }) => c.name === "sync");
    assert.match(
      sync.detail,
      new RegExp(
        `^sync sync-\\S+, pid ${child.pid}, run 1 ended without finishing \\(killed or crashed\\), ` +
          "and no sync has completed since: run `fast-intercom-mcp sync`",
      ),
    );
    assert.match(run.stderr, /unhealthy: sync failed/);
    // status and monitor status say the same, from the same verdict
    const stored = JSON.parse(
      (await runCli(["status", "--json"], { env: { ...box.env, ...env } }))
        .stdout,
    );
    assert.deepEqual(stored.sync, { state: "crashed", detail: sync.detail });
    assert.equal(stored.last_runs[0].status, "crashed");
    const monitor = JSON.parse(
      (await runCli(["monitor", "status", "--json", "--no-api"], { env: { ...box.env, ...env } }))
        .stdout,
    );
    assert.equal(monitor.sync.state, "crashed");
    assert.equal(monitor.sync.detail, sync.detail);
    assert.equal(monitor.last_sync.status, "crashed");
    const again = await runCli(["sync"], { env: { ...box.env, ...env } });
    assert.equal(again.code, 0, again.stderr);
    const after = await health(box, env, ["--no-api"]);
    assert.equal(after.run.code, 0, JSON.stringify(after.report.checks));
    assert.equal(after.status.sync, "ok");
    const history = JSON.parse(
      (await runCli(["status", "--json"], { env: { ...box.env, ...env } }))
        .stdout,
    );
    assert.deepEqual(history.last_runs.map((r: { status: string }) => r.status), [
      "completed",
      "crashed",
    ], "the next sync recorded the killed run as crashed");
  } finally {
    await stopChild(child);
    await sim.close();
  }
});

Deno.test("debug health with an unreachable API is unhealthy: exit 1", async () => {
  await using box = await makeSandbox();
  const env = {
    FASTINTERCOM_API_URL: closedPortUrl(),
    INTERCOM_ACCESS_TOKEN: "some-token-1234",
  };
  const { run, report, status } = await health(box, env);
  assert.equal(run.code, 1);
  assert.equal(report.status, "unhealthy");
  assert.equal(status.api, "fail");
  assert.match(report.checks.find((c: { name: string }) => c.name === "api").detail, /unreachable/);
  assert.match(run.stderr, /^fast-intercom-mcp: unhealthy: api failed\n$/);
  const verbose = await runCli(["--verbose", "debug", "health"], { env: { ...box.env, ...env } });
  assert.equal(verbose.code, 1);
  assert.doesNotMatch(verbose.stderr, /\n\s+at /, "no stack trace for an unhealthy report");
  const offline = await health(box, env, ["--no-api"]);
  assert.equal(offline.run.code, 0, "--no-api skips the API");
});

Deno.test("debug diagnose --test-database fails with exit 1 when there is no store", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["debug", "diagnose", "--test-database"], { env: box.env });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /❌ no store at .*data\.db/);
  assert.match(run.stderr, /diagnosis failed: database/);
});

/** Overwrites 40 KB in the middle of `path` with random bytes. */
async function damage(path: string): Promise<void> {
  const size = (await Deno.stat(path)).size;
  const noise = new Uint8Array(40 * 1024);
  crypto.getRandomValues(noise);
  using file = await Deno.open(path, { write: true });
  await file.seek(Math.floor(size / 2), Deno.SeekMode.Start);
  await file.write(noise);
}

Deno.test("debug health and status on a damaged store: a whole report, one line, exit 1", async () => {
  await using box = await makeSandbox();
  const demo = await runCli(
    ["demo", "--conversations", "150", "--data-dir", box.dataDir, "--json"],
    {
      env: box.env,
    },
  );
  assert.equal(demo.code, 0, demo.stderr);
  await damage(join(box.dataDir, "data.db"));
  const { run, report, status } = await health(box, {}, ["--no-api"]);
  assert.equal(run.code, 1);
  assert.equal(status.integrity, "fail");
  for (const name of ["config", "token", "data_dir", "store", "disk", "log_dir", "status_dir"]) {
    assert.ok(name in status, `${name} is reported`);
  }
  assert.match(
    report.checks.find((c: { name: string }) => c.name === "integrity").detail,
    /is damaged \(/,
  );
  assert.match(run.stderr, /^fast-intercom-mcp: unhealthy: integrity failed\n$/);
  const monitor = await runCli(["monitor", "status", "--once", "--json", "--no-api"], {
    env: box.env,
  });
  assert.equal(JSON.parse(monitor.stdout).database.state, "damaged", monitor.stdout);
  const human = await runCli(["status"], { env: box.env });
  assert.equal(human.code, 1);
  assert.equal(human.stdout, "");
  assert.match(
    human.stderr,
    /^fast-intercom-mcp: the store \S+data\.db is damaged: run `fast-intercom-mcp debug diagnose --test-database` for the details; to start over, `fast-intercom-mcp reset` and sync again\n$/,
  );
});

Deno.test("debug health fails where a sync would: a log or status path that is a file", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.dataDir, { recursive: true });
  await Deno.writeTextFile(box.logDir, "not a directory");
  await Deno.writeTextFile(box.statusDir, "not a directory");
  const { run, status, report } = await health(box, {}, ["--no-api"]);
  assert.equal(run.code, 1);
  assert.equal(status.log_dir, "fail");
  assert.equal(status.status_dir, "fail");
  const detail = (name: string) =>
    report.checks.find((c: { name: string }) => c.name === name).detail;
  assert.match(detail("log_dir"), /logs is a file, not a directory: move it away/);
  assert.match(detail("status_dir"), /status is a file, not a directory: move it away/);
});
