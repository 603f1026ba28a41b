import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { cliCommand, makeSandbox, runCli, stopChild } from "../_fixtures/cli.ts";
import { HAS_PROMTOOL, promtoolCheck } from "../metrics/_promtool.ts";

/** Reads the child's stdout until the "Monitor at <url>" line. */
async function monitorUrl(child: Deno.ChildProcess): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/Monitor at (\S+) /.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`monitor serve exited before listening: ${text}`);
    text += value;
  }
  reader.releaseLock();
  return /Monitor at (\S+) /.exec(text)![1]!;
}

Deno.test("monitor metrics and monitor serve export a synced store's runs (promtool-clean)", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 20, seed: 5 });
  try {
    const env = {
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    };
    assert.equal((await runCli(["sync", "--all"], { env })).code, 0);
    const once = await runCli(["monitor", "metrics"], { env });
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^fast_intercom_store_conversations 20$/m);
    assert.match(once.stdout, /^fast_intercom_sync_runs_total\{outcome="completed"\} 1$/m);
    assert.match(once.stdout, /^fast_intercom_sync_conversations_fetched_total 20$/m);
    // one GET per conversation, recorded by endpoint template and status
    assert.match(
      once.stdout,
      /^fast_intercom_api_requests_total\{endpoint="GET \/conversations\/\{id\}",status="200"\} 20$/m,
    );
    const byEndpoint = [...once.stdout.matchAll(/^fast_intercom_api_requests_total\{.*\} (\d+)$/gm)]
      .reduce((n, m) => n + Number(m[1]), 0);
    const status = JSON.parse((await runCli(["status", "--json"], { env })).stdout);
    assert.equal(byEndpoint, status.last_runs[0].api_calls, "they sum to the run's API calls");
    if (HAS_PROMTOOL) {
      const check = await promtoolCheck(once.stdout);
      assert.ok(check.ok && check.output === "", check.output);
    }

    const textfileDir = join(box.dir, "textfile");
    await Deno.mkdir(textfileDir);
    const written = await runCli(["monitor", "metrics", "--textfile", textfileDir], { env });
    assert.equal(written.code, 0, written.stderr);
    const prom = await Deno.readTextFile(join(textfileDir, "fast_intercom_mcp.prom"));
    assert.match(prom, /^fast_intercom_store_conversations 20$/m);

    const child = cliCommand(["monitor", "serve", "--port", "0"], {
      env: { ...env, FASTINTERCOM_API_KEY: "k-123456" },
    }).spawn();
    try {
      const url = await monitorUrl(child);
      const refused = await fetch(`${url}/metrics`);
      await refused.body?.cancel();
      assert.equal(refused.status, 401);
      const res = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer k-123456" } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      assert.match(await res.text(), /^fast_intercom_store_conversations 20$/m);
    } finally {
      await stopChild(child);
    }
  } finally {
    await sim.close();
  }
});

Deno.test("monitor serve --host 0.0.0.0 without a key is refused; --textfile of a missing dir exits 2", async () => {
  await using box = await makeSandbox();
  const serve = await runCli(["monitor", "serve", "--host", "0.0.0.0", "--port", "0"], {
    env: box.env,
  });
  assert.equal(serve.code, 1);
  assert.match(serve.stderr, /refusing to serve on "0\.0\.0\.0" without an API key/);
  const missing = join(box.dir, "missing");
  const metrics = await runCli(["monitor", "metrics", "--textfile", missing], { env: box.env });
  assert.equal(metrics.code, 2);
  assert.match(metrics.stderr, new RegExp(`--textfile "${missing}" does not exist`));
});
