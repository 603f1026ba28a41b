/**
 * `monitor serve` as a use case: the routes the standalone monitor server answers, built
 * from the settings, and the server started on them.
 */
import type { Settings } from "../config/config.ts";
import type { ConnectionLimits } from "../mcp/connection_guard.ts";
import { createMetricsEndpoint } from "../metrics/endpoint.ts";
import { DashboardFeed, type FeedOptions } from "../dashboard/feed.ts";
import { dashboardRoutes } from "../dashboard/routes.ts";
import { type MonitorServer, type Routes, serveMonitor } from "../dashboard/server.ts";

/** Options for {@link startMonitorServer}. */
export interface MonitorServerOptions {
  host: string;
  port: number;
  apiKey: string | null;
  allowedOrigins?: string[];
  /** Connection limits and timeouts. Default: as `serve`'s. */
  limits?: Partial<ConnectionLimits>;
  signal?: AbortSignal;
  /** Tuning of the dashboard's feed (tests). Default: the feed's defaults. */
  feed?: FeedOptions;
}

/** The routes of `monitor serve`: the dashboard at `/`, metrics at `/metrics`. */
export function monitorRoutes(
  settings: Settings,
  feed: DashboardFeed,
): { open: Routes; guarded: Routes } {
  const metrics = createMetricsEndpoint(settings);
  const dashboard = dashboardRoutes(feed, "/");
  return {
    open: dashboard.open,
    guarded: { ...dashboard.guarded, "GET /metrics": () => metrics() },
  };
}

/** Starts `monitor serve`; closing it stops the dashboard's feed. */
export async function startMonitorServer(
  settings: Settings,
  options: MonitorServerOptions,
): Promise<MonitorServer> {
  const feed = new DashboardFeed(settings, options.feed);
  const routes = monitorRoutes(settings, feed);
  let server: MonitorServer;
  try {
    server = await serveMonitor(routes.guarded, { ...options, open: routes.open });
  } catch (error) {
    feed.close();
    throw error;
  }
  void server.finished.then(() => feed.close());
  const close = async () => {
    feed.close();
    await server.close();
  };
  return { ...server, close, [Symbol.asyncDispose]: close };
}
