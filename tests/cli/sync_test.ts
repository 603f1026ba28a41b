import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import { parseProgressLine } from "../../lib/progress/jsonl_sink.ts";
import { readStatus } from "../../lib/registry/status_reader.ts";
import { Store } from "../../lib/store/store.ts";
import { assertStoreEqualsWorkspace } from "../sync/_fixtures.ts";
import {
  cliCommand,
  makeSandbox,
  readAllText,
  runCli,
  type Sandbox,
  stopChild,
} from "../_fixtures/cli.ts";

function envFor(box: Sandbox, sim: Simulator, extra: Record<string, string> = {}) {
  return {
    ...box.env,
    FASTINTERCOM_API_URL: sim.url,
    INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    ...extra,
  };
}

function openStore(box: Sandbox): Store {
  return Store.open(join(box.dataDir, "data.db"), { readOnly: true });
}

/** Waits until the store holds at least `n` conversations (or the child exits). */
async function waitForConversations(box: Sandbox, n: number, child: Deno.ChildProcess) {
  let exited = false;
  child.status.then(() => (exited = true));
  for (let i = 0; i < 400 && !exited; i++) {
    try {
      using store = openStore(box);
      if (store.stats().conversations >= n) return;
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
  Deno.test(`sync --all then status agree with the workspace (TZ=${tz})`, async () => {
    await using box = await makeSandbox({ TZ: tz });
    const sim = await startSimulator({ conversations: 90, seed: 21 });
    try {
      const run = await runCli(["sync", "--all", "--json"], { env: envFor(box, sim) });
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout);
      assert.equal(summary.conversations_fetched, 90);
      assert.equal(summary.total_count, 90);
      {
        using store = openStore(box);
        assertStoreEqualsWorkspace(store, sim.workspace);
      }
      const status = await runCli(["status", "--json"], { env: envFor(box, sim) });
      assert.equal(status.code, 0, status.stderr);
      const s = JSON.parse(status.stdout);
      assert.equal(s.conversations, 90);
      assert.equal(s.cursor, summary.cursor);
      assert.equal(s.last_runs[0].status, "completed");
      // progress.jsonl: a version record first, every line valid, true totals at the end
      const lines = (await Deno.readTextFile(join(box.logDir, "progress.jsonl"))).trim().split(
        "\n",
      );
      const parsed = lines.map((l) => parseProgressLine(l));
      assert.ok(parsed.every((p) => p !== null), "every progress line validates");
      assert.equal((parsed[0] as { type: string }).type, "version");
      const events = parsed.slice(1) as {
        type: string;
        current: number | null;
        total: number | null;
      }[];
      assert.equal(events[0]!.type, "operation_start");
      assert.equal(events.at(-1)!.type, "operation_complete");
      const lastProgress = events.filter((e) => e.type === "progress").at(-1)!;
      assert.equal(lastProgress.current, 90);
      assert.equal(lastProgress.total, 90);
      // the status tracker recorded the finished sync
      const report = await readStatus(box.statusDir);
      assert.equal(report.active.length, 0);
      const done = report.completed.find((r) => r.process_type === "sync")!;
      assert.equal(done.status, "completed");
      assert.equal(done.progress.current, 90);
      assert.equal(done.progress.total, 90);
      assert.match(done.process_id, /^sync-\d{8}-\d{6}-[0-9a-f]+$/);
      // a plain incremental sync right after changes nothing
      const again = await runCli(["sync", "--json"], { env: envFor(box, sim) });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).conversations_fetched, 0);
      // secrets never reach stdout, stderr, logs or status files
      const everything = run.stdout + run.stderr + status.stdout + (await readAllText(box.dir));
      assert.ok(!everything.includes(DEFAULT_SIMULATOR_TOKEN), "token leaked");
    } finally {
      await sim.close();
    }
  });
}

Deno.test("sync killed with SIGKILL at several points resumes to the same store", async () => {
  await using box = await makeSandbox({ TZ: "Asia/Kolkata" });
  // 600 conversations = 4 pages of 150: each kill lands while the next page is being fetched.
  const sim = await startSimulator({
    conversations: 600,
    seed: 9,
    latency: { meanMs: 20, jitterMs: 5 },
  });
  try {
    const env = envFor(box, sim);
    // killed after its first page, then twice more while resuming
    const killed: number[] = [];
    for (const [args, atLeast] of [[["--all"], 1], [[], 300], [[], 450]] as const) {
      const child = cliCommand(["sync", ...args, "--concurrency", "2"], { env }).spawn();
      await waitForConversations(box, atLeast, child);
      await stopChild(child);
      killed.push(child.pid);
    }
    const resumed = await runCli(["sync", "--json"], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    const out = JSON.parse(resumed.stdout);
    assert.equal(out.resumed, true);
    using store = openStore(box);
    assertStoreEqualsWorkspace(store, sim.workspace);
    const runs = store.lastRuns(10);
    assert.equal(runs[0]!.status, "completed");
    assert.ok(runs.slice(1).every((r) => r.status === "crashed"), "killed runs marked crashed");
    // each next sync said so, naming the dead process's pid and its run
    const log = await Deno.readTextFile(join(box.logDir, "main.log"));
    const found = log.split("\n").filter((l) => l.includes("ended without finishing"))
      .map((l) => JSON.parse(l));
    assert.deepEqual(found.map((l) => [l.level, l.runId, l.crashedPid]), [
      ["warning", 1, killed[0]],
      ["warning", 2, killed[1]],
      ["warning", 3, killed[2]],
    ]);
  } finally {
    await sim.close();
  }
});

Deno.test("a second concurrent sync is refused naming the holder; a dead holder's lock is taken over", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({
    // 3 pages: after the first commit the holder has ~300 more fetches (~4 s) to go
    conversations: 450,
    seed: 4,
    latency: { meanMs: 30, jitterMs: 5 },
  });
  try {
    const env = envFor(box, sim);
    const first = cliCommand(["sync", "--all", "--concurrency", "2"], { env }).spawn();
    await waitForConversations(box, 1, first);
    const second = await runCli(["sync"], { env });
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      /another sync is already running .*\(pid \d+ on .*, started \d{4}-\d\d-\d\dT/,
    );
    await stopChild(first);
    const third = await runCli(["sync", "--json"], { env });
    assert.equal(third.code, 0, third.stderr);
    const log = await Deno.readTextFile(join(box.logDir, "sync.log"));
    assert.match(log, /took over the sync lock left by pid/);
  } finally {
    await sim.close();
  }
});

Deno.test("sync without a token says how to get one", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["sync"], { env: box.env });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /no Intercom access token: run `fast-intercom-mcp init`/);
});

Deno.test("sync --days and --all together is a usage error", async () => {
  const run = await runCli(["sync", "--days", "3", "--all"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /use only one of them/);
});

Deno.test("reset refuses without --yes off a terminal, then deletes only the store", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 10 });
  try {
    const env = envFor(box, sim);
    assert.equal((await runCli(["sync", "--all"], { env })).code, 0);
    const refused = await runCli(["reset"], { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /pass --yes/);
    await Deno.stat(join(box.dataDir, "data.db"));
    const done = await runCli(["reset", "--yes"], { env });
    assert.equal(done.code, 0, done.stderr);
    await assert.rejects(Deno.stat(join(box.dataDir, "data.db")), Deno.errors.NotFound);
    await Deno.stat(join(box.logDir, "main.log")); // logs stay
    const status = JSON.parse((await runCli(["status", "--json"], { env })).stdout);
    assert.equal(status.exists, false);
  } finally {
    await sim.close();
  }
});

Deno.test("Ctrl-C stops a sync at a safe point: exit 130, logged as the user's stop, not an error", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({
    conversations: 400,
    seed: 10,
    latency: { meanMs: 20, jitterMs: 5 },
  });
  try {
    const env = envFor(box, sim);
    const child = cliCommand(["sync", "--all", "--concurrency", "2"], { env }).spawn();
    await waitForConversations(box, 1, child);
    child.kill("SIGINT");
    const status = await child.status;
    await child.stdout.cancel();
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 130, stderr);
    const lines = (await Deno.readTextFile(join(box.logDir, "main.log"))).trim().split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.level === "error" || l.level === "fatal"), []);
    const stop = lines.find((l) => /interrupted by the user/.test(l.message));
    assert.equal(stop?.level, "info");
    using store = openStore(box);
    const run = store.lastRuns(1)[0]!;
    assert.equal(run.status, "interrupted");
    assert.equal(run.error, "interrupted by the user");
    const report = await readStatus(box.statusDir);
    const record = report.completed.find((r) => r.pid === child.pid)!;
    assert.equal(record.status, "interrupted");
    assert.equal(record.error, "interrupted by the user");
  } finally {
    await sim.close();
  }
});

Deno.test("SIGTERM (systemd, docker stop) stops a sync like Ctrl-C: exit 130, the user's stop, resumable", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({
    conversations: 300,
    seed: 11,
    latency: { meanMs: 20, jitterMs: 5 },
  });
  try {
    const env = envFor(box, sim);
    const child = cliCommand(["sync", "--all", "--concurrency", "2"], { env }).spawn();
    await waitForConversations(box, 1, child);
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stdout.cancel();
    const stderr = await new Response(child.stderr).text();
    // README: 130 interrupted, for SIGTERM as for Ctrl-C (the process stops itself at a safe
    // point; 143 would be a process the signal killed)
    assert.equal(status.code, 130, stderr);
    assert.equal(status.signal, null, "it exited by itself, not killed by the signal");
    const lines = (await Deno.readTextFile(join(box.logDir, "main.log"))).trim().split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.level === "error" || l.level === "fatal"), []);
    assert.equal(lines.find((l) => /interrupted by the user/.test(l.message))?.level, "info");
    {
      using store = openStore(box);
      const run = store.lastRuns(1)[0]!;
      assert.equal(run.status, "interrupted");
      assert.equal(run.error, "interrupted by the user");
    }
    const record = (await readStatus(box.statusDir)).completed.find((r) => r.pid === child.pid);
    assert.equal(record?.status, "interrupted");
    // the next sync resumes it and ends with the whole workspace
    const resumed = await runCli(["sync", "--json"], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout).resumed, true);
    using store = openStore(box);
    assertStoreEqualsWorkspace(store, sim.workspace);
    assert.deepEqual(store.lastRuns(2).map((r) => r.status), ["completed", "interrupted"]);
  } finally {
    await sim.close();
  }
});

Deno.test("a sync paced by the rate limit says it waits, and names its last phases", async () => {
  await using box = await makeSandbox();
  // 40 requests per 2 s: 90 conversations and their contacts wait for the window twice or more
  const sim = await startSimulator({
    conversations: 90,
    seed: 31,
    rateLimit: { limit: 40, windowSeconds: 2 },
  });
  try {
    const run = await runCli(["sync", "--all", "--json"], { env: envFor(box, sim) });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.rate_limited, 0, "paced, never refused: no 429");
    assert.ok(summary.rate_limit_wait_seconds > 1, `waited ${summary.rate_limit_wait_seconds}s`);
    const events = (await Deno.readTextFile(join(box.logDir, "progress.jsonl"))).trim()
      .split("\n").map((l) => parseProgressLine(l)!).filter((e) => e.type !== "version") as {
        type: string;
        phase: string | null;
        percentage: number | null;
        eta_seconds: number | null;
      }[];
    const phases = [...new Set(events.map((e) => e.phase).filter((p) => p !== null))];
    assert.ok(
      phases.some((p) => /^waiting for rate limit, resets in [12]s/.test(p!)),
      `phases: ${phases.join(" | ")}`,
    );
    assert.ok(phases.includes("finishing: saving the sync position"), phases.join(" | "));
    assert.deepEqual(
      events.filter((e) => e.percentage === 100 && e.eta_seconds === 0),
      [],
      "never '100% ETA 0s'",
    );
  } finally {
    await sim.close();
  }
});

Deno.test("a record that cannot be read is quarantined: sync completes and sync --json, stderr, status, monitor status and debug health say so", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 30, seed: 73 });
  try {
    const bad = sim.workspace.conversations[11]!;
    bad.quirks = { malformed: true };
    const env = envFor(box, sim);
    const run = await runCli(["sync", "--all", "--json"], { env });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.conversations_fetched, 29);
    assert.deepEqual(
      summary.quarantined.map((q: { kind: string; id: string; attempts: number }) => [
        q.kind,
        q.id,
        q.attempts,
      ]),
      [["conversation", bad.id, 1]],
    );
    assert.equal(summary.missing_contacts, 0);
    assert.match(
      run.stderr,
      new RegExp(
        `Warning: 1 record could not be read and is quarantined .*\\n  conversation ${bad.id}: ` +
          'field "created_at": Expected number, received string',
      ),
    );
    const status = JSON.parse((await runCli(["status", "--json"], { env })).stdout);
    assert.deepEqual(status.quarantined.map((q: { id: string }) => q.id), [bad.id]);
    const human = await runCli(["status"], { env });
    assert.match(human.stdout, new RegExp(`Quarantined \\(unreadable\\).*conversation ${bad.id}`));
    const monitor = JSON.parse((await runCli(["monitor", "status", "--json"], { env })).stdout);
    assert.equal(monitor.database.quarantined, 1);
    const health = await runCli(["debug", "health", "--json", "--no-api"], { env });
    const check = JSON.parse(health.stdout).checks.find((c: { name: string }) =>
      c.name === "quarantine"
    );
    assert.equal(check.status, "warn");
    assert.match(check.detail, new RegExp(`conversation ${bad.id}`));
    // readable again: the next sync stores it and the warning goes
    delete bad.quirks;
    const again = await runCli(["sync", "--json"], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).quarantined, []);
    assert.doesNotMatch(again.stderr, /quarantined/);
    using store = openStore(box);
    assertStoreEqualsWorkspace(store, sim.workspace);
  } finally {
    await sim.close();
  }
});

Deno.test("sync --conversations-only leaves tickets and companies to the next sync", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 40, seed: 21 });
  try {
    assert.ok(sim.workspace.tickets.length > 0 && sim.workspace.companies.length > 0);
    const paths: string[] = [];
    sim.onRequest = ({ path }) => paths.push(path);
    const only = await runCli(["sync", "--all", "--conversations-only", "--json"], {
      env: envFor(box, sim),
    });
    assert.equal(only.code, 0, only.stderr);
    const summary = JSON.parse(only.stdout);
    assert.equal(summary.conversations_fetched, 40);
    assert.deepEqual(summary.streams, []);
    assert.ok(summary.conversation_seconds > 0);
    assert.ok(summary.conversation_seconds <= summary.duration_seconds);
    assert.deepEqual(paths.filter((p) => /ticket|compan|data_attributes/.test(p)), []);
    assert.ok(paths.some((p) => p.startsWith("/conversations/")));
    {
      using store = openStore(box);
      assertStoreEqualsWorkspace(store, sim.workspace);
      assert.equal(store.support.counts().tickets, 0);
      assert.equal(store.support.counts().companies, 0);
    }
    // a later sync brings them (--all: their whole history, as for a first sync)
    const next = await runCli(["sync", "--all", "--json"], { env: envFor(box, sim) });
    assert.equal(next.code, 0, next.stderr);
    const streams = JSON.parse(next.stdout).streams as { stream: string; stored: number }[];
    assert.deepEqual(streams.map((s) => s.stream).sort(), ["companies", "tickets"]);
    using store = openStore(box);
    assert.equal(store.support.counts().tickets, sim.workspace.tickets.length);
  } finally {
    await sim.close();
  }
});
