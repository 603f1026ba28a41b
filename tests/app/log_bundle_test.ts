import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

Deno.test("logs archive bundles logs, progress events and a redacted diagnosis (tar lists it)", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 15, seed: 8, faults: { "500": 0.2 } });
  try {
    const hook = "https://hooks.example.com/services/T000/B000/SECRETHOOKTOKEN";
    const env = {
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
      FASTINTERCOM_ALERT_WEBHOOK_URL: hook,
    };
    assert.equal((await runCli(["sync", "--all"], { env })).code, 0);
    const output = join(box.dir, "bug.tar.gz");
    const run = await runCli(["logs", "archive", "--output", output, "--since", "1h"], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Wrote .*bug\.tar\.gz \([\d,]+ bytes\): [\d,]+ log lines, [\d,]+ progress events, diagnosis\.json$/m,
    );
    assert.equal((await Deno.stat(output)).mode! & 0o777, 0o600);
    const list = await new Deno.Command("tar", { args: ["-tzf", output], stdout: "piped" })
      .output();
    assert.deepEqual(new TextDecoder().decode(list.stdout).trim().split("\n"), [
      "README.txt",
      "logs/main.log",
      "progress/progress.jsonl",
      "diagnosis.json",
    ]);
    const out = join(box.dir, "out");
    await Deno.mkdir(out);
    assert.ok(
      (await new Deno.Command("tar", { args: ["-xzf", output, "-C", out] }).output()).success,
    );
    const logText = await Deno.readTextFile(join(out, "logs", "main.log"));
    assert.match(logText, /"message":"Synced 15 conversations/);
    const progress = await Deno.readTextFile(join(out, "progress", "progress.jsonl"));
    assert.match(progress, /"type":"operation_complete"/);
    const diagnosis = JSON.parse(await Deno.readTextFile(join(out, "diagnosis.json")));
    assert.equal(diagnosis.config.alert_webhook_url, "[REDACTED]");
    assert.ok(Array.isArray(diagnosis.health.checks));
    assert.equal(diagnosis.trends.runs[0].conversations_fetched, 15);
    const everything = logText + progress + JSON.stringify(diagnosis);
    assert.ok(!everything.includes(DEFAULT_SIMULATOR_TOKEN), "no token in the bundle");
    assert.ok(!everything.includes("SECRETHOOKTOKEN"), "no webhook URL in the bundle");

    const again = await runCli(["logs", "archive", "--output", output], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists: pass --force to replace it/);
    const forced = await runCli([
      "logs",
      "archive",
      "--output",
      output,
      "--force",
      "--since",
      "all",
    ], { env });
    assert.equal(forced.code, 0, forced.stderr);
    const bad = await runCli(["logs", "archive", "--output", output, "--since", "soonish"], {
      env,
    });
    assert.equal(bad.code, 2);
    // a missing directory is named, not the temp file beside the output
    const nowhere = join(box.dir, "nodir", "x.tar.gz");
    const missing = await runCli(["logs", "archive", "--output", nowhere], { env });
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr.trim(),
      `fast-intercom-mcp: cannot write ${nowhere}: the directory ${join(box.dir, "nodir")} does ` +
        `not exist: create it (\`mkdir -p ${join(box.dir, "nodir")}\`), or choose another location`,
    );
  } finally {
    await sim.close();
  }
});

Deno.test("writeLogBundle() takes progress events from archives, rotations and the live file, oldest first", async () => {
  const { settingsIn, withTempDir } = await import("../_fixtures/fs.ts");
  const { writeLogBundle } = await import("../../lib/app/log_bundle.ts");
  const { archiveRotatedLogs } = await import("../../lib/logging/log_archive.ts");
  await withTempDir("bundle-", async (dir) => {
    const settings = await settingsIn(dir);
    const logDir = settings.paths.logDir;
    await Deno.mkdir(logDir, { recursive: true });
    const event = (h: number) =>
      JSON.stringify({ timestamp: `2026-07-01T0${h}:00:00.000Z`, type: "progress", n: h }) + "\n";
    await Deno.writeTextFile(join(logDir, "progress.jsonl.2"), event(1));
    await archiveRotatedLogs(logDir, { minAgeMs: 0 }); // progress.jsonl.2 → an archive
    await Deno.writeTextFile(join(logDir, "progress.jsonl.1"), event(2));
    await Deno.writeTextFile(join(logDir, "progress.jsonl"), event(3));
    const output = join(dir, "b.tar.gz");
    const result = await writeLogBundle(settings, output, { since: null });
    assert.equal(result.progressEvents, 3);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    assert.ok(
      (await new Deno.Command("tar", { args: ["-xzf", output, "-C", out] }).output()).success,
    );
    const events = (await Deno.readTextFile(join(out, "progress", "progress.jsonl"))).trim()
      .split("\n").map((l) => JSON.parse(l).n);
    assert.deepEqual(events, [1, 2, 3]);
  });
});
