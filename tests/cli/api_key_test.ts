import assert from "node:assert/strict";
import { ConfigError, UsageError } from "../../lib/errors.ts";
import { resolveApiKey } from "../../lib/cli/api_key.ts";
import { redactText } from "../../lib/logging/redact.ts";

const STRONG = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const noEnv = () => undefined;

Deno.test("resolveApiKey() takes --api-key first, then $FASTINTERCOM_API_KEY, empty as unset", () => {
  const env = (value: string) => (name: string) =>
    name === "FASTINTERCOM_API_KEY" ? value : undefined;
  assert.equal(resolveApiKey("flag-key", "127.0.0.1", env(STRONG)), "flag-key");
  assert.equal(resolveApiKey(undefined, "0.0.0.0", env(STRONG)), STRONG);
  assert.equal(resolveApiKey(undefined, "127.0.0.1", env("")), null);
  assert.equal(resolveApiKey(undefined, "127.0.0.1", noEnv), null);
});

Deno.test("resolveApiKey() refuses a blank or weak --api-key as a usage error naming the fix, never the key", () => {
  for (
    const [key, host, problem] of [
      [
        "   ",
        "127.0.0.1",
        /^refusing the key given with --api-key, which is empty or only whitespace; /,
      ],
      [
        "",
        "0.0.0.0",
        /^refusing the key given with --api-key, which is empty or only whitespace; /,
      ],
      [
        "short-key",
        "0.0.0.0",
        /^refusing the key given with --api-key, which is 9 characters long; serving beyond loopback needs at least 32; /,
      ],
      ["two words", "127.0.0.1", /^refusing the key given with --api-key, which contains spaces /],
    ] as const
  ) {
    assert.throws(() => resolveApiKey(key, host, noEnv), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal((error as UsageError).exitCode, 2);
      assert.match((error as Error).message, problem);
      assert.match((error as Error).message, /openssl rand -hex 32/);
      if (key.trim() !== "") assert.ok(!(error as Error).message.includes(key));
      // the message survives redaction whole (no word after "--api-key ")
      assert.equal(redactText((error as Error).message), (error as Error).message);
      return true;
    });
  }
});

Deno.test("resolveApiKey() refuses a weak $FASTINTERCOM_API_KEY or none beyond loopback as a config error", () => {
  const env = () => "short-key";
  assert.throws(() => resolveApiKey(undefined, "0.0.0.0", env), ConfigError);
  assert.throws(() => resolveApiKey(undefined, "0.0.0.0", noEnv), ConfigError);
  assert.throws(() => resolveApiKey(undefined, "127.0.0.1", () => "  "), ConfigError);
});
