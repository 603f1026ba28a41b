/**
 * scripts/enhanced_integration_test.sh end to end: the quick run against the simulator passes
 * and reports; injected failures exit with their documented codes; shellcheck is clean.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { EXIT } from "../../scripts/integration/exit_codes.ts";
import { ROOT } from "../_fixtures/cli.ts";
import { hasTool, nameUnless } from "../_fixtures/tools.ts";

const SCRIPT = join(ROOT, "scripts", "enhanced_integration_test.sh");

interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The temporary directory the script used as TMPDIR (its workspace went there). */
  tmp: string;
}

/** Runs the script with a clean environment and its own TMPDIR; the caller removes `tmp`. */
async function runScript(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<ScriptRun> {
  const tmp = await Deno.makeTempDir({ prefix: "fim-script-" });
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: join(tmp, "home"),
    TMPDIR: tmp,
    NO_COLOR: "1",
    ...options.env,
  };
  const denoDir = Deno.env.get("DENO_DIR") ??
    join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno");
  env.DENO_DIR = denoDir;
  const out = await new Deno.Command("bash", {
    args: [SCRIPT, ...args],
    env,
    clearEnv: true,
    cwd: options.cwd ?? tmp,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr), tmp };
}

async function workspaces(tmp: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmp)) {
    if (entry.name.startsWith("fim-integration.")) names.push(join(tmp, entry.name));
  }
  return names;
}

const shellcheck = await hasTool("shellcheck");

Deno.test({
  name: nameUnless(
    shellcheck,
    "enhanced_integration_test.sh is shellcheck clean",
    "shellcheck",
    "apt-get install shellcheck",
  ),
  ignore: !shellcheck, // installed by .ci/run and the CI workflow; apt-get install shellcheck
  async fn() {
    const out = await new Deno.Command("shellcheck", { args: ["--severity=style", SCRIPT] })
      .output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stdout));
  },
});

Deno.test("--quick against the simulator passes every check and writes the performance report", async () => {
  const session = "integ-test-quick";
  const run = await runScript(
    ["--quick", "--performance-report", "--output", "out/report.md", "--no-cleanup"],
    { env: { FASTINTERCOM_SESSION_ID: session } },
  );
  try {
    const report = JSON.parse(await Deno.readTextFile(join(run.tmp, "out", "report.json")));
    // Every check must pass; the speed targets are the machine's (a missed one is exit 4).
    assert.equal(run.code, report.passed ? 0 : 4, run.stderr);
    assert.match(run.stderr, /\[8\/8\] debug health --json\n {2}✓ health: healthy/);
    if (report.passed) assert.match(run.stderr, /PASSED in \d+s \(session integ-test-quick\)/);
    const [ws] = await workspaces(run.tmp);
    assert.ok(ws, "the workspace is kept with --no-cleanup");
    // The exact monitoring commands, pointing at this run's directories and session.
    const env = `FASTINTERCOM_DATA_DIR=${ws}/data FASTINTERCOM_LOG_DIR=${ws}/logs ` +
      `FASTINTERCOM_STATUS_DIR=${ws}/status deno task -q --config ${ROOT}deno.json cli`;
    assert.ok(run.stderr.includes(`  ${env} monitor status\n`), run.stderr);
    assert.ok(run.stderr.includes(`  ${env} logs show --follow --session ${session}\n`));
    assert.ok(run.stderr.includes(`  ${env} logs errors --follow --session ${session}\n`));
    for (const check of ["init", "sync", "status", "store_matches_source", "mcp", "health"]) {
      assert.match(run.stderr, new RegExp(`✓ ${check}: `), `check ${check} passed`);
    }
    assert.match(
      run.stderr,
      /store vs source \(exact\): 100 stored, 100 in the source, 100 compared: match/,
    );

    assert.equal(report.meta.session_id, session);
    assert.equal(report.figures.conversations_fetched, 100);
    assert.equal(report.figures.store_conversations, 100);
    assert.equal(report.figures.searches, 20);
    assert.ok(report.figures.search_p95_ms > 0);
    assert.ok(report.figures.sync_peak_rss_bytes > 10_000_000);
    assert.ok(report.figures.server_peak_rss_bytes > 10_000_000);
    assert.equal(report.checks.filter((c: { status: string }) => c.status !== "pass").length, 0);
    const md = await Deno.readTextFile(join(run.tmp, "out", "report.md"));
    assert.match(md, /^# fast-intercom-mcp integration test: performance report\n/);
    assert.match(
      md,
      /\| Peak RSS of the MCP server \| [\d.]+ MB \| ≤ 200\.0 MB \| (✅ pass|❌ fail) \|/,
    );

    // The run registered itself with the status tracker and finished as completed.
    const completed = JSON.parse(
      await Deno.readTextFile(join(ws, "status", "completed_processes.json")),
    );
    const runs = Object.values(completed) as {
      process_type: string;
      status: string;
      session_id: string;
    }[];
    const own = runs.filter((r) => r.process_type === "integration_test");
    assert.equal(own.length, 1);
    assert.equal(own[0]!.status, report.passed ? "completed" : "failed");
    assert.equal(own[0]!.session_id, session);
    assert.ok(runs.some((r) => r.process_type === "sync" && r.session_id === session));
  } finally {
    await Deno.remove(run.tmp, { recursive: true });
  }
});

Deno.test("--real takes the token and API from the environment and spot-checks the store", async () => {
  // An Intercom-compatible API on 127.0.0.1 stands in for the real one.
  const sim = await startSimulator({ conversations: 150, days: 3, seed: 21 });
  const run = await runScript(["--real", "--days", "2"], {
    env: { INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN, FASTINTERCOM_API_URL: sim.url },
  }).finally(() => sim.close());
  try {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /real Intercom, 2 day\(s\)/);
    assert.match(run.stderr, new RegExp(`✓ source: Intercom at ${sim.url}`));
    assert.match(
      run.stderr,
      /store vs source \(sample\): (\d+) stored, \1 in the source, 10 compared: match/,
    );
    assert.ok(!run.stderr.includes(DEFAULT_SIMULATOR_TOKEN), "the token is never printed");
    assert.deepEqual(await workspaces(run.tmp), [], "the workspace (and its config) is removed");
  } finally {
    await Deno.remove(run.tmp, { recursive: true });
  }
});

Deno.test("a simulator that rejects the token exits 1 (API) and removes the workspace", async () => {
  const run = await runScript(["--quick", "--inject-failure", "auth"]);
  try {
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /token rejected by Intercom \(401\)/);
    assert.match(run.stderr, /FAILED with exit code 1 after \d+s: init failed/);
    assert.deepEqual(await workspaces(run.tmp), []);
  } finally {
    await Deno.remove(run.tmp, { recursive: true });
  }
});

Deno.test("a damaged store exits 2 (sync/database), caught by the comparison with the source", async () => {
  const run = await runScript(["--quick", "--inject-failure", "database"]);
  try {
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /✓ status: 100 conversations/, "the counts alone look right");
    assert.match(run.stderr, /part \d+ body: stored ".*\(altered\)", source/);
    assert.match(run.stderr, /part \d+: missing from the store/);
    assert.match(run.stderr, /✗ store_matches_source: store vs source \(exact\): .*: 3 problems/);
  } finally {
    await Deno.remove(run.tmp, { recursive: true });
  }
});

Deno.test("an MCP server without the store exits 3 (MCP)", async () => {
  const run = await runScript(["--quick", "--inject-failure", "mcp"]);
  try {
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /search_conversations: total 0, the store holds 100/);
    assert.match(run.stderr, /FAILED with exit code 3/);
  } finally {
    await Deno.remove(run.tmp, { recursive: true });
  }
});

Deno.test("bad flags and a missing token for --real exit 5 (environment)", async () => {
  for (
    const [args, message] of [
      [["--bogus"], /unknown option "--bogus"/],
      [["--days", "zero"], /--days "zero" is not a whole number ≥ 1/],
      [["--inject-failure", "disk"], /use auth, database or mcp/],
      [["--real"], /--real needs INTERCOM_ACCESS_TOKEN/],
    ] as const
  ) {
    const run = await runScript([...args]);
    await Deno.remove(run.tmp, { recursive: true });
    assert.equal(run.code, 5, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});

Deno.test("--help documents every flag and the exit codes", async () => {
  const run = await runScript(["--help"]);
  await Deno.remove(run.tmp, { recursive: true });
  assert.equal(run.code, 0);
  for (
    const flag of [
      "--days N",
      "--max-conversations N",
      "--quick",
      "--verbose",
      "--performance-report",
      "--output FILE",
      "--no-cleanup",
      "--real",
    ]
  ) {
    assert.ok(run.stdout.includes(`  ${flag} `), flag);
  }
  assert.match(
    run.stdout,
    /Exit codes: 0 passed, 1 API, 2 sync\/database, 3 MCP, 4 performance, 5 environment/,
  );
});

Deno.test("the script's exit codes are the helpers' EXIT codes", async () => {
  const text = await Deno.readTextFile(SCRIPT);
  const line = text.split("\n").find((l) => l.startsWith("readonly EXIT_API="));
  const codes = Object.fromEntries(
    [...(line ?? "").matchAll(/EXIT_(\w+)=(\d+)/g)].map((m) => [m[1]!.toLowerCase(), Number(m[2])]),
  );
  const { ok: _, ...expected } = EXIT;
  assert.deepEqual(codes, expected);
});
