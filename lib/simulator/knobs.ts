/**
 * Parsers for the simulator knobs the CLI accepts (`--latency`, `--rate-limit`, `--faults`):
 * pure functions that return typed values or throw a one-line InputError naming the forms.
 */
import { InputError } from "../errors.ts";
import { FAULT_KINDS, type FaultKind, type FaultRates, validateFaultRates } from "./faults.ts";
import type { RateLimit } from "./rate_window.ts";

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * (UNIT_MS[unit ?? "ms"] ?? 1);
}

/** Parses "80ms±30ms", "80ms+-30ms", "80ms", "1s", "0" into a mean and jitter in ms. */
export function parseLatency(text: string): { meanMs: number; jitterMs: number } {
  const fail = () =>
    new InputError(
      `Cannot parse latency "${text}": use MEAN or MEAN±JITTER with ms or s units, e.g. 80ms, 80ms±30ms, 80ms+-30ms, 1s, 0`,
    );
  const [meanText, jitterText, extra] = text.split(/±|\+-/);
  if (meanText === undefined || extra !== undefined) throw fail();
  const meanMs = durationMs(meanText);
  const jitterMs = jitterText === undefined ? 0 : durationMs(jitterText);
  if (meanMs === undefined || jitterMs === undefined) throw fail();
  return { meanMs, jitterMs };
}

/** Parses "167/10s", "1000/10s", "100/1m", "10/s" into a limit per window. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(s|sec|m|min)\s*$/.exec(text);
  const limit = Number(match?.[1]);
  const amount = match?.[2] === undefined ? 1 : Number(match[2]);
  const windowSeconds = amount * (match?.[3]?.startsWith("m") ? 60 : 1);
  if (!match || !(limit > 0) || !(windowSeconds > 0)) {
    throw new InputError(
      `Cannot parse rate limit "${text}": use COUNT/WINDOW with a positive count and a window in s or m, e.g. 167/10s, 1000/10s, 100/1m`,
    );
  }
  return { limit, windowSeconds };
}

/**
 * Parses "500=0.05,html502=0.02,slow=1%" into per-request fault probabilities; "none" or ""
 * means no faults. Rates must total at most 1.
 */
export function parseFaults(text: string): FaultRates {
  const forms = `use KIND=RATE pairs separated by commas, RATE in 0..1 or a percentage, ` +
    `KIND one of ${FAULT_KINDS.join(", ")}; e.g. 500=0.05,html502=0.02 (or "none")`;
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "none") return {};
  const rates: FaultRates = {};
  for (const pair of trimmed.split(",")) {
    const [kind, value, extra] = pair.split("=").map((s) => s.trim());
    const percent = value?.endsWith("%") ?? false;
    const number = Number(percent ? value?.slice(0, -1) : value);
    const rate = percent ? number / 100 : number;
    if (!kind || !value || extra !== undefined || !Number.isFinite(rate)) {
      throw new InputError(`Cannot parse faults "${text}" at "${pair}": ${forms}`);
    }
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new InputError(`Cannot parse faults "${text}": unknown kind "${kind}"; ${forms}`);
    }
    rates[kind as FaultKind] = rate;
  }
  try {
    return validateFaultRates(rates);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InputError(`Cannot use faults "${text}": ${error.message}`, { cause: error });
  }
}
