/**
 * The `anomalies` check of `debug health`: the run history's anomalies (see
 * `trends/anomalies.ts`) as a warning, so `--strict` fails on them; ok when there are none or
 * when the history is too short to judge.
 */
import type { Paths } from "../config/paths.ts";
import { trendReport } from "../trends/trends.ts";
import type { HealthCheck } from "./checks.ts";

/** The anomalies of the store's run history at `now` (Unix ms). */
export function anomalyCheck(paths: Paths, now: number): HealthCheck {
  const { anomalies } = trendReport(paths.storeFile, Math.floor(now / 1000), { limit: 0 });
  if (anomalies.length === 0) {
    return {
      name: "anomalies",
      status: "ok",
      detail: "recent runs look like the usual ones (or too few runs to judge)",
    };
  }
  return {
    name: "anomalies",
    status: "warn",
    detail: anomalies.map((a) => `${a.kind}: ${a.detail}`).join("; ") +
      " — see `fast-intercom-mcp monitor trends`",
  };
}
