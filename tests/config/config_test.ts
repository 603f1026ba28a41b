import assert from "node:assert/strict";
import { join } from "node:path";
import {
  loadConfigFile,
  normaliseApiUrl,
  resolveSettings,
  saveConfigFile,
} from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { ConfigError, InputError } from "../../lib/errors.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("resolvePaths() prefers --data-dir over FASTINTERCOM_DATA_DIR over HOME", () => {
  const env = envOf({ HOME: "/home/u", FASTINTERCOM_DATA_DIR: "/env/data" });
  assert.equal(resolvePaths({ env }).dataDir, "/env/data");
  assert.equal(resolvePaths({ env, dataDir: "/flag" }).dataDir, "/flag");
  const home = resolvePaths({ env: envOf({ HOME: "/home/u" }) });
  assert.equal(home.dataDir, "/home/u/.fast-intercom-mcp");
  assert.equal(home.logDir, "/home/u/.fast-intercom-mcp/logs");
  assert.equal(home.statusDir, "/home/u/.fastintercom-status");
  assert.equal(home.configFile, "/home/u/.fast-intercom-mcp/config.json");
  const custom = resolvePaths({
    env: envOf({ HOME: "/h", FASTINTERCOM_LOG_DIR: "/l", FASTINTERCOM_STATUS_DIR: "/s" }),
  });
  assert.equal(custom.logDir, "/l");
  assert.equal(custom.statusDir, "/s");
});

Deno.test("resolveSettings() takes the token from flag > env > config file", async () => {
  const paths = resolvePaths({ env: envOf({ HOME: "/h" }) });
  const file = { access_token: "from-file" };
  const env = envOf({ INTERCOM_ACCESS_TOKEN: "from-env" });
  const a = await resolveSettings(paths, { token: "from-flag" }, { env, file });
  assert.equal(a.token, "from-flag");
  assert.equal(a.tokenSource, "flag");
  const b = await resolveSettings(paths, {}, { env, file });
  assert.equal(b.token, "from-env");
  const c = await resolveSettings(paths, {}, { env: envOf({}), file });
  assert.equal(c.tokenSource, "config");
  const d = await resolveSettings(paths, {}, { env: envOf({}), file: null });
  assert.equal(d.token, null);
  assert.equal(d.configured, false);
});

Deno.test("resolveSettings() picks the API URL from flag > env > config > region", async () => {
  const paths = resolvePaths({ env: envOf({ HOME: "/h" }) });
  const none = envOf({});
  assert.equal(
    (await resolveSettings(paths, {}, { env: none, file: null })).apiUrl,
    "https://api.intercom.io",
  );
  assert.equal(
    (await resolveSettings(paths, { region: "eu" }, { env: none, file: null })).apiUrl,
    "https://api.eu.intercom.io",
  );
  assert.equal(
    (await resolveSettings(paths, {}, { env: none, file: { region: "au" } })).apiUrl,
    "https://api.au.intercom.io",
  );
  const env = envOf({ FASTINTERCOM_API_URL: "http://127.0.0.1:9/" });
  assert.equal(
    (await resolveSettings(paths, {}, { env, file: null })).apiUrl,
    "http://127.0.0.1:9",
  );
  assert.equal(
    (await resolveSettings(paths, { apiUrl: "http://x.test" }, { env, file: null })).apiUrl,
    "http://x.test",
  );
  await assert.rejects(
    resolveSettings(paths, { region: "mars" }, { env: none, file: null }),
    InputError,
  );
});

Deno.test("resolveSettings() applies FASTINTERCOM_* overrides and rejects bad values", async () => {
  const paths = resolvePaths({ env: envOf({ HOME: "/h" }) });
  const s = await resolveSettings(paths, {}, {
    env: envOf({ FASTINTERCOM_INITIAL_SYNC_DAYS: "30", FASTINTERCOM_LOG_LEVEL: "DEBUG" }),
    file: { initial_sync_days: 3, max_sync_age_minutes: 9 },
  });
  assert.equal(s.initialSyncDays, 30);
  assert.equal(s.maxSyncAgeMinutes, 9);
  assert.equal(s.logLevel, "debug");
  assert.equal(s.backgroundSyncIntervalMinutes, 10);
  await assert.rejects(
    resolveSettings(paths, {}, {
      env: envOf({ FASTINTERCOM_INITIAL_SYNC_DAYS: "soon" }),
      file: null,
    }),
    /FASTINTERCOM_INITIAL_SYNC_DAYS="soon" must be a whole number/,
  );
});

Deno.test("loadConfigFile() names the file, the key and the problem", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.json");
    assert.equal(await loadConfigFile(path), null);
    await Deno.writeTextFile(path, "{ not json");
    await assert.rejects(loadConfigFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, new RegExp(`config file ${path} is not valid JSON`));
      return true;
    });
    await Deno.writeTextFile(path, JSON.stringify({ initial_sync_days: "seven" }));
    await assert.rejects(loadConfigFile(path), /key "initial_sync_days" .*\(got "seven"\)/);
    await Deno.writeTextFile(path, JSON.stringify({ inital_sync_days: 7 }));
    await assert.rejects(loadConfigFile(path), /unknown key "inital_sync_days"/);
    await Deno.writeTextFile(path, JSON.stringify({ access_token: 5 }));
    await assert.rejects(loadConfigFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.doesNotMatch(e.message, /5\)/);
      assert.match(e.message, /\(hidden\)/);
      return true;
    });
    // a failed load never rewrites the file
    assert.equal(await Deno.readTextFile(path), JSON.stringify({ access_token: 5 }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveConfigFile() writes mode 0600 in a 0700 directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "nested", "config.json");
    await saveConfigFile(path, { access_token: "tok-123456", initial_sync_days: 3 });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(dir, "nested"))).mode! & 0o777, 0o700);
    assert.deepEqual(await loadConfigFile(path), {
      access_token: "tok-123456",
      initial_sync_days: 3,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("normaliseApiUrl() strips trailing slashes and rejects non-HTTP URLs", () => {
  assert.equal(normaliseApiUrl("https://api.intercom.io/"), "https://api.intercom.io");
  assert.throws(() => normaliseApiUrl("ftp://x"), /must start with http/);
  assert.throws(() => normaliseApiUrl("not a url"), /is not a URL/);
});

Deno.test("loadConfigFile() reads a file saved with a UTF-8 byte-order mark", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.json");
    const body = new TextEncoder().encode(JSON.stringify({ initial_sync_days: 3 }));
    await Deno.writeFile(path, new Uint8Array([0xef, 0xbb, 0xbf, ...body]));
    assert.deepEqual(await loadConfigFile(path), { initial_sync_days: 3 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfigFile() names the path and the fix when the file cannot be read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.json");
    await Deno.mkdir(path); // a directory where the file belongs
    await assert.rejects(loadConfigFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(
        e.message,
        `cannot read config file ${path}: ${path} is a directory where a file belongs: move ` +
          "the directory away or choose another directory (--data-dir, FASTINTERCOM_LOG_DIR, " +
          "FASTINTERCOM_STATUS_DIR)",
      );
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveSettings() trims a token pasted with whitespace, from the flag and the file", async () => {
  const paths = resolvePaths({ env: envOf({ HOME: "/h" }) });
  const none = envOf({});
  const flag = await resolveSettings(paths, { token: "  tok-123 \n" }, { env: none, file: null });
  assert.equal(flag.token, "tok-123");
  const file = await resolveSettings(paths, {}, {
    env: none,
    file: { access_token: "tok-456\n" },
  });
  assert.equal(file.token, "tok-456");
  const blank = await resolveSettings(paths, { token: "   " }, { env: none, file: null });
  assert.equal(blank.token, null);
});

Deno.test("resolveSettings() takes alert_webhook_url from env > config, and hides a bad one", async () => {
  const paths = resolvePaths({ env: envOf({ HOME: "/h" }) });
  const fromFile = await resolveSettings(paths, {}, {
    env: envOf({}),
    file: { alert_webhook_url: "https://hooks.example.com/T/SECRET" },
  });
  assert.equal(fromFile.alertWebhookUrl, "https://hooks.example.com/T/SECRET");
  const fromEnv = await resolveSettings(paths, {}, {
    env: envOf({ FASTINTERCOM_ALERT_WEBHOOK_URL: "http://127.0.0.1:9/hook" }),
    file: { alert_webhook_url: "https://hooks.example.com/T/SECRET" },
  });
  assert.equal(fromEnv.alertWebhookUrl, "http://127.0.0.1:9/hook");
  assert.equal(
    (await resolveSettings(paths, {}, { env: envOf({}), file: {} })).alertWebhookUrl,
    null,
  );
  await assert.rejects(
    resolveSettings(paths, {}, {
      env: envOf({ FASTINTERCOM_ALERT_WEBHOOK_URL: "ftp://x/SECRET" }),
      file: null,
    }),
    (e: unknown) => e instanceof ConfigError && !e.message.includes("SECRET"),
  );
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.json");
    await Deno.writeTextFile(path, JSON.stringify({ alert_webhook_url: "mailto:SECRET@x" }));
    await assert.rejects(loadConfigFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /key "alert_webhook_url" .*\(got \(hidden\)\)/);
      assert.doesNotMatch(e.message, /SECRET/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
