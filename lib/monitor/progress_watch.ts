/**
 * The live monitor's own view of each process, kept across refreshes: when it last saw the
 * counter of items move and the heartbeat change, by its own clock. A process is then judged by
 * what this monitor saw happen, not only by timestamps the process wrote (another machine's
 * clock, or a record rewritten with a new message but the same count): "no progress for 1m43s"
 * counts from the last time the count moved, and a heartbeat that stopped changing makes it
 * stalled even when its clock says otherwise.
 */
import { type ProcessSnapshot, settleProcess } from "./snapshot.ts";

interface Seen {
  current: number | null;
  currentSince: number;
  heartbeat: string;
  heartbeatSince: number;
}

/** Remembers what the processes looked like at each refresh. */
export class ProgressWatch {
  #seen = new Map<string, Seen>();

  /** The processes with ages from this monitor's view (from the second look at each one on). */
  apply(processes: ProcessSnapshot[], now: number, stallAfterSeconds: number): ProcessSnapshot[] {
    const next = new Map<string, Seen>();
    const out = processes.map((p) => {
      const before = this.#seen.get(p.process_id);
      if (before === undefined) {
        next.set(p.process_id, {
          current: p.current,
          currentSince: now - (p.progress_age_seconds ?? 0) * 1000,
          heartbeat: p.last_heartbeat,
          heartbeatSince: now - p.heartbeat_age_seconds * 1000,
        });
        return p;
      }
      const seen: Seen = { ...before };
      if (p.current !== seen.current) {
        Object.assign(seen, { current: p.current, currentSince: now });
      }
      if (p.last_heartbeat !== seen.heartbeat) {
        Object.assign(seen, { heartbeat: p.last_heartbeat, heartbeatSince: now });
      }
      next.set(p.process_id, seen);
      if (p.alert === "crashed") return p;
      const heartbeatAge = Math.round((now - seen.heartbeatSince) / 1000);
      const progressAge = p.progress_age_seconds === null
        ? null
        : Math.round((now - seen.currentSince) / 1000);
      return settleProcess({
        ...p,
        alert: heartbeatAge > stallAfterSeconds ? "stalled" : null,
        heartbeat_age_seconds: heartbeatAge,
        progress_age_seconds: progressAge,
      }, stallAfterSeconds);
    });
    this.#seen = next;
    return out;
  }
}
