import assert from "node:assert/strict";
import { join } from "node:path";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

Deno.test("demo syncs a simulated workspace and reports status and a sample search", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["demo", "--conversations", "60", "--days", "10", "--json"], {
    env: box.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.data_dir, null, "a temporary store is not kept");
  assert.equal(out.sync.conversations_fetched, 60);
  assert.equal(out.status.conversations, 60);
  assert.ok(out.status.parts > 60);
  assert.equal(out.search.query, "refund");
  assert.ok(out.search.total > 0, "the simulated workspace talks about refunds");
  assert.equal(out.search.hits.length, Math.min(5, out.search.total));
  for (const hit of out.search.hits) assert.match(hit.snippet ?? "", /\[refund/i);
});

Deno.test("demo with --data-dir keeps the store for `status`", async () => {
  await using box = await makeSandbox();
  const dataDir = join(box.dir, "kept");
  const run = await runCli(["--data-dir", dataDir, "demo", "--conversations", "30"], {
    env: box.env,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Synced 30 conversations/);
  assert.match(run.stdout, /Sample search "refund"/);
  const status = await runCli(["--data-dir", dataDir, "status", "--json"], { env: box.env });
  assert.equal(JSON.parse(status.stdout).conversations, 30);
});
