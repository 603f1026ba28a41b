/**
 * `monitor serve` as a use case: the routes the standalone monitor server answers, built
 * from the settings, and the server started on them.
 */
import type { Settings } from "../config/config.ts";
import { createMetricsEndpoint } from "../metrics/endpoint.ts";
import { type MonitorServer, type Routes, serveMonitor } from "../dashboard/server.ts";

/** Options for {@link startMonitorServer}. */
export interface MonitorServerOptions {
  host: string;
  port: number;
  apiKey: string | null;
  allowedOrigins?: string[];
  signal?: AbortSignal;
}

/** The routes of `monitor serve`. */
export function monitorRoutes(settings: Settings): Routes {
  const metrics = createMetricsEndpoint(settings);
  return {
    "GET /metrics": () => metrics(),
  };
}

/** Starts `monitor serve`. */
export function startMonitorServer(
  settings: Settings,
  options: MonitorServerOptions,
): MonitorServer {
  return serveMonitor(monitorRoutes(settings), options);
}
