import assert from "node:assert/strict";
import { join } from "node:path";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

Deno.test("a command failing on an OS error logs the line the user saw; the raw error stays in a property", async () => {
  await using box = await makeSandbox();
  // the status directory is a file: every command that tracks itself fails on it
  await Deno.writeTextFile(box.statusDir, "not a directory\n");
  const env = { ...box.env, INTERCOM_ACCESS_TOKEN: "sim-token-0123456789" };
  const run = await runCli(["sync"], { env });
  assert.equal(run.code, 1, run.stderr);
  const told = run.stderr.trim();
  assert.match(told, /^fast-intercom-mcp: .*is a file where a directory belongs/);

  const lines = (await Deno.readTextFile(join(box.logDir, "errors.log"))).trim().split("\n")
    .map((line) => JSON.parse(line));
  const exit = lines.find((l) => l.component === "cli.exit");
  assert.ok(exit, JSON.stringify(lines));
  assert.equal(exit.message, `command failed: ${told.replace(/^fast-intercom-mcp: /, "")}`);
  assert.doesNotMatch(exit.message, /os error|NotADirectory/, "no raw OS text in the message");
  assert.match(exit.error, /NotADirectory: Not a directory \(os error 20\)/, "kept for debugging");

  // what `logs errors --summary` shows as the example: the explained line, no OS text
  const summary = await runCli(["logs", "errors", "--summary"], { env });
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /is a file where a directory belongs/);
  assert.doesNotMatch(summary.stdout, /os error|NotADirectory/);
  const shown = await runCli(["logs", "show", "--level", "error"], { env });
  assert.doesNotMatch(shown.stdout, /os error/, "`logs show` prints the message only");
});
