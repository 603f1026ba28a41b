import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { levelRank, parseLogHead } from "../../lib/logs/entry.ts";
import {
  buildLogFilter,
  literalsOf,
  matchesHead,
  matchLine,
  parseComponents,
  parseFilterPattern,
  prepareFilter,
} from "../../lib/logs/filter.ts";

const NOW = Date.UTC(2026, 6, 1, 15, 30, 22); // 2026-07-01T15:30:22Z

function line(ts: string, level: string, component: string, message: string, extra = {}) {
  return JSON.stringify({
    timestamp: ts,
    level,
    component,
    message,
    session_id: "sess-a",
    pid: 1,
    process_id: "sync-a",
    ...extra,
  });
}

Deno.test("buildLogFilter() accepts every --since form relative to now", () => {
  const cases: [string, number][] = [
    ["30s", NOW - 30_000],
    ["15m", NOW - 900_000],
    ["1h", NOW - 3_600_000],
    ["2d", NOW - 172_800_000],
    ["1h30m", NOW - 5_400_000],
    ["today", Date.UTC(2026, 6, 1)],
    ["yesterday", Date.UTC(2026, 5, 30)],
    ["2 days ago", NOW - 172_800_000],
    ["3 hours ago", NOW - 10_800_000],
    ["2026-06-30", Date.UTC(2026, 5, 30)],
    ["2026-06-30 12:15", Date.UTC(2026, 5, 30, 12, 15)],
    ["2026-06-30T12:15:30Z", Date.UTC(2026, 5, 30, 12, 15, 30)],
    ["2026-06-30T12:15:30+02:00", Date.UTC(2026, 5, 30, 10, 15, 30)],
  ];
  for (const [text, expected] of cases) {
    assert.equal(buildLogFilter({ since: text }, { now: NOW }).since, expected, text);
  }
});

Deno.test("buildLogFilter() makes --until inclusive to the end of its second", () => {
  const filter = buildLogFilter({ until: "2026-06-30T12:00:00Z" }, { now: NOW });
  assert.equal(filter.until, Date.UTC(2026, 5, 30, 12) + 999);
  assert.equal(buildLogFilter({}, { now: NOW, defaultSince: "1h" }).since, NOW - 3_600_000);
});

Deno.test("buildLogFilter() rejects a bad time with exit code 2, listing the accepted forms", () => {
  for (const [flag, text] of [["since", "yesterdayish"], ["until", "next week"]] as const) {
    assert.throws(() => buildLogFilter({ [flag]: text }, { now: NOW }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, new RegExp(`cannot parse --${flag} "${text}"`));
      assert.match(error.message, /30s, 15m, 2h.*today.*yesterday.*days.*ago.*ISO date/);
      return true;
    });
  }
  assert.throws(
    () => buildLogFilter({ since: "1h", until: "2h" }, { now: NOW }),
    /--since "1h" is after --until "2h"/,
  );
});

Deno.test("parseComponents() splits on commas, lower-cases and rejects odd names", () => {
  assert.deepEqual([...parseComponents(["sync", "API,store", " mcp "])], [
    "sync",
    "api",
    "store",
    "mcp",
  ]);
  assert.throws(() => parseComponents(["sy nc"]), InputError);
});

Deno.test("parseFilterPattern() turns grep's \\| into alternation and rejects bad regexes", () => {
  const pattern = parseFilterPattern("Syncing\\|failed");
  assert.ok(pattern.test("sync failed"));
  assert.ok(pattern.test("Syncing page"));
  assert.ok(!pattern.test("stored"));
  assert.ok(parseFilterPattern("a\\\\|b").test("a\\|b"), "an escaped backslash stays one");
  assert.throws(() => parseFilterPattern("(unclosed"), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /--filter "\(unclosed" is not a valid regular expression/);
    return true;
  });
});

Deno.test("matchesHead() keeps lines at the --since boundary and drops the one before", () => {
  const filter = prepareFilter(
    buildLogFilter({ since: "2026-07-01T10:00:00Z", until: "2026-07-01T11:00:00Z" }, { now: NOW }),
  );
  const at = (ts: string) => ({ timestamp: ts, level: "info", component: "sync" });
  assert.ok(!matchesHead(filter, at("2026-07-01T09:59:59.999Z")));
  assert.ok(matchesHead(filter, at("2026-07-01T10:00:00.000Z")));
  assert.ok(matchesHead(filter, at("2026-07-01T11:00:00.999Z")));
  assert.ok(!matchesHead(filter, at("2026-07-01T11:00:01.000Z")));
});

Deno.test("matchesHead() applies level ranges and components", () => {
  const filter = prepareFilter(
    buildLogFilter({ level: "warning..error", component: ["sync,API"] }, { now: NOW }),
  );
  const head = (level: string, component: string) => ({
    timestamp: "2026-07-01T10:00:00.000Z",
    level,
    component,
  });
  assert.ok(matchesHead(filter, head("warning", "sync")));
  assert.ok(matchesHead(filter, head("error", "api")));
  assert.ok(!matchesHead(filter, head("info", "sync")));
  assert.ok(!matchesHead(filter, head("fatal", "sync")));
  assert.ok(!matchesHead(filter, head("error", "store")));
  assert.equal(levelRank("mystery"), levelRank("info"));
});

Deno.test("matchLine() matches patterns against 'LEVEL component: message', all required", () => {
  const raw = line("2026-07-01T10:00:00.000Z", "error", "sync", 'sync failed: "HTTP 503"');
  const keep = (flags: Parameters<typeof buildLogFilter>[0]) =>
    matchLine(prepareFilter(buildLogFilter(flags, { now: NOW })), parseLogHead(raw)!, raw);
  assert.ok(keep({ filter: ["ERROR"] }));
  assert.ok(keep({ filter: ["^ERROR sync: sync failed"] }));
  assert.ok(keep({ filter: ["failed", '"HTTP 5\\d\\d"'] }));
  assert.equal(keep({ filter: ["failed", "HTTP 401"] }), null);
  assert.ok(keep({ filter: ["nothing\\|503"] }));
  assert.ok(keep({ session: "sess-a", process: "sync-a" }));
  assert.equal(keep({ session: "sess-b" }), null);
  assert.equal(keep({ process: "sync" }), null, "ids match exactly, not as prefixes");
});

Deno.test("literalsOf() finds plain-string patterns and leaves real regexes alone", () => {
  const cases: [string, string[] | null][] = [
    ["Retrying GET", ["Retrying GET"]],
    ["sync failed\\|timeout", ["sync failed", "timeout"]],
    ["GET /me\\?x", ["GET /me?x"]],
    ["HTTP 5\\d\\d", null],
    ["^ERROR", null],
    ["a.b", null],
    ["a|", null],
    ['say "hi"', null],
  ];
  for (const [text, expected] of cases) {
    assert.deepEqual(literalsOf(parseFilterPattern(text)), expected, text);
  }
});

Deno.test("matchLine() with plain strings agrees with the regex, prefix and escapes included", () => {
  const lines = [
    line("2026-07-01T10:00:00.000Z", "error", "sync", "sync failed: x"),
    line("2026-07-01T10:00:00.000Z", "info", "sync", "Stored page 3"),
    line("2026-07-01T10:00:00.000Z", "info", "api", 'quoted "Stored" text'),
    line("2026-07-01T10:00:00.000Z", "warning", "api", "tab\there"),
  ];
  const patterns = [
    "ERROR sync",
    "sync: Stored",
    "Stored",
    "INFO",
    "G api: tab",
    "x|page",
    "nothing",
  ];
  for (const text of patterns) {
    const filter = prepareFilter(buildLogFilter({ filter: [text] }, { now: NOW }));
    const regex = parseFilterPattern(text);
    for (const raw of lines) {
      const head = parseLogHead(raw)!;
      const entry = JSON.parse(raw);
      const expected = regex.test(
        `${entry.level.toUpperCase()} ${entry.component}: ${entry.message}`,
      );
      assert.equal(matchLine(filter, head, raw) !== null, expected, `${text} on ${raw}`);
    }
  }
});
