import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { makeSandbox, readAllText, runCli } from "../_fixtures/cli.ts";

Deno.test("init saves a good token with mode 0600 and prints the workspace", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 5 });
  try {
    const run = await runCli(["--api-url", sim.url, "init", "--token", DEFAULT_SIMULATOR_TOKEN], {
      env: box.env,
    });
    assert.equal(run.code, 0, run.stderr);
    const app = sim.workspace.app;
    assert.match(run.stdout, new RegExp(`workspace "${app.name}" \\(id ${app.id_code}\\)`));
    const configFile = join(box.dataDir, "config.json");
    assert.equal((await Deno.stat(configFile)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(box.dataDir)).mode! & 0o777, 0o700);
    const config = JSON.parse(await Deno.readTextFile(configFile));
    assert.equal(config.access_token, DEFAULT_SIMULATOR_TOKEN);
    assert.equal(config.workspace_id, app.id_code);
    assert.equal(config.api_url, sim.url);
    // the token never reaches stdout, stderr or a log
    assert.ok(!run.stdout.includes(DEFAULT_SIMULATOR_TOKEN));
    assert.ok(!run.stderr.includes(DEFAULT_SIMULATOR_TOKEN));
    assert.ok(!(await readAllText(box.logDir)).includes(DEFAULT_SIMULATOR_TOKEN));
  } finally {
    await sim.close();
  }
});

Deno.test("init --json reports the workspace as JSON", async () => {
  await using box = await makeSandbox({ INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN });
  const sim = await startSimulator({ conversations: 5 });
  try {
    const run = await runCli(["--api-url", sim.url, "init", "--json"], { env: box.env });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.ok, true);
    assert.equal(out.workspace.id, sim.workspace.app.id_code);
  } finally {
    await sim.close();
  }
});

Deno.test("init with a rejected token exits 1, says so, and writes nothing", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 5 });
  try {
    const bad = "wrong-token-abcdef";
    const run = await runCli(["--api-url", sim.url, "init", "--token", bad], { env: box.env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /token rejected by Intercom \(401\)/);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.ok(!run.stderr.includes(bad));
    await assert.rejects(Deno.stat(join(box.dataDir, "config.json")), Deno.errors.NotFound);
    assert.ok(!(await readAllText(box.dir)).includes(bad));
  } finally {
    await sim.close();
  }
});

Deno.test("an unknown flag exits 2 with a one-line message", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["init", "--tokne", "x"], { env: box.env });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /unknown option '--tokne'/);
  assert.match(run.stderr, /--help/);
  assert.equal(run.stdout, "");
});

Deno.test("a bad flag value exits 2 naming the accepted form", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["sync", "--days", "-1"], { env: box.env });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--days "-1" is not valid: use a whole number/);
  const since = await runCli(["sync", "--since", "yesterdayish"], { env: box.env });
  assert.equal(since.code, 2);
  assert.match(since.stderr, /cannot parse --since "yesterdayish": use a duration/);
});

Deno.test("--version and --help exit 0 on stdout", async () => {
  const version = await runCli(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = await runCli(["sync", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--since <time>/);
});
