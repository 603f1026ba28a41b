import assert from "node:assert/strict";
import { join } from "node:path";
import { dispatchAlerts } from "../../lib/alerts/dispatch.ts";
import type { AlertCondition } from "../../lib/alerts/conditions.ts";
import { ALERT_FILES } from "../../lib/alerts/alert_state.ts";
import { registerSecret } from "../../lib/logging/redact.ts";
import { acquireFileLock } from "../../lib/registry/file_lock.ts";
import { withTempDir } from "../_fixtures/fs.ts";
import { startReceiver } from "./_receiver.ts";

const crash: AlertCondition = {
  key: "crash:sync-1",
  event: "crash",
  title: "sync sync-1 (pid 42) crashed",
  detail: "pid 42 is gone; token tok_secret_123 was in use",
  process_id: "sync-1",
  anomaly_kind: null,
};
const noSleep = () => Promise.resolve();

Deno.test("dispatchAlerts() fires once per state change and recovers once", async () => {
  await withTempDir("dispatch-", async (dir) => {
    registerSecret("tok_secret_123");
    await using hook = startReceiver();
    const opts = { sleep: noSleep, clock: () => Date.parse("2026-07-01T12:00:00Z") };
    const first = await dispatchAlerts(hook.url, dir, [crash], opts);
    assert.deepEqual(first.sent.map((s) => [s.key, s.event, s.delivered]), [[
      "crash:sync-1",
      "crash",
      true,
    ]]);
    await dispatchAlerts(hook.url, dir, [crash], opts); // still crashed: nothing new
    assert.equal(hook.received.length, 1);
    const sent = hook.received[0]!;
    assert.equal(sent.event, "crash");
    assert.equal(sent.source, "fast-intercom-mcp");
    assert.equal(sent.at, "2026-07-01T12:00:00.000Z");
    const text = JSON.stringify(hook.received);
    assert.ok(!text.includes("tok_secret_123"), "secrets are redacted from the payload");
    assert.ok(!text.includes("SECRET-PATH-TOKEN"), "the webhook URL is not in the payload");
    await dispatchAlerts(hook.url, dir, [], opts); // recovered
    await dispatchAlerts(hook.url, dir, [], opts);
    assert.equal(hook.received.length, 2);
    assert.equal(hook.received[1]!.event, "recovery");
    assert.equal(hook.received[1]!.condition, "crash");
    assert.equal(hook.received[1]!.process_id, "sync-1");
    assert.equal(hook.received[1]!.since, "2026-07-01T12:00:00.000Z");
  });
});

Deno.test("dispatchAlerts() retries an undelivered alert at the next check", async () => {
  await withTempDir("dispatch-", async (dir) => {
    await using hook = startReceiver([500, 500]);
    const failed = await dispatchAlerts(hook.url, dir, [crash], { sleep: noSleep, attempts: 2 });
    assert.equal(failed.sent[0]!.delivered, false);
    const again = await dispatchAlerts(hook.url, dir, [crash], { sleep: noSleep });
    assert.equal(again.sent[0]!.delivered, true);
    assert.equal(hook.received.length, 3);
  });
});

Deno.test("dispatchAlerts() leaves announcing to the process holding the alert lock", async () => {
  await withTempDir("dispatch-", async (dir) => {
    await using hook = startReceiver();
    using _held = await acquireFileLock(join(dir, ALERT_FILES.lock));
    const result = await dispatchAlerts(hook.url, dir, [crash], { sleep: noSleep });
    assert.deepEqual(result, { skipped: true, sent: [] });
    assert.equal(hook.received.length, 0);
  });
});
