import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { IntercomClient } from "../../lib/intercom/client.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type FaultRates,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import {
  categorizeError,
  type ErrorKind,
  ExitLineDeduper,
} from "../../lib/logs/error_categories.ts";
import { ERROR_RANK, LEVELS, parseLogEntry } from "../../lib/logs/entry.ts";
import { ALL_LINES } from "../../lib/logs/filter.ts";
import { readErrors } from "../../lib/logs/errors.ts";
import { EXIT_CATEGORY, setupLogging, shutdownLogging } from "../../lib/logging/logging.ts";
import { Store } from "../../lib/store/store.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { errorLine } from "../../lib/cli/render_error.ts";

function entry(message: string, extra: Record<string, unknown> = {}) {
  return parseLogEntry(JSON.stringify({
    timestamp: "2026-07-01T10:00:00.000Z",
    level: "error",
    component: "sync",
    message,
    session_id: "s",
    ...extra,
  }))!;
}

Deno.test("categorizeError() sorts the messages this program and SQLite write", () => {
  const cases: [string, string, ErrorKind][] = [
    ["sync failed: token rejected by Intercom (401): Access Token Invalid", "api", "auth"],
    [
      "sync failed: Intercom kept rate-limiting POST /conversations/search: 21 consecutive 429 responses",
      "api",
      "rate_limit",
    ],
    [
      "Intercom API GET /admins failed after 6 attempts (server error: HTTP 503: unavailable)",
      "api",
      "server_error",
    ],
    [
      "Could not reach Intercom at api.intercom.io for GET /me after 6 attempts (timeout: no answer within 30000 ms)",
      "api",
      "timeout",
    ],
    [
      "Could not reach Intercom at api.intercom.io for GET /me after 6 attempts (connection error: Connection refused)",
      "network",
      "unreachable",
    ],
    [
      "Intercom API GET /tags failed: HTTP 403: forbidden — the token lacks a permission",
      "api",
      "client_error",
    ],
    [
      'Intercom API GET /me returned a body that does not match the expected shape: field "app"',
      "api",
      "bad_response",
    ],
    ["sync failed: database is locked", "database", "locked"],
    ['cannot open store at "/x/data.db": database disk image is malformed', "database", "corrupt"],
    ["sync failed: disk I/O error", "database", "disk"],
    ["sync failed: database or disk is full", "resources", "disk_full"],
    ["another sync is running (pid 12): wait for it", "sync", "lock_held"],
    ["config file /x/config.json is not valid JSON (Unexpected token)", "config", "config"],
    ["sync failed: something unexpected", "sync", "sync_failed"],
  ];
  for (const [message, category, kind] of cases) {
    assert.deepEqual(categorizeError(entry(message)), { category, kind }, message);
  }
});

Deno.test("categorizeError() puts file-descriptor exhaustion and a full disk under resources", () => {
  const cases: [string, Record<string, unknown>, ErrorKind][] = [
    // the explained line run.ts logs, with the raw error kept in a property
    [
      "command failed: this process ran out of file descriptors (too many open files): raise " +
      "the limit (`ulimit -n 65536` in its shell, LimitNOFILE=65536 in a systemd unit), then " +
      "run it again",
      { error: "Http: Too many open files (os error 24)" },
      "open_files",
    ],
    ["accept failed", { error: "Http: Too many open files (os error 24)" }, "open_files"],
    ["serve: EMFILE while accepting a connection", {}, "open_files"],
    [
      "command failed: the disk holding /d/logs/main.log is full: free some space " +
      "(`df -h /d/logs/main.log`), then run the command again",
      { error: "Error: No space left on device (os error 28): write '/d/logs/main.log'" },
      "disk_full",
    ],
    ["write failed", { error: "Error: No space left on device (os error 28)" }, "disk_full"],
    ["sync failed: SQLITE_FULL", {}, "disk_full"],
  ];
  for (const [message, extra, kind] of cases) {
    assert.deepEqual(
      categorizeError(entry(message, extra)),
      { category: "resources", kind },
      message,
    );
  }
  assert.deepEqual(
    categorizeError({ ...entry("handler crashed"), component: "mcp" }),
    { category: "other", kind: "other" },
  );
  assert.deepEqual(
    categorizeError(entry("command failed", { error: "NetworkError: Could not reach Intercom" })),
    { category: "network", kind: "unreachable" },
    "properties carrying the error are read too",
  );
});

Deno.test("ExitLineDeduper drops a CLI run's closing repeat of an error it logged", () => {
  const dedupe = new ExitLineDeduper();
  const real = entry("sync failed: database is locked", { session_id: "a" });
  const exit = {
    ...entry("command failed: StoreError: database is locked", { session_id: "a" }),
    component: "cli",
  };
  const lone = {
    ...entry("command failed: ConfigError: bad", { session_id: "b" }),
    component: "cli",
  };
  assert.equal(dedupe.accept(real), true);
  assert.equal(dedupe.accept(exit), false);
  assert.equal(dedupe.accept(lone), true, "an exit line with nothing before it counts");
});

/** Runs one sync that fails, logging to `logDir` under the session `name`. */
async function failingSync(
  logDir: string,
  name: string,
  setup: {
    faults?: FaultRates;
    token?: string;
    closed?: boolean;
    timeoutMs?: number;
    lockStore?: boolean;
  },
): Promise<void> {
  await setupLogging({ logDir, level: "info", consoleLevel: "off", sessionId: name });
  const sim = await startSimulator({
    conversations: 3,
    seed: 4,
    slowMs: 400,
    ...(setup.faults ? { faults: setup.faults } : {}),
  });
  const url = sim.url;
  if (setup.closed) await sim.close();
  const path = join(logDir, `${name}.db`);
  using store = Store.open(path, { busyTimeoutMs: 20 });
  const locker = setup.lockStore ? new DatabaseSync(path) : null;
  try {
    const client = new IntercomClient({
      baseUrl: url,
      token: setup.token ?? DEFAULT_SIMULATOR_TOKEN,
      maxAttempts: 2,
      maxRateLimitWaits: 0,
      backoff: { baseMs: 1, capMs: 2 },
      timeoutMs: setup.timeoutMs ?? 5000,
    });
    const running = runSync({ store, client }, { mode: "all", sessionId: name });
    locker?.exec("BEGIN IMMEDIATE"); // after the run is recorded, before its first page
    const error = await running.then(() => null, (e: unknown) => e);
    assert.ok(error !== null, `${name}: the sync should fail`);
    // what lib/cli/run.ts logs when a command ends in an error
    getLogger(EXIT_CATEGORY).error("command failed: {summary}", {
      summary: errorLine(error),
      error,
    });
  } finally {
    locker?.exec("ROLLBACK");
    locker?.close();
    if (!setup.closed) await sim.close();
    await shutdownLogging();
  }
}

Deno.test("categorizeError() classifies the error lines of syncs against a faulty simulator", async () => {
  const logDir = await Deno.makeTempDir({ prefix: "error-categories-" });
  try {
    const runs: [string, Parameters<typeof failingSync>[2], string, ErrorKind][] = [
      ["auth", { token: "wrong-token-0000" }, "api", "auth"],
      ["http500", { faults: { "500": 1 } }, "api", "server_error"],
      ["html502", { faults: { html502: 1 } }, "api", "server_error"],
      ["slow", { faults: { slow: 1 }, timeoutMs: 40 }, "api", "timeout"],
      ["ratelimit", { faults: { "429": 1 } }, "api", "rate_limit"],
      ["truncated", { faults: { truncated: 1 } }, "api", "bad_response"],
      ["closed", { closed: true }, "network", "unreachable"],
      ["locked", { lockStore: true }, "database", "locked"],
    ];
    for (const [name, setup] of runs) await failingSync(logDir, name, setup);
    const seen = new Map<string, { category: string; kind: string; message: string }[]>();
    const errorsOnly = { ...ALL_LINES, levels: { min: ERROR_RANK, max: LEVELS.length - 1 } };
    for await (const batch of readErrors(logDir, errorsOnly)) {
      for (const e of batch) {
        const list = seen.get(e.entry.sessionId!) ?? [];
        list.push({ category: e.category, kind: e.kind, message: e.entry.message });
        seen.set(e.entry.sessionId!, list);
      }
    }
    for (const [name, , category, kind] of runs) {
      const got = seen.get(name) ?? [];
      // one failure, one error: the closing "command failed" repeat is dropped
      assert.equal(got.length, 1, `${name}: ${JSON.stringify(got)}`);
      const [error] = got;
      assert.match(error!.message, /^(sync|command) failed: /, name);
      assert.deepEqual(
        { category: error!.category, kind: error!.kind },
        { category, kind },
        `${name}: ${error!.message}`,
      );
    }
  } finally {
    await Deno.remove(logDir, { recursive: true });
  }
});
