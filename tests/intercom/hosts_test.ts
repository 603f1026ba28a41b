import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { parseRegion, REGION_HOSTS } from "../../lib/intercom/hosts.ts";

Deno.test("REGION_HOSTS maps each region to Intercom's API host", () => {
  assert.deepEqual(REGION_HOSTS, {
    us: "https://api.intercom.io",
    eu: "https://api.eu.intercom.io",
    au: "https://api.au.intercom.io",
  });
});

Deno.test("parseRegion() accepts region names in any case and with spaces", () => {
  const table: [string, string][] = [["us", "us"], ["EU", "eu"], [" au ", "au"], ["Us", "us"]];
  for (const [input, expected] of table) assert.equal(parseRegion(input), expected, input);
});

Deno.test("parseRegion() rejects other names with a InputError naming the accepted ones", () => {
  for (const input of ["", "uk", "us-east-1", "toString", "__proto__"]) {
    assert.throws(() => parseRegion(input), (error: unknown) => {
      assert.ok(error instanceof InputError, input);
      assert.equal(error.exitCode, 2);
      assert.equal(
        error.message,
        `Unknown Intercom region "${input}": use one of us, eu, au ` +
          "(the region your workspace's data is hosted in)",
      );
      return true;
    });
  }
});
