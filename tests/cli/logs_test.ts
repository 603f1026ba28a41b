import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { cliCommand, makeSandbox, runCli } from "../_fixtures/cli.ts";

function line(iso: string, level: string, component: string, message: string): string {
  return JSON.stringify({ timestamp: iso, level, component, message, session_id: "s", pid: 1 }) +
    "\n";
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Reads a child's stdout into a growing string. */
function reader(stream: ReadableStream<Uint8Array>) {
  const state = { text: "" };
  const done = (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) state.text += chunk;
  })();
  return {
    state,
    done,
    async waitFor(pattern: RegExp, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(state.text) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(state.text, pattern);
    },
  };
}

async function appendFromOtherProcess(path: string, text: string): Promise<void> {
  const out = await new Deno.Command("sh", {
    args: ["-c", 'printf "%s" "$1" >> "$2"', "sh", text, path],
  }).output();
  assert.equal(out.code, 0);
}

Deno.test("logs rejects bad times, levels and regexes with exit code 2", async () => {
  await using box = await makeSandbox();
  const cases: [string[], RegExp][] = [
    [
      ["logs", "show", "--since", "yesterdayish"],
      /cannot parse --since "yesterdayish": use a duration/,
    ],
    [["logs", "errors", "--until", "soon"], /cannot parse --until "soon"/],
    [["logs", "export", "--level", "loud"], /--level "loud" is not valid/],
    [["logs", "show", "--filter", "(oops"], /--filter "\(oops" is not a valid regular expression/],
    [["logs", "show", "--follow", "--until", "1h"], /--until cannot be combined with --follow/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args, { env: box.env });
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, message);
    assert.match(run.stderr, args.includes("yesterdayish") ? /today.*yesterday.*ISO/ : /./);
  }
});

Deno.test("logs show --follow streams lines another process appends, across rotation and truncation", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  const path = join(box.logDir, "main.log");
  await Deno.writeTextFile(
    path,
    line(ago(5000), "info", "sync", "old one") + line(ago(4000), "info", "sync", "old two"),
  );
  const child = cliCommand(["logs", "show", "--follow", "-n", "1", "--component", "sync"], {
    env: box.env,
  }).spawn();
  const out = reader(child.stdout);
  try {
    await out.waitFor(/old two/);
    await appendFromOtherProcess(
      path,
      line(ago(0), "info", "api", "other component") + line(ago(0), "info", "sync", "appended"),
    );
    await out.waitFor(/appended/);
    await Deno.rename(path, `${path}.1`);
    await appendFromOtherProcess(path, line(ago(0), "warning", "sync", "after rotation"));
    await out.waitFor(/after rotation/);
    await Deno.truncate(path, 0);
    await new Promise((r) => setTimeout(r, 150));
    await appendFromOtherProcess(path, line(ago(0), "error", "sync", "after truncation"));
    await out.waitFor(/after truncation/);
  } finally {
    child.kill("SIGINT");
  }
  const status = await child.status;
  await out.done;
  const stderr = await new Response(child.stderr).text();
  assert.equal(status.code, 0, `Ctrl-C exits 0 (${stderr})`);
  const messages = out.state.text.trim().split("\n").map((l) => l.replace(/^\S+ \S+\s+sync: /, ""));
  assert.deepEqual(messages, ["old two", "appended", "after rotation", "after truncation"]);
  assert.doesNotMatch(out.state.text, /old one|other component/);
});

Deno.test("logs show --json and logs errors --summary --json read the sandbox's logs", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  const lines =
    line(ago(7_200_000), "error", "sync", "sync failed: token rejected by Intercom (401): old") +
    line(ago(60_000), "info", "sync", "Syncing") +
    line(
      ago(30_000),
      "error",
      "sync",
      "sync failed: Intercom API GET /tags failed after 6 attempts (server error: HTTP 503)",
    );
  await Deno.writeTextFile(join(box.logDir, "main.log"), lines);
  const show = await runCli(["logs", "show", "--json", "--since", "1h"], { env: box.env });
  assert.equal(show.code, 0, show.stderr);
  const entries = show.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(entries.map((e) => e.message), [
    "Syncing",
    "sync failed: Intercom API GET /tags failed after 6 attempts (server error: HTTP 503)",
  ]);
  assert.deepEqual(Object.keys(entries[0]), [
    "timestamp",
    "level",
    "component",
    "message",
    "session_id",
    "pid",
    "process_id",
    "properties",
  ]);
  const summary = await runCli(["logs", "errors", "--summary", "--json"], { env: box.env });
  assert.equal(summary.code, 0, summary.stderr);
  const json = JSON.parse(summary.stdout);
  assert.equal(json.total, 1, "--since defaults to 1h");
  assert.equal(json.categories[0].category, "api");
  assert.deepEqual(json.categories[0].kinds, { server_error: 1 });
  assert.match(json.suggested_actions[0].action, /HTTP 503/);
  const human = await runCli(["logs", "errors", "--summary", "--since", "1d"], { env: box.env });
  assert.match(human.stdout, /Error summary since .*: 2 errors, 0 warnings/);
  assert.match(human.stdout, /API: {5,}2 errors, 0 warnings \(auth 1, server error 1\)/);
  assert.match(human.stdout, /Suggested actions:\n {2}• Intercom rejected the access token once/);
});

Deno.test("logs export refuses to overwrite without --force and writes CSV with mode 0600", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  await Deno.writeTextFile(
    join(box.logDir, "main.log"),
    line(ago(1000), "error", "sync", 'failed, "quoted"\nsecond line'),
  );
  const output = join(box.dir, "out.csv");
  await Deno.writeTextFile(output, "keep me");
  const refused = await runCli(["logs", "export", "--format", "csv", "--output", output], {
    env: box.env,
  });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /out\.csv" already exists: pass --force/);
  assert.equal(await Deno.readTextFile(output), "keep me");
  const forced = await runCli(
    ["logs", "export", "--format", "csv", "--output", output, "--force"],
    {
      env: box.env,
    },
  );
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /Exported 1 lines \(csv\) to /);
  const csv = await Deno.readTextFile(output);
  assert.match(csv, /^timestamp,level,component,message,session_id,pid,process_id,properties\r\n/);
  assert.match(csv, /,error,sync,"failed, ""quoted""\nsecond line",s,1,,\r\n$/);
  assert.equal((await Deno.stat(output)).mode! & 0o777, 0o600);
  const stdout = await runCli(["logs", "export", "--format", "json"], { env: box.env });
  assert.equal(JSON.parse(stdout.stdout)[0].message, 'failed, "quoted"\nsecond line');
});

Deno.test("logs export with no matching line: empty ndjson and text, [] in json, the header in csv", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.logDir, { recursive: true });
  await Deno.writeTextFile(join(box.logDir, "main.log"), line(ago(1000), "error", "sync", "x"));
  const expected: Record<string, string> = {
    ndjson: "",
    text: "",
    json: "[]\n",
    csv: "timestamp,level,component,message,session_id,pid,process_id,properties\r\n",
  };
  const runs = await Promise.all(
    Object.keys(expected).map((format) =>
      runCli(["logs", "export", "--format", format, "--component", "nomatch"], { env: box.env })
    ),
  );
  for (const [i, format] of Object.keys(expected).entries()) {
    assert.equal(runs[i]!.code, 0, runs[i]!.stderr);
    assert.equal(runs[i]!.stdout, expected[format], format);
  }
  // to a file: the same bytes (an empty file for ndjson)
  const output = join(box.dir, "none.ndjson");
  const file = await runCli(
    ["logs", "export", "--format", "ndjson", "--component", "nomatch", "--output", output],
    { env: box.env },
  );
  assert.equal(file.code, 0, file.stderr);
  assert.match(file.stderr, /Exported 0 lines \(ndjson\)/);
  assert.equal(await Deno.readTextFile(output), "");
});

Deno.test("after a sync with server errors, the logs point the right way", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 60, seed: 21, faults: { "500": 0.15 } });
  try {
    const env = {
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    };
    const sync = await runCli(["sync", "--all", "--json"], { env });
    assert.equal(sync.code, 0, sync.stderr);
    // the sync's API retries are found under --component sync
    const show = await runCli([
      "logs",
      "show",
      "--component",
      "sync",
      "--level",
      "warning",
      "--json",
    ], {
      env,
    });
    assert.equal(show.code, 0, show.stderr);
    const warnings = show.stdout.trim().split("\n").filter((l) => l !== "").map((l) =>
      JSON.parse(l)
    );
    assert.ok(warnings.length > 0, "retry warnings are shown");
    for (const w of warnings) {
      assert.equal(w.component, "sync.api");
      assert.equal(w.level, "warning");
      assert.match(w.message, /^Retrying .* after server error \(HTTP 500/);
    }
    const errors = await runCli(["logs", "errors"], { env });
    assert.match(errors.stdout, /^No errors since \S+\.\n$/);
    const listed = await runCli(["logs", "errors", "--level", "warning", "--json"], { env });
    const rows = listed.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(rows.length, Math.min(20, warnings.length), "--level warning is honoured");
    assert.ok(rows.every((r) => r.kind === "server_error" && r.level === "warning"));
    const summary = await runCli(["logs", "errors", "--summary"], { env });
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(
      summary.stdout,
      new RegExp(`: 0 errors, ${warnings.length} warnings?\\n`),
    );
    assert.match(summary.stdout, /• API: +0 errors, \d+ warnings? \(server error \d+\)/);
    assert.match(
      summary.stdout,
      /Recovered from \(warnings\):\n {2}• Intercom answered with server errors \(HTTP 500\) \d+ times?; each request was retried/,
    );
    assert.doesNotMatch(summary.stdout, /Suggested actions/);
    const none = await runCli(["logs", "show", "--component", "mcp"], { env });
    assert.equal(none.code, 0);
    assert.equal(none.stdout, `No log lines in ${box.logDir} (component mcp).\n`);
  } finally {
    await sim.close();
  }
});
