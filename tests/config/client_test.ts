import assert from "node:assert/strict";
import { clientFromSettings } from "../../lib/config/client.ts";
import { ConfigError } from "../../lib/errors.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

const ME = {
  type: "admin",
  id: "1",
  name: "A",
  email: "a@example.com",
  app: { id_code: "w1", name: "W" },
};

function recordingFetch(seen: Request[]): typeof fetch {
  return (input, init) => {
    seen.push(new Request(input, init));
    return Promise.resolve(Response.json(ME));
  };
}

Deno.test("clientFromSettings() calls the configured URL with the configured token and version", async () => {
  await withTempDir("client_test_", async (root) => {
    const settings = await settingsIn(root, { apiUrl: "http://127.0.0.1:9/", token: "tok-1" });
    const seen: Request[] = [];
    const me = await clientFromSettings(settings, { fetch: recordingFetch(seen) }).me();
    assert.equal(me.app?.id_code, "w1");
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, "http://127.0.0.1:9/me");
    assert.equal(seen[0]!.headers.get("authorization"), "Bearer tok-1");
    assert.equal(seen[0]!.headers.get("intercom-version"), settings.intercomVersion);
  });
});

Deno.test("clientFromSettings() uses a token given in overrides over the configured one", async () => {
  await withTempDir("client_test_", async (root) => {
    const settings = await settingsIn(root, { apiUrl: "http://127.0.0.1:9/", token: null });
    const seen: Request[] = [];
    await clientFromSettings(settings, { token: "new-token", fetch: recordingFetch(seen) }).me();
    assert.equal(seen[0]!.headers.get("authorization"), "Bearer new-token");
  });
});

Deno.test("clientFromSettings() without a token says how to configure one", async () => {
  await withTempDir("client_test_", async (root) => {
    const settings = await settingsIn(root, { token: null });
    assert.throws(() => clientFromSettings(settings), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /no Intercom access token: run `fast-intercom-mcp init`/);
      return true;
    });
  });
});
