import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { cliCommand, makeSandbox, runCli, type Sandbox, stopChild } from "../_fixtures/cli.ts";

function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}

async function snapshot(box: Sandbox, env: Record<string, string> = {}, args: string[] = []) {
  const run = await runCli(["monitor", "status", "--json", ...args], {
    env: { ...box.env, ...env },
  });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

Deno.test("monitor status --json with no config says not configured and shows no data", async () => {
  await using box = await makeSandbox();
  const s = await snapshot(box);
  assert.equal(s.connection.state, "not_configured");
  assert.equal(s.database.available, false);
  assert.equal(s.last_sync, null);
  assert.deepEqual(s.processes, []);
  assert.equal(s.errors.count, 0);
  const human = await runCli(["monitor", "status"], { env: box.env });
  assert.equal(human.code, 0);
  assert.match(human.stdout, /API Connection: ⚪ Not configured/);
  assert.ok(!human.stdout.includes("\x1b["), "a pipe gets one snapshot without escape codes");
});

Deno.test("monitor status --json on a synced store: real connection, data and last sync", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 25, seed: 11 });
  try {
    const env = { FASTINTERCOM_API_URL: sim.url, INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN };
    const sync = await runCli(["sync", "--all"], { env: { ...box.env, ...env } });
    assert.equal(sync.code, 0, sync.stderr);
    const s = await snapshot(box, env);
    assert.equal(s.connection.state, "connected");
    assert.equal(s.connection.workspace.id, sim.workspace.app.id_code);
    assert.equal(typeof s.connection.latency_ms, "number");
    assert.equal(s.database.available, true);
    assert.equal(s.database.conversations, 25);
    assert.ok(s.database.size_bytes > 0);
    assert.equal(s.last_sync.status, "completed");
    assert.equal(s.last_sync.conversations_fetched, 25);
    assert.deepEqual(s.processes, []);
    const offline = await snapshot(box, env, ["--no-api"]);
    assert.equal(offline.connection.state, "not_checked");
    // the same store with a token the API rejects
    const rejected = await snapshot(box, { ...env, INTERCOM_ACCESS_TOKEN: "not-the-token-42" });
    assert.equal(rejected.connection.state, "token_rejected");
  } finally {
    await sim.close();
  }
});

Deno.test("monitor status --json shows a running sync's progress, then flags it crashed when killed", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({
    conversations: 300,
    seed: 12,
    latency: { meanMs: 15, jitterMs: 0 },
  });
  const env = { FASTINTERCOM_API_URL: sim.url, INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN };
  const child = cliCommand(["sync", "--all", "--concurrency", "1"], { env: { ...box.env, ...env } })
    .spawn();
  try {
    let running: Record<string, unknown> | undefined;
    for (let i = 0; i < 60 && running === undefined; i++) {
      const s = await snapshot(box, env, ["--no-api"]);
      running = s.processes.find((p: { current: number | null }) => (p.current ?? 0) > 0);
    }
    assert.ok(running, "a running sync with progress");
    assert.equal(running.process_type, "sync");
    assert.equal(running.status, "running");
    assert.equal(running.alert, null);
    assert.equal(running.pid, child.pid);
    assert.ok((running.total as number) > 0);
    assert.ok((running.percentage as number) > 0 && (running.percentage as number) < 100);
    child.kill("SIGKILL");
    await child.status;
    const after = await snapshot(box, env, ["--no-api"]);
    assert.equal(after.processes.length, 1);
    assert.equal(after.processes[0].alert, "crashed");
    assert.equal(after.last_sync.status, "crashed", "as status and debug health say");
    assert.equal(after.sync.state, "crashed");
    assert.match(after.sync.detail, new RegExp(`pid ${child.pid}, run 1 ended without finishing`));
    const human = await runCli(["monitor", "status", "--no-api"], { env: { ...box.env, ...env } });
    assert.ok(human.stdout.includes("✖ CRASHED  sync-"), human.stdout);
  } finally {
    await stopChild(child);
    await sim.close();
  }
});

Deno.test("monitor status --json reports an unreachable API as such, and still exits 0", async () => {
  await using box = await makeSandbox();
  const env = {
    FASTINTERCOM_API_URL: closedPortUrl(),
    INTERCOM_ACCESS_TOKEN: "some-token-1234",
  };
  const s = await snapshot(box, env);
  assert.equal(s.connection.state, "unreachable");
  assert.match(s.connection.detail, /Could not reach Intercom at 127\.0\.0\.1/);
});

Deno.test("monitor logs prints the lines of running processes until Ctrl-C", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  await Deno.writeTextFile(join(box.logDir, "main.log"), "");
  const child = cliCommand(["monitor", "logs", "--all"], { env: box.env }).spawn();
  let text = "";
  const reading = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) text += chunk;
  })();
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      level: "info",
      component: "sync",
      message: "live line",
      session_id: "s",
    });
    await Deno.writeTextFile(join(box.logDir, "main.log"), line + "\n", { append: true });
    for (let i = 0; i < 200 && !text.includes("live line"); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill("SIGINT");
  }
  assert.equal((await child.status).code, 0);
  await reading;
  await child.stderr.cancel();
  assert.ok(text.includes("INFO    sync: live line"), text);
});

Deno.test("monitor logs that matched nothing says so in one line when stopped", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  await Deno.writeTextFile(join(box.logDir, "main.log"), "");
  const child = cliCommand(["monitor", "logs", "--all", "--component", "mcp"], { env: box.env })
    .spawn();
  // interrupted only once it watches (says so), else a loaded machine may deliver the SIGINT
  // before its handler is installed
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    while (!stderr.includes("(Ctrl-C to stop)")) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += value;
    }
  } finally {
    child.kill("SIGINT");
  }
  for (let r = await reader.read(); !r.done; r = await reader.read()) stderr += r.value;
  clearTimeout(deadline);
  assert.equal((await child.status).code, 0);
  // it says at once that it waits (it used to say nothing when no process had ever run)
  assert.match(stderr, /^No process is running; waiting for one to start \(Ctrl-C to stop\)\n/);
  assert.equal(await new Response(child.stdout).text(), "");
  assert.match(
    stderr,
    /Nothing matched while watching \(component mcp\): no log line or progress event of a running process was written\n$/,
  );
});
