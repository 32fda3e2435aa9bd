import jStat from "jstat";
import type { MeanStd } from "./mean-std.js";

/** Ours against a published mean ± std: the difference of the means and of the spreads, with two-sided p-values. */
export interface MeanStdComparison {
  /** ours.mean − theirs.mean. */
  difference: number;
  /** Welch's t = difference / sqrt(s₁²/n₁ + s₂²/n₂). */
  welchT: number;
  /** Welch–Satterthwaite degrees of freedom. */
  welchDf: number;
  /** Two-sided p of Welch's t test (equal means). */
  meanP: number;
  /** Half-width of Welch's 95% interval for the difference, t₀.₉₇₅(ν) √(s₁²/n₁ + s₂²/n₂). */
  differenceCi95: number;
  /** ours.std / theirs.std. */
  stdRatio: number;
  /** Two-sided p of the F test of equal variances, F = s₁² / s₂² on (n₁ − 1, n₂ − 1) degrees of freedom. */
  spreadP: number;
}

/**
 * Compares two samples given only their summary statistics, as a paper's "mean ± std over n
 * seeds" allows: Welch's unequal-variance t test of the means,
 *
 *   t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂),  ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)),
 *
 * and the F test of the variances, F = s₁²/s₂² on (n₁ − 1, n₂ − 1) degrees of freedom, both
 * two-sided (Student t and F distribution functions from jStat). Both assume roughly normal
 * seed-to-seed variation; with 6 seeds a side they detect only large differences, so "p ≥ 0.05"
 * means "no evidence of a difference", not "equal".
 *
 * @param ours - our mean, sample std and n (n ≥ 2)
 * @param theirs - the published mean, sample std and n (n ≥ 2)
 * @returns the comparison, or null when either side has n < 2 or a non-finite or zero std
 * @example
 * compareMeanStd({ mean: 10.85, std: 0.42, n: 6 }, { mean: 10.626, std: 0.466, n: 6 })!.meanP; // 0.4025
 */
export function compareMeanStd(ours: MeanStd, theirs: MeanStd): MeanStdComparison | null {
  const ok = (s: MeanStd) => s.n >= 2 && Number.isFinite(s.mean) && Number.isFinite(s.std) && s.std > 0;
  if (!ok(ours) || !ok(theirs)) return null;
  const v1 = (ours.std * ours.std) / ours.n;
  const v2 = (theirs.std * theirs.std) / theirs.n;
  const difference = ours.mean - theirs.mean;
  const welchT = difference / Math.sqrt(v1 + v2);
  const welchDf = (v1 + v2) ** 2 / (v1 ** 2 / (ours.n - 1) + v2 ** 2 / (theirs.n - 1));
  const meanP = Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(welchT), welchDf)));
  const differenceCi95 = jStat.studentt.inv(0.975, welchDf) * Math.sqrt(v1 + v2);
  const f = (ours.std * ours.std) / (theirs.std * theirs.std);
  const fCdf = jStat.centralF.cdf(f, ours.n - 1, theirs.n - 1);
  const spreadP = Math.min(1, 2 * Math.min(fCdf, 1 - fCdf));
  return { difference, welchT, welchDf, meanP, differenceCi95, stdRatio: ours.std / theirs.std, spreadP };
}
