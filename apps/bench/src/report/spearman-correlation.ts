import jStat from "jstat";

/** Spearman's rank correlation of two samples and its test against no association. */
export interface SpearmanCorrelation {
  /** ρ_s in [−1, 1]; NaN when n < 3 or one sample is constant. */
  rho: number;
  /** Pairs with both values finite. */
  n: number;
  /** Two-sided p: exact (permutations) for n ≤ 8, else of t = ρ_s √((n − 2) / (1 − ρ_s²)) on n − 2 df; NaN with ρ_s. */
  p: number;
}

/**
 * Spearman's ρ_s: Pearson's correlation of the ranks (ties get their average rank, jStat's
 * `spearmancoeff`), over the pairs where both values are finite,
 *
 *   ρ_s = cov(rank x, rank y) / (sd(rank x) sd(rank y)),
 *
 * tested against no association exactly for n ≤ 8 (the share of all n! orderings of y with |ρ_s| at
 * least the observed; 3 perfectly ordered pairs give p = 1/3, not 0) and beyond that with Student's
 * t approximation t = ρ_s √((n − 2)/(1 − ρ_s²)), n − 2 df (what scipy's `spearmanr` reports).
 * Rank-based, so a run stuck at chance weighs as much as one just worse than the rest: the trend
 * tests of the sweep reports ask "does the error go up or down", not "by how much".
 *
 * @param x - first sample (NaN, ±Infinity: the pair is left out)
 * @param y - second sample, same length
 * @example
 * spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]); // ρ 0.821, exact p 0.133 (scipy's t approximation: 0.089)
 */
export function spearmanCorrelation(x: readonly number[], y: readonly number[]): SpearmanCorrelation {
  if (x.length !== y.length) throw new Error(`spearmanCorrelation: samples of ${x.length} and ${y.length} values; expected equal lengths`);
  const pairs = x.flatMap((a, i) => (Number.isFinite(a) && Number.isFinite(y[i]!) ? [[a, y[i]!] as const] : []));
  const n = pairs.length;
  const xs = pairs.map((p) => p[0]);
  const ys = pairs.map((p) => p[1]);
  const constant = (v: number[]) => v.every((a) => a === v[0]);
  if (n < 3 || constant(xs) || constant(ys)) return { rho: Number.NaN, n, p: Number.NaN };
  const rho = jStat.spearmancoeff(xs, ys);
  if (n <= EXACT_UP_TO) return { rho, n, p: permutationP(xs, ys, rho) };
  if (Math.abs(rho) >= 1) return { rho: Math.sign(rho), n, p: 0 };
  const t = rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { rho, n, p: Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(t), n - 2))) };
}

/** Up to this many pairs the p is exact (all n! orderings, 40,320 at 8), beyond it the t approximation. */
const EXACT_UP_TO = 8;

/** The exact two-sided permutation p: the share of the n! orderings of y whose |ρ_s| reaches the observed (Heap's algorithm). */
function permutationP(xs: number[], ys: number[], observed: number): number {
  const y = [...ys];
  const c = new Array<number>(y.length).fill(0);
  const reaches = () => (Math.abs(jStat.spearmancoeff(xs, y)) >= Math.abs(observed) - 1e-12 ? 1 : 0);
  let count = reaches();
  let total = 1;
  for (let i = 1; i < y.length; ) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [y[j], y[i]] = [y[i]!, y[j]!];
      count += reaches();
      total++;
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return count / total;
}
