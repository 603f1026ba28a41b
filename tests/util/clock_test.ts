import assert from "node:assert/strict";
import { isoFromSeconds } from "../../lib/util/clock.ts";

Deno.test("isoFromSeconds() writes UTC with Z, milliseconds only when there are some", () => {
  assert.equal(isoFromSeconds(0), "1970-01-01T00:00:00Z");
  assert.equal(isoFromSeconds(1_767_225_600), "2026-01-01T00:00:00Z");
  assert.equal(isoFromSeconds(1.25), "1970-01-01T00:00:01.250Z");
  assert.equal(isoFromSeconds(253_402_300_800), "+010000-01-01T00:00:00Z");
});
