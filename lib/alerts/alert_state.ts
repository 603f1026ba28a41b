/**
 * Which alert conditions have been announced, shared by every process that sends alerts
 * (`monitor serve`, `monitor status`, `sync`): `<status dir>/alerts_state.json`, changed only
 * under `<status dir>/.alerts.lock`, so a state change is announced once, whichever process
 * sees it first.
 */
import { join } from "node:path";
import { atomicWriteTextFile } from "../util/atomic_write.ts";

/** An announced condition. */
export interface AnnouncedAlert {
  event: string;
  title: string;
  /** When it was announced, UTC ISO. */
  since: string;
}

/** The announced conditions by key. */
export type AlertState = Record<string, AnnouncedAlert>;

/** The files of the alert state inside the status directory. */
export const ALERT_FILES = { state: "alerts_state.json", lock: ".alerts.lock" } as const;

/** Reads the state; empty when there is none or it is unreadable (then alerts may repeat once). */
export async function readAlertState(statusDir: string): Promise<AlertState> {
  try {
    const value = JSON.parse(await Deno.readTextFile(join(statusDir, ALERT_FILES.state)));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** Replaces the state atomically. */
export async function writeAlertState(statusDir: string, state: AlertState): Promise<void> {
  await Deno.mkdir(statusDir, { recursive: true });
  await atomicWriteTextFile(
    join(statusDir, ALERT_FILES.state),
    JSON.stringify(state, null, 2) + "\n",
    { mode: 0o600 },
  );
}
