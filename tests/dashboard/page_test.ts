/**
 * The dashboard in a real browser: headless Chromium loads `monitor serve`'s page while a
 * sync runs against the simulator, and reads the DOM twice: the sync's bar advances, and a
 * process that stopped sending heartbeats is flagged STALLED; and, on a store whose newest run
 * was much slower than usual, the anomaly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startMonitorServer } from "../../lib/app/monitor_server.ts";
import { resolveSettings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { DASHBOARD_ASSETS } from "../../lib/dashboard/page.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { cliCommand, makeSandbox, stopChild } from "../_fixtures/cli.ts";
import { HAS_CHROMIUM, openPage, withChromium } from "../_fixtures/chromium.ts";
import { processRecord } from "../_fixtures/fs.ts";

Deno.test("DASHBOARD_ASSETS embed the page, its script and uPlot with its licence", () => {
  assert.match(DASHBOARD_ASSETS[""]!.body, /<script src="assets\/dashboard\.js"><\/script>/);
  assert.match(DASHBOARD_ASSETS["assets/uplot.js"]!.body, /uPlot/);
  assert.match(DASHBOARD_ASSETS["assets/uplot-license.txt"]!.body, /MIT License/);
  // nothing is loaded from elsewhere: the page's references are relative, styles import nothing
  const page = DASHBOARD_ASSETS[""]!.body;
  for (const ref of page.matchAll(/(?:src|href)="([^"]+)"/g)) {
    assert.match(ref[1]!, /^(assets\/[a-z.-]+|#[a-z-]+)$/, `page reference ${ref[1]}`);
    if (ref[1]!.startsWith("assets/")) assert.ok(ref[1]! in DASHBOARD_ASSETS, ref[1]);
  }
  for (const [path, asset] of Object.entries(DASHBOARD_ASSETS)) {
    assert.doesNotMatch(asset.body, /@import|url\(\s*["']?https?:/i, path);
  }
});

/** Progress of the process `id` as the page shows it: state and bar value. */
const processView = (id: string) =>
  `(() => {
  const card = document.querySelector('[data-process-id="${id}"]');
  if (!card) return null;
  const bar = card.querySelector("progress");
  return { state: card.dataset.state, value: bar.value, current: Number(bar.dataset.current || 0),
    text: card.textContent };
})()`;

Deno.test({
  name: withChromium(
    "the dashboard in Chromium: a running sync's bar advances, a stalled process is flagged",
  ),
  ignore: !HAS_CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using box = await makeSandbox();
    // slow enough that the sync runs for the whole test: 8 requests/s, 400 conversations
    const sim = await startSimulator({
      conversations: 400,
      seed: 3,
      rateLimit: { limit: 80, windowSeconds: 10 },
    });
    const env = {
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    };
    const sync = cliCommand(["sync", "--all"], { env }).spawn();
    try {
      // a process whose heartbeat stopped 10 minutes ago; its pid (ours) is alive
      await Deno.mkdir(box.statusDir, { recursive: true });
      const stale = new Date(Date.now() - 600_000).toISOString();
      const stalled = processRecord("sync-stalled-1", {
        start_time: stale,
        last_heartbeat: stale,
        last_progress: stale,
        description: "a sync that stopped reporting",
        progress: {
          current: 10,
          total: 100,
          percentage: 10,
          message: null,
          rate: 1,
          eta_seconds: 90,
          phase: "storing a batch",
        },
      });
      const settings = await resolveSettings(
        resolvePaths({ dataDir: box.dataDir, env: (k) => env[k as keyof typeof env] }),
        {},
        { env: (k) => env[k as keyof typeof env], file: null },
      );
      // the sync writes its record first; add ours beside it
      const deadline = Date.now() + 20_000;
      const activePath = join(box.statusDir, "active_processes.json");
      let syncId: string | null = null;
      while (syncId === null && Date.now() < deadline) {
        const active = await Deno.readTextFile(activePath).then(JSON.parse).catch(() => ({}));
        syncId = Object.keys(active).find((id) => id.startsWith("sync-")) ?? null;
        if (syncId === null) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(syncId, "the sync registered itself");
      const { mutateStatus } = await import("../../lib/registry/status_writer.ts");
      await mutateStatus(box.statusDir, (state) => {
        state.active[stalled.process_id] = stalled;
      });

      await using server = await startMonitorServer(settings, {
        host: "127.0.0.1",
        port: 0,
        apiKey: null,
        feed: { intervalMs: 300, healthEveryMs: 3_600_000 },
      });
      await using page = await openPage(`${server.url}/`);
      const first = await page.waitFor<{ state: string; current: number }>(
        `(() => { const v = ${processView(syncId)}; return v && v.current > 0 ? v : null; })()`,
        { what: "the sync's bar" },
      );
      assert.equal(first.state, "running");
      const later = await page.waitFor<{ current: number; value: number }>(
        `(() => { const v = ${
          processView(syncId)
        }; return v && v.current > ${first.current} ? v : null; })()`,
        { what: `the sync's bar to pass ${first.current}` },
      );
      assert.ok(later.current > first.current);
      assert.ok(later.value > 0 && later.value <= 100);
      // at 80 requests per 10 s the sync spends most of each window waiting: the card says so
      const waiting = await page.waitFor<string>(
        `(() => {
          const phase = document.querySelector('[data-process-id="${syncId}"] .phase');
          return phase && /waiting for rate limit, resets in \\d+s/.test(phase.textContent)
            ? phase.textContent : null; })()`,
        { what: "the sync's rate-limit wait" },
      );
      assert.match(waiting, /^waiting for rate limit, resets in \d+s/);
      const flagged = await page.waitFor<{ state: string; text: string }>(
        processView("sync-stalled-1"),
        { what: "the stalled process" },
      );
      assert.equal(flagged.state, "stalled");
      assert.match(flagged.text, /STALLED/);
      assert.match(flagged.text, /no heartbeat for 10m\d\ds: is it stuck\?/);
      // its phase is ten minutes old: not shown as what it does now
      assert.doesNotMatch(flagged.text, /storing a batch/);
      const live = await page.evaluate<string>("document.getElementById('connection').textContent");
      assert.equal(live, "Live");
      const charts = await page.evaluate<number>("document.querySelectorAll('.uplot').length");
      assert.equal(charts, 2, "uPlot drew both charts");
      // keyboard and screen readers: a skip link to the processes, labelled bars and charts,
      // a focusable scroll region for the runs table
      const a11y = await page.evaluate<Record<string, unknown>>(`({
        skip: document.querySelector("a.skip")?.getAttribute("href"),
        target: document.getElementById("processes-title")?.tabIndex,
        unlabelledBars: [...document.querySelectorAll("progress")]
          .filter((p) => !p.getAttribute("aria-label")).length,
        charts: [...document.querySelectorAll(".chart")].map((c) => c.getAttribute("aria-label") !== null),
        runsRegion: document.querySelector(".scroll")?.tabIndex,
      })`);
      assert.deepEqual(a11y, {
        skip: "#processes-title",
        target: -1,
        unlabelledBars: 0,
        charts: [true, true],
        runsRegion: 0,
      });
      // no sideways scrolling on a desktop window
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
      await using phone = await openPage(`${server.url}/`, { width: 390, height: 844 });
      await phone.waitFor(processView("sync-stalled-1"), { what: "the page on a phone" });
      const phoneOverflow = await phone.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      assert.ok(phoneOverflow <= 0, `on a phone the page is ${phoneOverflow}px too wide`);
    } finally {
      await stopChild(sync);
      await sim.close();
    }
  },
});

Deno.test({
  name: withChromium(
    "the dashboard in Chromium shows a run 8× slower than usual under Anomalies",
  ),
  ignore: !HAS_CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using box = await makeSandbox();
    const env = (k: string) => box.env[k];
    const settings = await resolveSettings(
      resolvePaths({ dataDir: box.dataDir, env }),
      {},
      { env, file: null },
    );
    await Deno.mkdir(box.dataDir, { recursive: true });
    // 12 runs every 10 minutes up to 5 minutes ago, the newest 8× slower
    const now = Math.floor(Date.now() / 1000);
    {
      using store = Store.open(settings.paths.storeFile);
      for (let i = 0; i < 12; i++) {
        const start = now - 300 - (11 - i) * 600 - 240;
        const id = store.startRun({
          mode: "incremental",
          windowStart: 0,
          windowEnd: 1,
          startedAt: start,
        });
        store.finishRun(id, {
          status: "completed",
          finishedAt: start + (i === 11 ? 240 : 30 + (i % 3)),
          counts: { conversationsFetched: 60, apiCalls: 64, retries: 1 },
        });
      }
    }
    await using server = await startMonitorServer(settings, {
      host: "127.0.0.1",
      port: 0,
      apiKey: null,
      feed: { intervalMs: 300, healthEveryMs: 3_600_000 },
    });
    await using page = await openPage(`${server.url}/`);
    const shown = await page.waitFor<{ kinds: string[]; text: string }>(
      `(() => {
        const items = [...document.querySelectorAll("#anomalies [data-anomaly]")];
        return items.length ? { kinds: items.map((p) => p.dataset.anomaly),
          text: document.getElementById("anomalies").textContent } : null; })()`,
      { what: "the anomaly" },
    );
    assert.deepEqual(shown.kinds, ["slow_run"]);
    assert.match(shown.text, /slow run: run 12 \(incremental\) fetched 0\.25 conversations\/s/);
  },
});
