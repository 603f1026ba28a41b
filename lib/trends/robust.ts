/**
 * Robust statistics for run histories: the median and the median absolute deviation (MAD)
 * are not pulled by the outliers they are meant to find, unlike the mean and the standard
 * deviation. `robustZ` is the modified z-score of Iglewicz and Hoaglin (0.6745 · (x − median)
 * / MAD); values beyond ±3.5 are the usual mark of an outlier.
 */

/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median absolute deviation from the median (NaN for none). */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** The z-score that marks an outlier. */
export const OUTLIER_Z = 3.5;

/**
 * The modified z-score of `x` against `baseline`. A baseline whose MAD is 0 (most values
 * equal) uses `minSpread` instead, so that identical history does not make every small
 * difference infinite. Default `minSpread`: 5 % of the median's magnitude, at least 1e-9.
 */
export function robustZ(x: number, baseline: readonly number[], minSpread?: number): number {
  const m = median(baseline);
  const spread = Math.max(mad(baseline), minSpread ?? Math.max(Math.abs(m) * 0.05, 1e-9));
  return (0.6745 * (x - m)) / spread;
}
