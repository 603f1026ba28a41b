import assert from "node:assert/strict";
import { join } from "node:path";
import { getLogger, type LogRecord } from "@logtape/logtape";
import {
  componentOf,
  getJsonLineFormatter,
  setLogProcess,
  setupLogging,
  shutdownLogging,
} from "../../lib/logging/logging.ts";
import { clearSecrets, registerSecret } from "../../lib/logging/redact.ts";
import { createTerminal } from "../../lib/logging/terminal.ts";

function record(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    category: ["fast-intercom", "sync"],
    level: "info",
    message: ["fetched ", 12, " conversations"],
    rawMessage: "fetched {n} conversations",
    timestamp: Date.UTC(2026, 6, 1, 15, 30, 22, 123),
    properties: { n: 12 },
    ...overrides,
  };
}

Deno.test("getJsonLineFormatter() writes the documented fields, UTC with Z, one line", () => {
  const format = getJsonLineFormatter({ sessionId: "sess-1", pid: 42 });
  const line = format(record());
  assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"));
  assert.deepEqual(JSON.parse(line), {
    timestamp: "2026-07-01T15:30:22.123Z",
    level: "info",
    component: "sync",
    message: "fetched 12 conversations",
    session_id: "sess-1",
    pid: 42,
    n: 12,
  });
});

Deno.test("getJsonLineFormatter() redacts secrets in messages and secret-named properties", () => {
  clearSecrets();
  registerSecret("tok_live_abcdef");
  const format = getJsonLineFormatter({ sessionId: "s", pid: 1 });
  const line = format(record({
    message: ["calling with ", "tok_live_abcdef", ""],
    properties: { token: "anything", headers: { Authorization: "Bearer xyz" } },
  }));
  assert.ok(!line.includes("tok_live_abcdef"));
  assert.ok(!line.includes("xyz"));
  assert.match(line, /\[REDACTED\]/);
  clearSecrets();
});

Deno.test("componentOf() names the category below the root, dotted", () => {
  assert.equal(componentOf(["fast-intercom", "api"]), "api");
  assert.equal(componentOf(["fast-intercom", "sync", "api"]), "sync.api");
  assert.equal(componentOf(["fast-intercom"]), "app");
  assert.equal(componentOf(["other", "x"]), "other.x");
});

Deno.test("setupLogging() routes by component and level; console on stderr only", async () => {
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  const writer = {
    writeSync(p: Uint8Array) {
      lines.push(new TextDecoder().decode(p));
      return p.length;
    },
  };
  try {
    await setupLogging({
      logDir: dir,
      level: "info",
      consoleLevel: "warning",
      sessionId: "sess-route",
      terminal: createTerminal({ writer, isTTY: false, env: () => undefined }),
    });
    const tapped: string[] = [];
    setLogProcess({ processId: "sync-x", write: (l) => tapped.push(l) });
    getLogger(["fast-intercom", "sync"]).info("page committed");
    getLogger(["fast-intercom", "api"]).debug("request detail");
    getLogger(["fast-intercom", "api"]).warning("retrying after 502");
    getLogger(["fast-intercom", "store"]).error("database is locked");
    await shutdownLogging();
    const read = async (name: string) =>
      (await Deno.readTextFile(join(dir, name))).trim().split("\n").filter(Boolean).map((l) =>
        JSON.parse(l)
      );
    const main = await read("main.log");
    assert.deepEqual(main.map((l) => l.message), [
      "page committed",
      "retrying after 502",
      "database is locked",
    ]);
    assert.ok(main.every((l) => l.session_id === "sess-route" && l.process_id === "sync-x"));
    assert.deepEqual((await read("sync.log")).map((l) => l.message), ["page committed"]);
    assert.deepEqual((await read("errors.log")).map((l) => l.message), ["database is locked"]);
    const consoleText = lines.join("");
    assert.match(consoleText, /retrying after 502/);
    assert.match(consoleText, /database is locked/);
    assert.doesNotMatch(consoleText, /page committed/);
    assert.equal(tapped.length, 3);
  } finally {
    await shutdownLogging();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("shutdownLogging() waits for the archive pass setupLogging() started: no rotated log is left claimed and half compressed when the process exits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // a rotated log, untouched for an hour, big enough that compressing it outlasts a shutdown
    const rotated = join(dir, "main.log.1");
    const line = JSON.stringify({
      timestamp: "2026-12-05T06:15:01.123Z",
      level: "info",
      component: "sync",
      message: "page committed",
    });
    await Deno.writeTextFile(rotated, `${line}\n`.repeat(100_000));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await Deno.utime(rotated, anHourAgo, anHourAgo);
    await setupLogging({
      logDir: dir,
      level: "info",
      consoleLevel: "off",
      sessionId: "sess-archive",
      archive: { maxFiles: 50, maxDays: 30 },
    });
    await shutdownLogging();
    const names: string[] = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.filter((n) => n.startsWith("main.log.") || n.includes(".tmp")), []);
    assert.ok(names.includes("main.20261205T061501123Z.log.gz"), names.join(", "));
  } finally {
    await shutdownLogging();
    await Deno.remove(dir, { recursive: true });
  }
});
