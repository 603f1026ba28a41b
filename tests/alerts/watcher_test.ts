import assert from "node:assert/strict";
import { join } from "node:path";
import { checkAlerts, startAlertWatcher } from "../../lib/alerts/watcher.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";
import { deadPid, processRecord, settingsIn, withTempDir } from "../_fixtures/fs.ts";
import { startReceiver } from "./_receiver.ts";

const noSleep = () => Promise.resolve();

/** 12 incremental runs every 10 minutes, the newest started `hoursAgo` hours ago. */
function history(storeFile: string, hoursAgo: number): void {
  using store = Store.open(storeFile);
  const last = Math.floor(Date.now() / 1000) - hoursAgo * 3600;
  for (let i = 0; i < 12; i++) {
    const start = last - (11 - i) * 600;
    const id = store.startRun({
      mode: "incremental",
      windowStart: 0,
      windowEnd: 1,
      startedAt: start,
    });
    store.finishRun(id, {
      status: "completed",
      finishedAt: start + 30,
      counts: { conversationsFetched: 20, apiCalls: 22 },
    });
  }
}

Deno.test("checkAlerts() announces a crashed process and an anomaly once, then their recovery", async () => {
  await withTempDir("alerts-", async (dir) => {
    const settings = await settingsIn(dir);
    await using hook = startReceiver();
    assert.equal(await checkAlerts(settings, null), null, "no URL: nothing is checked");
    history(settings.paths.storeFile, 3);
    await Deno.mkdir(settings.paths.statusDir, { recursive: true });
    const crashed = processRecord("sync-dead", { pid: await deadPid() });
    const active = join(settings.paths.statusDir, "active_processes.json");
    await Deno.writeTextFile(active, JSON.stringify({ [crashed.process_id]: crashed }));
    await checkAlerts(settings, hook.url, { sleep: noSleep });
    await checkAlerts(settings, hook.url, { sleep: noSleep });
    assert.deepEqual(
      hook.received.map((p) => `${p.event}:${p.key}`).sort(),
      ["anomaly:anomaly:missed_interval", "crash:crash:sync-dead"],
    );
    await Deno.writeTextFile(active, "{}");
    await checkAlerts(settings, hook.url, { sleep: noSleep });
    assert.deepEqual(hook.received.slice(2).map((p) => `${p.event}:${p.key}`), [
      "recovery:crash:sync-dead",
    ]);
  });
});

Deno.test("startAlertWatcher() checks at once and stops on abort", async () => {
  await withTempDir("alerts-", async (dir) => {
    const settings = await settingsIn(dir);
    history(settings.paths.storeFile, 3);
    await using hook = startReceiver();
    const abort = new AbortController();
    const watcher = startAlertWatcher(settings, hook.url, {
      signal: abort.signal,
      intervalMs: 60_000,
      sleep: noSleep,
    });
    await watcher.idle();
    abort.abort();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]!.anomaly_kind, "missed_interval");
  });
});

Deno.test("monitor status announces a missed interval; the next sync announces its recovery", async () => {
  await using box = await makeSandbox();
  await Deno.mkdir(box.dataDir, { recursive: true });
  history(join(box.dataDir, "data.db"), 3);
  await using hook = startReceiver();
  const sim = await startSimulator({ conversations: 5, seed: 2 });
  try {
    const env = {
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    };
    const status = await runCli(
      ["monitor", "status", "--once", "--no-api", "--alert-webhook", hook.url],
      { env },
    );
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(hook.received.map((p) => p.event), ["anomaly"]);
    assert.equal(hook.received[0]!.anomaly_kind, "missed_interval");
    // from the config file this time, like a cron job would
    await Deno.writeTextFile(
      join(box.dataDir, "config.json"),
      JSON.stringify({ alert_webhook_url: hook.url }),
    );
    const sync = await runCli(["sync"], { env });
    assert.equal(sync.code, 0, sync.stderr);
    assert.deepEqual(hook.received.map((p) => p.event), ["anomaly", "recovery"]);
    assert.equal(hook.received[1]!.key, "anomaly:missed_interval");
    for (const out of [status.stdout, status.stderr, sync.stdout, sync.stderr]) {
      assert.ok(!out.includes("SECRET-PATH-TOKEN"), "the webhook URL is never printed");
    }
    assert.ok(!JSON.stringify(hook.received).includes(DEFAULT_SIMULATOR_TOKEN));
  } finally {
    await sim.close();
  }
});

Deno.test("--alert-webhook refuses a URL that is not http(s), without echoing it", async () => {
  await using box = await makeSandbox();
  const run = await runCli(["sync", "--alert-webhook", "ftp://host/SECRET-X"], { env: box.env });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--alert-webhook is not an http:\/\/ or https:\/\/ URL/);
  assert.ok(!run.stderr.includes("SECRET-X"));
});
