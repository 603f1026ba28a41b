/** Sparklines: a series as one line of block characters (`▁▂▃▅▇`), for terminal tables. */

const BARS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * One character per value, scaled between the series' minimum and maximum; a missing value
 * (null) is a space, a flat series sits on the lowest bar.
 */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return " ".repeat(values.length);
  const min = Math.min(...present);
  const span = Math.max(...present) - min;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return " ";
    const i = span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1));
    return BARS[i];
  }).join("");
}
