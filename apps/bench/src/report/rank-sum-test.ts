import jStat from "jstat";

/** The Wilcoxon-Mann-Whitney rank-sum test of "the first sample tends to be larger". */
export interface RankSumTest {
  /** Mann-Whitney U of the first sample: the pairs (a_i, b_j) with a_i > b_j, a tie counting ½. */
  u: number;
  /** Values compared in each sample (NaN left out; ±Infinity kept, as the extreme ranks). */
  n1: number;
  n2: number;
  /** U / (n₁ n₂): the chance that a random value of the first sample exceeds one of the second (ties ½). */
  effect: number;
  /** One-sided p of H₁ "a tends to exceed b": exact (all splits of the pooled ranks) up to {@link EXACT_UP_TO} values, else the normal approximation; NaN when a sample is empty. */
  p: number;
}

/** Up to this many pooled values the p is exact (C(20, 10) = 184,756 splits at 20). */
const EXACT_UP_TO = 20;

/**
 * The Wilcoxon-Mann-Whitney rank-sum test, one-sided: is the first sample stochastically larger
 * than the second? With the pooled values ranked (ties get their average rank) and R₁ the rank
 * sum of the first sample,
 *
 *   U = R₁ − n₁(n₁ + 1)/2,
 *
 * and p is the share of the C(n₁ + n₂, n₁) ways to split the pooled ranks into samples of n₁ and n₂
 * whose U reaches the observed one (exact, ties included, for up to 20 values). Beyond that: z =
 * (U − n₁n₂/2 − ½) / σ with the tie-corrected σ² = n₁n₂/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))), as
 * scipy's `mannwhitneyu(..., alternative="greater", method="asymptotic")`.
 *
 * Rank-based, so a run that diverged can enter as +Infinity (the worst error) instead of being
 * dropped, and one run stuck at chance weighs no more than one just worse than the rest: the
 * right test for "model A ends with a higher error than model B" over a handful of seeds, whose
 * errors are skewed.
 *
 * @param a - the sample expected to be larger (e.g. the worse model's final errors)
 * @param b - the other sample
 * @example
 * rankSumTest([3, 4, 5], [1, 2]).p; // 0.1 (the observed split is the most extreme of 10)
 */
export function rankSumTest(a: readonly number[], b: readonly number[]): RankSumTest {
  const xs = a.filter((x) => !Number.isNaN(x));
  const ys = b.filter((x) => !Number.isNaN(x));
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, n1, n2, effect: Number.NaN, p: Number.NaN };
  const ranks = midRanks([...xs, ...ys]);
  const u = ranks.slice(0, n1).reduce((s, r) => s + r, 0) - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const p = n <= EXACT_UP_TO ? exactP(ranks, n1, u) : normalP(ranks, n1, n2, u);
  return { u, n1, n2, effect: u / (n1 * n2), p };
}

/** 1-based ranks of the values, ties given the average of the ranks they span (Infinity equals Infinity). */
function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** The share of the n₁-subsets of the pooled ranks whose U is at least the observed (1e-9 slack for the half ranks). */
function exactP(ranks: readonly number[], n1: number, observed: number): number {
  const offset = (n1 * (n1 + 1)) / 2;
  let reach = 0;
  let total = 0;
  const walk = (start: number, left: number, sum: number): void => {
    if (left === 0) {
      total++;
      if (sum - offset >= observed - 1e-9) reach++;
      return;
    }
    for (let i = start; i <= ranks.length - left; i++) walk(i + 1, left - 1, sum + ranks[i]!);
  };
  walk(0, n1, 0);
  return reach / total;
}

/** The normal approximation with the tie correction and a continuity correction of ½. */
function normalP(ranks: readonly number[], n1: number, n2: number, u: number): number {
  const n = n1 + n2;
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  const ties = [...counts.values()].reduce((s, t) => s + t ** 3 - t, 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (sigma === 0) return 1;
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  return 1 - jStat.normal.cdf(z, 0, 1);
}

/**
 * The two-sided p of the rank-sum test, 2 min(p(a > b), p(b > a)) capped at 1: "do the samples
 * differ?" (the Mann-Whitney U test of Li et al. 2023, Fig. 4 C).
 */
export function twoSidedRankSumP(a: readonly number[], b: readonly number[]): number {
  return Math.min(1, 2 * Math.min(rankSumTest(a, b).p, rankSumTest(b, a).p));
}
