import assert from "node:assert/strict";
import { join } from "node:path";
import { parseLogEntry } from "../../lib/logs/entry.ts";
import { buildLogFilter } from "../../lib/logs/filter.ts";
import {
  newestErrors,
  recoveredAction,
  suggestAction,
  summarizeErrors,
} from "../../lib/logs/errors.ts";

const NOW = Date.UTC(2026, 6, 1, 12);
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

function line(
  minutesAgo: number,
  level: string,
  component: string,
  message: string,
  session = "s1",
) {
  return JSON.stringify({
    timestamp: at(minutesAgo),
    level,
    component,
    message,
    session_id: session,
    pid: 1,
  }) + "\n";
}

async function makeLogs(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "log-errors-" });
  const lines = [
    line(120, "error", "sync", "sync failed: token rejected by Intercom (401): old", "s0"),
    line(
      50,
      "error",
      "sync",
      "sync failed: Could not reach Intercom at api.eu.intercom.io for GET /me after 6 attempts (connection error: refused)",
      "s1",
    ),
    line(
      49,
      "error",
      "cli",
      "command failed: NetworkError: Could not reach Intercom at api.eu.intercom.io",
      "s1",
    ),
    line(40, "warning", "api", "Retrying GET /me in 250 ms after server error (HTTP 502)", "s2"),
    line(
      30,
      "error",
      "sync",
      "sync failed: Intercom API GET /admins failed after 6 attempts (server error: HTTP 503: x)",
      "s2",
    ),
    line(
      20,
      "error",
      "sync",
      "sync failed: Intercom API GET /tags failed after 6 attempts (server error: HTTP 500: y)",
      "s3",
    ),
    line(
      10,
      "fatal",
      "store",
      'cannot open store at "/d/data.db": database disk image is malformed',
      "s4",
    ),
    line(
      5,
      "error",
      "cli",
      "command failed: ConfigError: config file /d/config.json is not valid JSON",
      "s5",
    ),
  ];
  await Deno.writeTextFile(join(dir, "main.log"), lines.join(""));
  await Deno.writeTextFile(
    join(dir, "errors.log"),
    lines.filter((l) => !l.includes('"warning"')).join(""),
  );
  return dir;
}

Deno.test("summarizeErrors() counts each failure once by category, with first/last and example", async () => {
  const dir = await makeLogs();
  try {
    const errorsOnly = await summarizeErrors(
      dir,
      buildLogFilter({ level: "error" }, { now: NOW, defaultSince: "1h" }),
    );
    assert.equal(errorsOnly.total, 5, "the 2-hour-old error is outside; the exit repeat dropped");
    assert.equal(errorsOnly.warnings, 0, "--level error leaves the warnings out");
    const summary = await summarizeErrors(
      dir,
      buildLogFilter({}, { now: NOW, defaultSince: "1h", defaultLevel: "warning" }),
    );
    assert.deepEqual([summary.total, summary.errors, summary.warnings], [6, 5, 1]);
    assert.equal(summary.since, NOW - 3_600_000);
    const byCategory = Object.fromEntries(summary.categories.map((c) => [c.category, c]));
    assert.deepEqual(summary.categories.map((c) => c.category), [
      "api",
      "network",
      "database",
      "sync",
      "config",
      "resources",
      "other",
    ]);
    assert.deepEqual(
      [byCategory.api!.count, byCategory.api!.errors, byCategory.api!.warnings],
      [3, 2, 1],
      "errors and warnings counted apart",
    );
    assert.deepEqual(byCategory.api!.kinds, { server_error: 3 });
    assert.equal(byCategory.api!.firstSeen, at(40));
    assert.equal(byCategory.api!.lastSeen, at(20));
    assert.match(byCategory.api!.example!.message, /GET \/tags/, "the example is the newest");
    assert.equal(byCategory.network!.count, 1);
    assert.equal(byCategory.database!.kinds.corrupt, 1);
    assert.equal(byCategory.config!.count, 1, "an exit line with no earlier error counts");
    assert.equal(byCategory.sync!.count, 0);
    assert.equal(byCategory.sync!.example, null);
    const actions = summary.actions.map((a) => a.action).join("\n");
    assert.match(actions, /server errors \(HTTP 502, 503, 500\) 3 times/);
    assert.match(actions, /Could not reach the API \(api\.eu\.intercom\.io\) once/);
    assert.match(actions, /debug diagnose --test-database/);
    assert.match(actions, /fix the file or variable the message names/);
    assert.doesNotMatch(actions, /token/, "no advice for errors that were not seen");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summarizeErrors() reports zero honestly when there are no errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-errors-" });
  try {
    const summary = await summarizeErrors(dir, buildLogFilter({ since: "1h" }, { now: NOW }));
    assert.equal(summary.total, 0);
    assert.deepEqual(summary.actions, []);
    assert.ok(summary.categories.every((c) => c.count === 0 && c.firstSeen === null));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("newestErrors() returns the newest N distinct errors, oldest first", async () => {
  const dir = await makeLogs();
  try {
    const errors = (flags: { since: string; component?: string[] }) =>
      buildLogFilter(flags, { now: NOW, defaultLevel: "error" });
    const newest = await newestErrors(dir, errors({ since: "3h" }), { count: 3 });
    assert.deepEqual(newest.map((e) => `${e.category}/${e.kind}`), [
      "api/server_error",
      "database/corrupt",
      "config/config",
    ]);
    const all = await newestErrors(dir, errors({ since: "3h" }), { count: 100 });
    assert.equal(all.length, 6);
    assert.equal(all[0]!.kind, "auth");
    const sync = await newestErrors(dir, errors({ since: "3h", component: ["sync"] }), {
      count: 100,
    });
    assert.equal(sync.length, 4);
    const withWarnings = await newestErrors(
      dir,
      buildLogFilter({ since: "3h", level: "warning" }, { now: NOW, defaultLevel: "error" }),
      { count: 100 },
    );
    assert.equal(withWarnings.length, 7, "--level warning lists the retry warning too");
    assert.deepEqual(
      withWarnings.filter((e) => e.severity === "warning").map((e) => e.entry.message),
      ["Retrying GET /me in 250 ms after server error (HTTP 502)"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("suggestAction() names the fix for what was seen", () => {
  const e = (message: string) =>
    parseLogEntry(
      JSON.stringify({ timestamp: at(1), level: "error", component: "sync", message }),
    )!;
  assert.match(
    suggestAction("auth", 3, []),
    /3 times: run `fast-intercom-mcp init` with a valid token/,
  );
  assert.match(
    suggestAction("timeout", 1, [
      e("Could not reach Intercom at h for GET /me (timeout: no answer within 30000 ms)"),
    ]),
    /timed out after 30000 ms \(once\).*api_timeout_seconds/,
  );
  assert.match(suggestAction("rate_limit", 2, []), /sync_concurrency|--concurrency/);
  assert.match(suggestAction("locked", 1, []), /monitor status/);
  assert.match(
    suggestAction("open_files", 2, []),
    /ran out of file descriptors \("Too many open files"\) 2 times: raise its limit \(`ulimit -n 65536`.*LimitNOFILE=65536.*--max-connections/,
  );
  assert.match(
    suggestAction("disk_full", 1, []),
    /The disk was full once: free space on the disk of the data and log directories \(`df -h`.*--data-dir, FASTINTERCOM_LOG_DIR.*resumes/,
  );
});

Deno.test("recoveredAction() says what the program went through when only warnings were seen", () => {
  const e = (message: string) =>
    parseLogEntry(
      JSON.stringify({ timestamp: at(1), level: "warning", component: "sync.api", message }),
    )!;
  assert.equal(
    recoveredAction("server_error", 12, [
      e("Retrying GET /conversations/1 in 250 ms after server error (HTTP 500: x)"),
    ]),
    "Intercom answered with server errors (HTTP 500) 12 times; each request was retried: " +
      "nothing to do unless it keeps happening (then check https://www.intercomstatus.com)",
  );
  assert.match(
    recoveredAction("rate_limit", 4, []),
    /^Intercom answered 429 \(rate limit\) 4 times; the sync waited/,
  );
});
