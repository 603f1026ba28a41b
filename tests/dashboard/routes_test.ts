import assert from "node:assert/strict";
import { DashboardFeed } from "../../lib/dashboard/feed.ts";
import { dashboardRoutes } from "../../lib/dashboard/routes.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

Deno.test("dashboardRoutes() puts the page under a base and redirects the bare base", async () => {
  await withTempDir("routes-", async (dir) => {
    const feed = new DashboardFeed(await settingsIn(dir), { intervalMs: 0 });
    const { open, guarded } = dashboardRoutes(feed, "/dashboard/");
    assert.ok("GET /dashboard/" in open);
    assert.ok("GET /dashboard/assets/dashboard.js" in open);
    const redirect = await open["GET /dashboard"]!(
      new Request("http://x/dashboard"),
      new URL("http://x/dashboard"),
    );
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get("location"), "/dashboard/");
    const page = await open["GET /dashboard/"]!(new Request("http://x/"), new URL("http://x/"));
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.deepEqual(Object.keys(guarded).sort(), [
      "GET /dashboard/api/state",
      "GET /dashboard/events",
    ]);
    const state = await guarded["GET /dashboard/api/state"]!(
      new Request("http://x/"),
      new URL("http://x/"),
    );
    assert.ok(Array.isArray((await state.json()).history));
    assert.throws(() => dashboardRoutes(feed, "dashboard"), RangeError);
    feed.close();
  });
});
