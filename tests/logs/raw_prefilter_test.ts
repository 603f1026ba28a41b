import assert from "node:assert/strict";
import { buildLogFilter, prepareFilter } from "../../lib/logs/filter.ts";
import {
  filterNeedles,
  needleSafe,
  rawPrefilter,
  requiredPrefix,
} from "../../lib/logs/raw_prefilter.ts";

const needlesOf = (flags: Parameters<typeof buildLogFilter>[0]) =>
  filterNeedles(prepareFilter(buildLogFilter(flags)));

Deno.test("needleSafe() refuses strings that could match in the LEVEL component: prefix", () => {
  for (const safe of ["Retrying GET", "database is locked", "HTTP 503", "sync failed", "café"]) {
    assert.equal(needleSafe(safe), true, safe);
  }
  for (
    const unsafe of [
      "ERROR", // the upper-case level word exists only in the filter text
      "R sync", // the end of a level word and a component
      "sync: sync failed", // spans the prefix's end
      " failed", // could start at the prefix's last space
      "api", // a component name, or part of one
      'say "hi"', // JSON escapes quotes in the raw line
      "tab\there", // and control characters
      "ab", // too short to be worth it
    ]
  ) assert.equal(needleSafe(unsafe), false, unsafe);
});

Deno.test("filterNeedles() picks an id, else a pattern's plain strings, else a regex's plain prefix", () => {
  assert.deepEqual(needlesOf({ session: "sess-1234" }), ["sess-1234"]);
  assert.deepEqual(needlesOf({ process: "sync-77" }), ["sync-77"]);
  assert.deepEqual(needlesOf({ filter: ["Retrying GET|HTTP 503"] }), ["Retrying GET", "HTTP 503"]);
  assert.deepEqual(needlesOf({ filter: ["HTTP 5\\d\\d"] }), ["HTTP 5"]);
  assert.equal(needlesOf({ level: "error" }), null, "levels are head checks, not needles");
  assert.equal(needlesOf({ filter: ["(HTTP|http) 5\\d\\d"] }), null, "no plain prefix");
  assert.equal(needlesOf({ filter: ["ERROR sync"] }), null, "only in the LEVEL component: text");
});

Deno.test("rawPrefilter() has a head check only when the filter checks a head field", () => {
  const of = (flags: Parameters<typeof buildLogFilter>[0]) =>
    rawPrefilter(prepareFilter(buildLogFilter(flags, { now: Date.UTC(2026, 6, 1) })));
  assert.equal(of({}).head, null);
  assert.equal(of({ filter: ["Retrying GET"] }).head, null);
  for (const flags of [{ level: "info" }, { component: ["sync"] }, { since: "1h" }]) {
    assert.equal(typeof of(flags).head, "function", JSON.stringify(flags));
  }
  assert.deepEqual(of({ level: "error", filter: ["is locked"] }).needles, ["is locked"]);
});

Deno.test("requiredPrefix() finds the plain text a regex match starts with", () => {
  const cases: [RegExp, string | null][] = [
    [/HTTP 5\d\d/, "HTTP 5"],
    [/database is locked/, "database is locked"],
    [/timeouts?/, "timeout"],
    [/GET \/me\?x/, "GET /me?x"],
    [/sync (failed|done)/, null],
    [/^sync/, null],
    [/ab\d/, null],
    [/http 5/i, null],
  ];
  for (const [pattern, expected] of cases) {
    assert.equal(requiredPrefix(pattern), expected, String(pattern));
  }
});
