import jStat from "jstat";
import type { MeanStd } from "./mean-std.js";

/** The seed-by-seed difference of two conditions: mean ± std over the paired seeds, and its paired t test. */
export interface PairedDifference extends MeanStd {
  /** Paired t = mean / (std / √n) on n − 1 degrees of freedom; NaN when n < 2 or std = 0. */
  t: number;
  /** Two-sided p of the paired t test (no difference); NaN with t. */
  p: number;
}

/**
 * The paired difference a − b over the keys (seeds) where both conditions have a finite value,
 *
 *   d_s = a_s − b_s,  mean = Σ d_s / n,  std = √(Σ (d_s − mean)² / (n − 1)),  t = mean / (std / √n),
 *
 * with the two-sided p of Student's t on n − 1 degrees of freedom (jStat). Pairing by seed removes
 * what the seed's shared draws (initial matrices, data order) add to both conditions, which a
 * comparison of the two means ± std cannot. Assumes roughly normal differences: with 5 seeds it
 * detects only large effects, so "p ≥ 0.05" means "no evidence", not "no effect".
 *
 * @param a - value per seed of the first condition (null, NaN: left out)
 * @param b - value per seed of the second
 * @example
 * pairedDifference(new Map([[0, 3], [1, 5], [2, 4]]), new Map([[0, 1], [1, 2], [2, 2]])); // mean 2.333, n 3
 */
export function pairedDifference(a: ReadonlyMap<number, number | null>, b: ReadonlyMap<number, number | null>): PairedDifference {
  const d: number[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (typeof x === "number" && Number.isFinite(x) && typeof y === "number" && Number.isFinite(y)) d.push(x - y);
  }
  const n = d.length;
  const mean = n === 0 ? Number.NaN : d.reduce((s, x) => s + x, 0) / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const t = n >= 2 && std > 0 ? mean / (std / Math.sqrt(n)) : Number.NaN;
  const p = Number.isFinite(t) ? Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(t), n - 1))) : Number.NaN;
  return { mean, std, n, t, p };
}
