import assert from "node:assert/strict";
import { choiceFlag, integerFlag } from "../../lib/cli/flag_types.ts";
import { UsageError } from "../../lib/errors.ts";

Deno.test("integerFlag() accepts whole numbers in range and names the flag otherwise", () => {
  const days = integerFlag("--days", { min: 1, max: 3650 });
  assert.equal(days("7"), 7);
  assert.equal(days(" 30 "), 30);
  for (const bad of ["-1", "0", "1.5", "abc", "", "3651", "1e3"]) {
    assert.throws(() => days(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, `--days "${bad}" is not valid: use a whole number from 1 to 3650`);
      return true;
    });
  }
  assert.throws(() => integerFlag("--port")("x"), /use a whole number ≥ 0/);
});

Deno.test("choiceFlag() accepts listed words case-insensitively", () => {
  const format = choiceFlag("--format", ["json", "csv"] as const);
  assert.equal(format("JSON"), "json");
  assert.throws(() => format("xml"), /--format "xml" is not valid: use one of json, csv/);
});
