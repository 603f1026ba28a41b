import assert from "node:assert/strict";
import { monitorRoutes, startMonitorServer } from "../../lib/app/monitor_server.ts";
import { DashboardFeed } from "../../lib/dashboard/feed.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

Deno.test("monitorRoutes() opens the page and guards metrics, state and events", async () => {
  await withTempDir("monitor-app-", async (dir) => {
    const settings = await settingsIn(dir);
    const feed = new DashboardFeed(settings, { intervalMs: 0 });
    const routes = monitorRoutes(settings, feed);
    assert.ok("GET /" in routes.open);
    assert.ok("GET /assets/uplot.js" in routes.open);
    assert.deepEqual(Object.keys(routes.guarded).sort(), [
      "GET /api/state",
      "GET /events",
      "GET /metrics",
    ]);
    feed.close();
  });
});

Deno.test("startMonitorServer() serves the page openly and the data behind the key", async () => {
  await withTempDir("monitor-app-", async (dir) => {
    const settings = await settingsIn(dir);
    await using server = await startMonitorServer(settings, {
      host: "127.0.0.1",
      port: 0,
      apiKey: "key-1",
      feed: { intervalMs: 0 },
    });
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>fast-intercom-mcp monitor<\/title>/);
    const metrics = await fetch(`${server.url}/metrics`);
    await metrics.body?.cancel();
    assert.equal(metrics.status, 401);
    const auth = { authorization: "Bearer key-1" };
    const ok = await fetch(`${server.url}/metrics`, { headers: auth });
    assert.match(await ok.text(), /^fast_intercom_store_up 0$/m);
    const state = await (await fetch(`${server.url}/api/state`, { headers: auth })).json();
    assert.deepEqual(state.processes, []);
    assert.deepEqual(state.runs, []);
  });
});
