/** Session and process identifiers: readable, UTC-stamped, unique enough across processes. */

import { type Clock, systemClock } from "../util/clock.ts";

let generatedSessionId: string | undefined;

/** `YYYYMMDD-HHMMSS` of a millisecond time, in UTC. */
export function compactUtcStamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-07-01T15:30:22.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-` +
    `${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

function randomHex6(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function envSessionId(): string | undefined {
  try {
    return Deno.env.get("FASTINTERCOM_SESSION_ID") || undefined;
  } catch {
    return undefined; // no --allow-env: fall back to a generated id
  }
}

/** The session id: `FASTINTERCOM_SESSION_ID` if set, else `sess-YYYYMMDD-HHMMSS-<6 hex>` made once. */
export function getSessionId(): string {
  const fromEnv = envSessionId();
  if (fromEnv !== undefined) return fromEnv;
  generatedSessionId ??= `sess-${compactUtcStamp(systemClock())}-${randomHex6()}`;
  return generatedSessionId;
}

/** A readable process or operation id such as `sync-20260701-153022-abc123` (UTC). */
export function newProcessId(type: string, clock: Clock = systemClock): string {
  const safeType = type.replace(/[^A-Za-z0-9_.-]+/g, "_") || "process";
  return `${safeType}-${compactUtcStamp(clock())}-${randomHex6()}`;
}
