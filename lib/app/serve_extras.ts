/**
 * What `serve` answers besides MCP: `GET /metrics` (with this server's MCP tool calls) and the
 * web dashboard under `/dashboard/`, as routes of the MCP server's route table. Data routes are
 * guarded like `/mcp` (Host, Origin, bearer key); the page and its assets hold no data and are
 * open.
 */
import type { Settings } from "../config/config.ts";
import { DashboardFeed, type FeedOptions } from "../dashboard/feed.ts";
import { dashboardRoutes } from "../dashboard/routes.ts";
import type { Routes } from "../dashboard/server.ts";
import type { HttpRoute } from "../mcp/http_routes.ts";
import { TOOLS } from "../mcp/tool_table.ts";
import { createMetricsEndpoint } from "../metrics/endpoint.ts";
import { ToolMetrics } from "../metrics/tool_metrics.ts";

/** The dashboard's base path on `serve`. */
export const DASHBOARD_BASE = "/dashboard/";

/** `serve`'s extra routes and the instruments they read. */
export interface ServeExtras extends Disposable {
  routes: HttpRoute[];
  /** Pass to `openMcpApp({ onToolCall })`. */
  onToolCall: (tool: string, outcome: "ok" | "error", seconds: number) => void;
  /** Stops the dashboard's feed. Safe twice. */
  close(): void;
}

function asHttpRoutes(routes: Routes, access: HttpRoute["access"]): HttpRoute[] {
  return Object.entries(routes).map(([key, handler]) => {
    const [method, path] = key.split(" ") as [string, string];
    return {
      path,
      methods: [method],
      access,
      handle: (request: Request) => handler(request, new URL(request.url)),
    };
  });
}

/** Builds `/metrics` and `/dashboard/` for `serve`. */
export function serveExtras(settings: Settings, options: { feed?: FeedOptions } = {}): ServeExtras {
  const tools = new ToolMetrics();
  for (const tool of TOOLS) tools.declare(tool.name);
  const metrics = createMetricsEndpoint(settings, { extra: [tools.registry] });
  const feed = new DashboardFeed(settings, options.feed);
  const dashboard = dashboardRoutes(feed, DASHBOARD_BASE);
  const close = () => feed.close();
  return {
    routes: [
      { path: "/metrics", methods: ["GET"], access: "guarded", handle: () => metrics() },
      ...asHttpRoutes(dashboard.open, "open"),
      ...asHttpRoutes(dashboard.guarded, "guarded"),
    ],
    onToolCall: (tool, outcome, seconds) => tools.observe(tool, outcome, seconds),
    close,
    [Symbol.dispose]: close,
  };
}
