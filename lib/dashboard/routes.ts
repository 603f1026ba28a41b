/**
 * The dashboard's routes under a base path (`/` on `monitor serve`, `/dashboard/` on
 * `serve`): the page and its assets, open (they hold no data), and the state as JSON and as
 * a Server-Sent Events stream, behind the server's key.
 */
import { eventStream } from "./events.ts";
import type { DashboardFeed } from "./feed.ts";
import { assetResponse, DASHBOARD_ASSETS } from "./page.ts";
import type { Routes } from "./server.ts";

/** Routes served without a key, and routes behind it. */
export interface DashboardRoutes {
  open: Routes;
  guarded: Routes;
}

/** The dashboard's routes; `base` starts and ends with `/`. Default: `/`. */
export function dashboardRoutes(feed: DashboardFeed, base = "/"): DashboardRoutes {
  if (!base.startsWith("/") || !base.endsWith("/")) {
    throw new RangeError(`dashboard base "${base}" must start and end with "/"`);
  }
  const open: Routes = {};
  for (const [path, asset] of Object.entries(DASHBOARD_ASSETS)) {
    open[`GET ${base}${path}`] = () => assetResponse(asset);
  }
  if (base !== "/") {
    open[`GET ${base.slice(0, -1)}`] = () =>
      new Response(null, { status: 308, headers: { location: base } });
  }
  return {
    open,
    guarded: {
      [`GET ${base}events`]: () => eventStream(feed),
      [`GET ${base}api/state`]: async () =>
        new Response(JSON.stringify(await feed.current()), {
          headers: { "content-type": "application/json", "cache-control": "no-store" },
        }),
    },
  };
}
