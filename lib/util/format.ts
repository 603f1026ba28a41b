/**
 * Numbers, bytes and durations for people. Pure functions, independent of the locale.
 *
 * Our own rather than a library: `@std/fmt` (bytes, duration) is published on JSR only — the npm
 * registry has no `@std/*` package and `npm:@jsr/...` is not reachable from here — and the npm
 * alternatives print other forms than ours (`pretty-bytes` writes `kB` and drops `.0`), so the
 * outputs the tests pin would change. These are a few lines each.
 */

/** `1234567` → `"1,234,567"` (always en-US grouping, rounded to a whole number). */
export function groupDigits(n: number): string {
  const sign = n < 0 ? "-" : "";
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Bytes in decimal units, one decimal from KB on: `512 B`, `157.3 MB`, `1.2 TB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(bytes)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Options for {@link formatDuration}. */
export interface DurationFormatOptions {
  /** From one day on, write days and hours (`3d02h`) instead of hours (`74h00m`). Default: false. */
  days?: boolean;
}

/**
 * Seconds as `45s`, `2m05s` or `1h02m`, fractions dropped (an elapsed time or ETA never shows
 * more than has passed); with `days`, `3d02h` from one day on.
 */
export function formatDuration(seconds: number, options: DurationFormatOptions = {}): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  if (s < 86400 || !options.days) {
    return `${Math.floor(s / 3600)}h${pad2(Math.floor(s % 3600 / 60))}m`;
  }
  return `${Math.floor(s / 86400)}d${pad2(Math.floor(s % 86400 / 3600))}h`;
}

/** An age or interval in a sentence, rounded to the second: `47s`, `3m05s`, `2h04m`, `3d02h`. */
export function formatSeconds(seconds: number): string {
  return formatDuration(Math.round(seconds), { days: true });
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
