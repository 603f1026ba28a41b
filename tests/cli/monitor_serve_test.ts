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

/** Opens `count` idle connections to `port`. */
async function flood(port: number, count: number): Promise<Deno.Conn[]> {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < count; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  return conns;
}

/** Reads until the server closes `conn` (or 3 s pass); how long that took. */
async function msUntilClosed(conn: Deno.Conn): Promise<number> {
  const started = performance.now();
  const giveUp = setTimeout(() => conn.close(), 3000);
  const buffer = new Uint8Array(1024);
  try {
    while (await conn.read(buffer) !== null) { /* drain */ }
  } catch {
    // closed by the timer
  } finally {
    clearTimeout(giveUp);
  }
  try {
    conn.close();
  } catch {
    // closed already
  }
  return performance.now() - started;
}

async function healthStatus(url: string): Promise<number> {
  try {
    const response = await fetch(`${url}/health`);
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

Deno.test("monitor serve under ulimit -n 256 survives 300 idle connections, then serves again", async () => {
  await using box = await makeSandbox();
  const child = cliCommand(
    ["monitor", "serve", "--port", "0", "--headers-timeout", "1"],
    { env: box.env, openFiles: 256 },
  ).spawn();
  const stderr = new Response(child.stderr).text();
  let code: number | null = null;
  try {
    const url = await monitorUrl(child);
    const conns = await flood(Number(new URL(url).port), 300);
    // every one is closed by the server: refused at once, or after the head timeout
    const closedAfter = await Promise.all(conns.map(msUntilClosed));
    assert.ok(closedAfter.every((ms) => ms < 2900), "a connection outlived the head timeout");
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await healthStatus(url);
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
    assert.equal(
      await Promise.race([child.status.then(() => "exited"), Promise.resolve("alive")]),
      "alive",
    );
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // exited already
    }
    await child.stdout.cancel().catch(() => {});
    code = (await child.status).code;
  }
  const errText = await stderr;
  assert.equal(code, 0, errText);
  assert.match(errText, /refused a connection: \d+ open, the limit is \d+/);
  assert.doesNotMatch(errText, /os error/);
});

Deno.test("monitor serve and serve refuse a blank or short --api-key: exit 2, one line naming the fix; --help names the 32-character minimum", async () => {
  await using box = await makeSandbox();
  for (const command of [["monitor", "serve"], ["serve"]]) {
    for (
      const [extra, problem] of [
        [
          ["--api-key", "   "],
          /^fast-intercom-mcp: refusing the key given with --api-key, which is empty or only whitespace; /,
        ],
        [
          ["--host", "0.0.0.0", "--api-key", "k-123456"],
          /^fast-intercom-mcp: refusing the key given with --api-key, which is 8 characters long; serving beyond loopback needs at least 32; /,
        ],
      ] as const
    ) {
      const run = await runCli([...command, "--port", "0", ...extra], { env: box.env });
      const label = [...command, ...extra].join(" ");
      assert.equal(run.code, 2, `${label}: ${run.stderr}`);
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, problem);
      assert.match(lines[0]!, /openssl rand -hex 32/);
      assert.doesNotMatch(run.stderr, /k-123456/);
      assert.equal(run.stdout, "");
    }
    const help = await runCli([...command, "--help"], { env: box.env });
    assert.match(help.stdout, /needs a key of at least 32 characters/, command.join(" "));
  }
});
