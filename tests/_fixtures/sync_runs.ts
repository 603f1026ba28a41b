/** A `sync_runs` row for tests of the sync verdict (no store needed). */
import type { SyncRun } from "../../lib/sync/run_record.ts";
import { zeroCounts } from "../../lib/sync/run_record.ts";

/**
 * Run `id` with `status`, started 2026-07-01T11:00:00Z + `id` s and (unless running) finished
 * 11:05:00Z + `id` s, by process `sync-<id>`, counts zero; `over` replaces any field.
 */
export function syncRun(
  id: number,
  status: SyncRun["status"],
  over: Partial<SyncRun> = {},
): SyncRun {
  const at = (iso: string) => Date.parse(iso) / 1000 + id;
  return {
    id,
    mode: "incremental",
    windowStart: 0,
    windowEnd: 0,
    startedAt: at("2026-07-01T11:00:00Z"),
    finishedAt: status === "running" ? null : at("2026-07-01T11:05:00Z"),
    status,
    error: null,
    processId: `sync-${id}`,
    sessionId: null,
    ...zeroCounts(),
    ...over,
  };
}
