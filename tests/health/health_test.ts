import assert from "node:assert/strict";
import { join } from "node:path";
import type { ApiProbe } from "../../lib/health/api_probe.ts";
import { ChecksFailedError } from "../../lib/errors.ts";
import { loadSettings, runHealthChecks, unhealthyError } from "../../lib/health/health.ts";

const roomy = () => Promise.resolve({ freeBytes: 50e9, totalBytes: 100e9, path: "/" });
const probe = (state: ApiProbe["state"]) => (): Promise<ApiProbe> =>
  Promise.resolve({
    state,
    detail: state,
    latencyMs: state === "connected" ? 9 : null,
    checkedAt: 0,
    workspace: null,
    apiUrl: "http://api.test",
    status: null,
  });

/** An environment of a sandbox under `root`: no token, no data directory set. */
function envIn(root: string): (name: string) => string | undefined {
  const vars: Record<string, string> = {
    HOME: join(root, "home"),
    FASTINTERCOM_STATUS_DIR: join(root, "status"),
  };
  return (name) => vars[name];
}

Deno.test("runHealthChecks() is healthy with warnings when nothing is configured yet", async () => {
  const root = await Deno.makeTempDir();
  try {
    {
      const loaded = await loadSettings(join(root, "data"), {}, { env: envIn(root) });
      const report = await runHealthChecks(loaded, { probe: probe("not_configured"), disk: roomy });
      assert.equal(report.status, "healthy");
      assert.equal(report.exit_code, 0);
      assert.deepEqual(
        report.checks.map((c) => `${c.name}:${c.status}`),
        [
          "config:warn",
          "token:warn",
          "api:warn",
          "data_dir:ok",
          "store:warn",
          "last_sync:warn",
          "sync:ok",
          "anomalies:ok",
          "disk:ok",
          "log_dir:ok",
          "status_dir:ok",
        ],
      );
      assert.deepEqual(report.counts, { ok: 6, warn: 5, fail: 0 });
      const strict = await runHealthChecks(loaded, {
        probe: probe("not_configured"),
        disk: roomy,
        strict: true,
      });
      assert.equal(strict.status, "unhealthy");
      assert.equal(strict.exit_code, 1);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runHealthChecks() is unhealthy when the API is unreachable; --no-api skips it", async () => {
  const root = await Deno.makeTempDir();
  try {
    {
      const loaded = await loadSettings(join(root, "data"), {}, { env: envIn(root) });
      const report = await runHealthChecks(loaded, { probe: probe("unreachable"), disk: roomy });
      assert.equal(report.exit_code, 1);
      assert.equal(report.checks.find((c) => c.name === "api")?.status, "fail");
      const error = unhealthyError(report);
      assert.ok(error instanceof ChecksFailedError);
      assert.equal(error.exitCode, 1);
      assert.equal(error.message, "unhealthy: api failed");
      assert.equal(error.stack, "ChecksFailedError: unhealthy: api failed", "no stack trace");
      let probed = false;
      const offline = await runHealthChecks(loaded, {
        api: false,
        disk: roomy,
        probe: () => {
          probed = true;
          return probe("unreachable")();
        },
      });
      assert.equal(probed, false);
      assert.equal(offline.exit_code, 0);
      assert.deepEqual(offline.skipped, ["api"]);
      assert.ok(!offline.checks.some((c) => c.name === "api"));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadSettings() returns a bad config as a failed check instead of throwing", async () => {
  const root = await Deno.makeTempDir();
  try {
    {
      await Deno.mkdir(join(root, "data"), { recursive: true });
      await Deno.writeTextFile(join(root, "data", "config.json"), '{"acces_token": "x"}');
      const loaded = await loadSettings(join(root, "data"), {}, { env: envIn(root) });
      assert.equal(loaded.settings, null);
      assert.match(loaded.error?.message ?? "", /unknown key "acces_token"/);
      const report = await runHealthChecks(loaded, { disk: roomy });
      assert.equal(report.checks[0]?.status, "fail");
      assert.equal(report.exit_code, 1);
      assert.deepEqual(report.skipped, ["api"]);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runHealthChecks() never throws: a check that throws fails, the report stays whole", async () => {
  const root = await Deno.makeTempDir();
  try {
    const loaded = await loadSettings(join(root, "data"), {}, { env: envIn(root) });
    const report = await runHealthChecks(loaded, {
      probe: () => Promise.reject(new TypeError("probe exploded")),
      disk: () =>
        Promise.reject(
          new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/proc/x'"),
        ),
    });
    const api = report.checks.find((c) => c.name === "api")!;
    assert.deepEqual(api, {
      name: "api",
      status: "fail",
      detail: "the check itself failed: probe exploded",
    });
    const disk = report.checks.find((c) => c.name === "disk")!;
    assert.equal(disk.status, "fail");
    assert.match(disk.detail, /^the check itself failed: permission denied on \/proc\/x/);
    assert.equal(report.exit_code, 1);
    assert.equal(report.checks.length, 11, report.checks.map((c) => c.name).join(","));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
