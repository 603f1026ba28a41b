import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { parseLogHead } from "../../lib/logs/entry.ts";
import { buildLogFilter, matchesHead, prepareFilter } from "../../lib/logs/filter.ts";
import { rawHeadCheck } from "../../lib/logs/raw_head.ts";

const NOW = Date.UTC(2026, 6, 1, 12);

/** The head check of `flags` on one line, as a scan would call it. */
function check(flags: Parameters<typeof buildLogFilter>[0], stopIso: string | null = null) {
  const head = rawHeadCheck(prepareFilter(buildLogFilter(flags, { now: NOW })), { stopIso });
  assert.ok(head !== null, JSON.stringify(flags));
  return (line: string): boolean => {
    const bytes = new TextEncoder().encode(line);
    const text = Buffer.from(bytes).toString("latin1");
    return head({ view: new DataView(bytes.buffer), text }, 0, bytes.length);
  };
}

/** What the full checks say of a line (kept when its head cannot be read: parsing decides). */
function slow(flags: Parameters<typeof buildLogFilter>[0]) {
  const filter = prepareFilter(buildLogFilter(flags, { now: NOW }));
  return (line: string): boolean => {
    const head = parseLogHead(line);
    return head === null || matchesHead(filter, head);
  };
}

const line = (ts: string, level: string, component: string, rest = ',"message":"m"}') =>
  `{"timestamp":"${ts}","level":"${level}","component":"${component}"${rest}`;
const T = "2026-07-01T11:30:00.000Z";

/** Lines our formatter writes: the check must decide each the way the full checks do. */
const STANDARD = [
  ...["trace", "debug", "info", "warning", "error", "fatal"].map((l) => line(T, l, "sync")),
  line(T, "info", "api"),
  line(T, "info", "sync.api"),
  line(T, "error", "x.sync"),
  line(T, "error", "syncer"),
  line(T, "error", "SYNC"),
  line(T, "WARNING", "sync"), // read as is by the head: an unknown level ranks as info
  line(T, "notice", "api"),
  line("2026-07-01T10:59:59.999Z", "error", "sync"),
  line("2026-07-01T11:59:59.999Z", "error", "sync"),
  line(T, "error", "sync", ',"message":"caf\u00e9 \u2014 \ud83d\ude00"}'), // non-ASCII after the head
];

/** Lines the check must keep whatever the filter, for the full checks to decide. */
const UNUSUAL = [
  '{"level":"debug","timestamp":"2026-07-01T11:30:00.000Z","component":"api","message":"m"}',
  '{"timestamp": "2026-07-01T11:30:00.000Z", "level": "debug", "component": "api"}',
  line(T, "debug", 'a\\"b'), // an escaped quote in the component
  line("2026-07-01T11:30:0\u00e9.000Z", "debug", "api"), // a non-ASCII time moves every field
  // 24 bytes but 23 characters: the decoded line holds its fields one place earlier, so the
  // full checks parse it whole (and Date.parse reads this time, whatever the comment says)
  line("  Jul 01 2026 11:30 (\u00e9)", "error", "sync"),
  line(T, "debug", "\u212aafka"), // the Kelvin sign lower-cases to an ASCII k
  line(T, "debug", "s\u00ffnc"),
  line(T, "debu\u00e9", "api"),
  '{"timestamp":"2026-07-01T11:30:00.000Z","level":"debug"',
  "",
  "not json at all",
];

const FILTERS: Parameters<typeof buildLogFilter>[0][] = [
  { level: "error" },
  { level: "warning..warning" },
  { level: "..debug" },
  { level: "info" },
  { component: ["sync"] },
  { component: ["api", "kafka"] },
  { component: ["sync"], level: "info" },
  { since: "2026-07-01T11:00:00Z" },
  { until: "2026-07-01T11:45:00Z" },
  { since: "2026-07-01T11:00:00Z", until: "2026-07-01T11:45:00Z", level: "warning" },
];

Deno.test("rawHeadCheck() rejects a line our formatter writes exactly when matchesHead() does", () => {
  for (const flags of FILTERS) {
    const [fast, full] = [check(flags), slow(flags)];
    for (const text of STANDARD) {
      assert.equal(fast(text), full(text), `${JSON.stringify(flags)} on ${text}`);
    }
  }
});

Deno.test("rawHeadCheck() never rejects a line of another shape, escapes or non-ASCII that the full checks keep", () => {
  let kept = 0;
  for (const flags of FILTERS) {
    const [fast, full] = [check(flags), slow(flags)];
    for (const text of UNUSUAL) {
      if (full(text)) {
        kept++;
        assert.equal(fast(text), true, `${JSON.stringify(flags)} on ${text}`);
      }
    }
  }
  assert.ok(kept > 30, `only ${kept} cases the full checks keep`);
  // among them: the Kelvin sign lower-cases to an ASCII "k"
  assert.equal(slow({ component: ["kafka"] })(line(T, "debug", "\u212aafka")), true);
  assert.equal(check({ component: ["kafka"] })(line(T, "debug", "\u212aafka")), true);
});

Deno.test("rawHeadCheck() keeps a line past the stop time, so the reader sees it and stops", () => {
  const stop = "2026-07-01T11:45:05.000Z";
  const fast = check({ level: "error", until: "2026-07-01T11:45:00Z" }, stop);
  assert.equal(fast(line("2026-07-01T11:45:03.000Z", "debug", "api")), false, "before the stop");
  assert.equal(fast(line("2026-07-01T11:45:05.001Z", "debug", "api")), true, "past the stop");
  assert.equal(fast(line("2026-07-01T11:44:00.000Z", "error", "api")), true);
});

Deno.test("rawHeadCheck() is null for a filter without head fields, or a stop it cannot compare", () => {
  const filter = prepareFilter(buildLogFilter({ filter: ["x"] }));
  assert.equal(rawHeadCheck(filter), null);
  const levels = prepareFilter(buildLogFilter({ level: "error" }));
  assert.equal(rawHeadCheck(levels, { stopIso: "+010000-01-01T00:00:00.000Z" }), null);
});
