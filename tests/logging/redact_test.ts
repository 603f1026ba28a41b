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

Deno.test("redactValue() copies only what it changes and never alters its input", () => {
  clearSecrets();
  registerSecret("sk-live-0123456789abcdefghij");
  const clean = { total: 2, items: [{ id: "1", text: "reset my password please" }, { id: "2" }] };
  assert.equal(redactValue(clean), clean, "nothing to hide: the same object");
  const leaky = {
    total: 2,
    items: [{ id: "1", text: "key sk-live-0123456789abcdefghij" }, { id: "2" }],
    when: new Date(0),
    fields: { password: "hunter2", note: "password: hunter2" },
  };
  const snapshot = structuredClone(leaky);
  const out = redactValue(leaky) as typeof leaky;
  assert.deepEqual(leaky, snapshot, "the input is unchanged");
  assert.deepEqual(out.items, [{ id: "1", text: "key [REDACTED]" }, { id: "2" }]);
  assert.equal(out.items[1], leaky.items[1], "an unchanged branch is shared");
  assert.deepEqual(out.fields, { password: "[REDACTED]", note: "password: [REDACTED]" });
  assert.deepEqual(out.when, {}, "a non-plain object is copied field by field, as before");
  clearSecrets();
});

Deno.test("registerSecret() ignores values too short to be secrets", () => {
  clearSecrets();
  registerSecret("ab");
  assert.equal(redactText("ab cab"), "ab cab");
});

Deno.test("registerSecret() with a short plain word never corrupts ordinary text", () => {
  clearSecrets();
  registerSecret("order");
  const text = "Could you check order #4821? The order arrived damaged.";
  assert.equal(redactText(text), text);
  assert.deepEqual(redactValue({ subject: "order", body: text }), { subject: "order", body: text });
  clearSecrets();
});

Deno.test("redactText() still hides a short secret where the text marks it as one", () => {
  clearSecrets();
  registerSecret("order");
  assert.equal(redactText("Authorization: Bearer order"), "Authorization: Bearer [REDACTED]");
  assert.equal(redactText("api_key=order and more"), "api_key=[REDACTED] and more");
  assert.equal(redactText('{"apiKey": "order"}'), '{"apiKey": "[REDACTED]"}');
  assert.equal(redactText("serve --api-key order --port 1"), "serve --api-key [REDACTED] --port 1");
  assert.equal(redactText("password: hunter2"), "password: [REDACTED]");
  assert.deepEqual(redactValue({ api_key: "order" }), { api_key: "[REDACTED]" });
  clearSecrets();
});

Deno.test("registerSecret() hides distinctive secrets anywhere, even inside other text", () => {
  clearSecrets();
  registerSecret("ord3r-k3y"); // 9 characters mixing letters, digits and symbols
  registerSecret("a".repeat(32));
  assert.equal(redactText("x ord3r-k3y y"), "x [REDACTED] y");
  assert.equal(redactText(`k=${"a".repeat(32)}.`), "k=[REDACTED].");
  clearSecrets();
});
