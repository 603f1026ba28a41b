import assert from "node:assert/strict";
import { monitorRoutes, startMonitorServer } from "../../lib/app/monitor_server.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

Deno.test("monitorRoutes() serves /metrics; startMonitorServer() answers it over HTTP", async () => {
  await withTempDir("monitor-app-", async (dir) => {
    const settings = await settingsIn(dir);
    assert.ok("GET /metrics" in monitorRoutes(settings));
    await using server = startMonitorServer(settings, { host: "127.0.0.1", port: 0, apiKey: null });
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^fast_intercom_store_up 0$/m);
  });
});
