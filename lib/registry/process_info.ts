/**
 * Facts about processes by pid: alive or not, and when they started. The start time tells a
 * reused pid from the tracked process. Uses `kill(pid, 0)` and `ps`, both needing
 * `--allow-run`; without it every answer is null ("unknown") rather than an error.
 */

const PS_ENV = { LC_ALL: "C", TZ: "UTC" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Whether `pid` exists: true, false, or null when it cannot be checked (no permission). */
export function isProcessAlive(pid: number): boolean | null {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal); // signal 0: existence check, nothing is sent
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    if (error instanceof Deno.errors.PermissionDenied) return true; // exists, owned by another user
    return null;
  }
}

/**
 * Normalises `ps -o lstart=` output (`Sun Nov 29 01:49:57 2026`, printed with TZ=UTC) to
 * `2026-11-29T01:49:57Z`; null when it does not have that shape.
 */
export function normalizeLstart(text: string): string | null {
  const match = /^\s*\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{2}:\d{2}:\d{2})\s+(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [, month, day, time, year] = match;
  const monthIndex = MONTHS.indexOf(month as string);
  if (monthIndex < 0) return null;
  const mm = String(monthIndex + 1).padStart(2, "0");
  return `${year}-${mm}-${(day as string).padStart(2, "0")}T${time}Z`;
}

/**
 * Start times of the given pids that exist (zombies excluded), keyed by pid; null when `ps`
 * cannot be run. One `ps` call for all pids.
 */
export async function processStartTimes(pids: number[]): Promise<Map<number, string> | null> {
  const wanted = [...new Set(pids.filter((pid) => Number.isInteger(pid) && pid > 0))];
  const found = new Map<number, string>();
  if (wanted.length === 0) return found;
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("ps", {
      args: ["-o", "pid=,stat=,lstart=", "-p", wanted.join(",")],
      env: PS_ENV,
      stdout: "piped",
      stderr: "null",
    }).output();
  } catch {
    return null; // no --allow-run, or no ps on this system
  }
  // ps exits 1 when none of the pids exist; that is an answer, not a failure
  for (const line of new TextDecoder().decode(output.stdout).split("\n")) {
    const match = /^\s*(\d+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match) continue;
    const [, pid, stat, lstart] = match;
    const start = normalizeLstart(lstart as string);
    if (start !== null && !(stat as string).startsWith("Z")) found.set(Number(pid), start);
  }
  if (output.code !== 0 && found.size === 0 && output.code !== 1) return null;
  return found;
}

/** When `pid` started (`2026-11-29T01:49:57Z`, one-second precision); null if gone or unknown. */
export async function processStartTime(pid: number): Promise<string | null> {
  const times = await processStartTimes([pid]);
  return times?.get(pid) ?? null;
}

let ownStart: Promise<string | null> | undefined;

/** This process's start time, looked up once and cached. */
export function ownStartTime(): Promise<string | null> {
  ownStart ??= processStartTime(Deno.pid);
  return ownStart;
}

/** This machine's host name, or `"unknown"` without `--allow-sys`. */
export function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}
