import assert from "node:assert/strict";
import { clearSecrets, redactText, redactValue, registerSecret } from "../../lib/logging/redact.ts";

Deno.test("redactText() hides registered secrets, bearer tokens and Authorization values", () => {
  clearSecrets();
  registerSecret("dG9rOmFiY2RlZg==");
  assert.equal(redactText("token dG9rOmFiY2RlZg== leaked"), "token [REDACTED] leaked");
  assert.equal(redactText("Authorization: Bearer abc.def-123"), "Authorization: Bearer [REDACTED]");
  assert.equal(redactText('{"authorization":"xyz"}'), '{"authorization":"[REDACTED]"}');
  assert.equal(redactText("nothing here"), "nothing here");
  clearSecrets();
});

Deno.test("redactValue() hides secret-named fields at any depth", () => {
  clearSecrets();
  const out = redactValue({ a: 1, nested: { access_token: "x1", apiKey: "k", ok: "fine" } });
  assert.deepEqual(out, {
    a: 1,
    nested: { access_token: "[REDACTED]", apiKey: "[REDACTED]", ok: "fine" },
  });
});

Deno.test("registerSecret() ignores values too short to be secrets", () => {
  clearSecrets();
  registerSecret("ab");
  assert.equal(redactText("ab cab"), "ab cab");
});
