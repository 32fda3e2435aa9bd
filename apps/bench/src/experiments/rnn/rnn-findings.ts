import { compareMeanStd } from "../../report/compare-mean-std.js";
import { formatSigned } from "../../report/format-signed.js";
import { pValuePhrase } from "../../report/format-p-value.js";
import { meanStd } from "../../report/mean-std.js";
import { rankSumTest, twoSidedRankSumP } from "../../report/rank-sum-test.js";
import type { RnnTaskName } from "../recurrent/rnn-profiles.js";
import type { RnnRecord } from "../recurrent/rnn-record.js";

/**
 * A run's final test metric for the rank tests: a diverged run is the worst outcome (+Infinity),
 * not a missing one; a run without a final evaluation is left out (NaN).
 */
function rankedFinal(r: RnnRecord): number {
  if (r.diverged !== undefined) return Number.POSITIVE_INFINITY;
  return r.finalEvalError ?? Number.NaN;
}

/** The finite final metrics of a model's runs (diverged runs left out): the means, spreads and Welch intervals. */
function finiteFinals(rs: readonly RnnRecord[]): number[] {
  return rs.flatMap((r) => (r.diverged === undefined && r.finalEvalError !== null && Number.isFinite(r.finalEvalError) ? [r.finalEvalError] : []));
}

/** "x.xx points" of an error rate, or the MSE with 4 decimals; `signed`: with its sign always shown. */
function metricText(task: RnnTaskName, x: number, signed = false): string {
  const text = (v: number, digits: number) => (signed ? formatSigned(v, digits) : v.toFixed(digits));
  return task === "seqmnist" ? `${text(100 * x, 2)} points` : text(x, 4);
}

/**
 * One-sided rank-sum verdict on "a ends worse (higher) than b": **holds** at p < 0.05, **the
 * opposite holds** when the reverse test has p < 0.05, otherwise not shown; with U, its maximum
 * and the run counts.
 */
export function worseVerdict(a: readonly number[], b: readonly number[]): string {
  const t = rankSumTest(a, b);
  if (!Number.isFinite(t.p) || t.n1 < 2 || t.n2 < 2) return `no test (${t.n1} and ${t.n2} runs; at least 2 each needed)`;
  const reverse = rankSumTest(b, a);
  const stats = `U = ${t.u} of ${t.n1 * t.n2}, one-sided rank-sum ${pValuePhrase(t.p)}, ${t.n1} and ${t.n2} runs`;
  if (t.p < 0.05) return `**holds** (${stats})`;
  if (reverse.p < 0.05) return `**the opposite holds** (${stats}; reversed ${pValuePhrase(reverse.p)})`;
  return `not shown (${stats})`;
}

/**
 * The paper's claims about Fig. 2 A-B (Li et al. 2023, Sec. 2.2 and Sec. 4), tested on one
 * task's runs, one bullet per claim:
 * - ColEI learns worse than the standard RNN, and worse than DANN: one-sided Wilcoxon-Mann-Whitney
 *   rank-sum tests of the final test metric, a diverged run counting as the worst;
 * - DANN learns as well as the standard RNN: the two-sided rank-sum test, with Welch's 95%
 *   interval of the difference of the means (an interval around 0 bounds the gap);
 * - ColEI is more variable across seeds: the ratio of the standard deviations and the two-sided F
 *   test against the RNN and DANN (finite runs);
 * - without gradient clipping ColEI is unstable: ColEI unclipped against clipped, one-sided
 *   rank-sum, with the count of diverged runs.
 * Claims whose models are missing are left out.
 *
 * @param task - the task, for the metric's units (adding: MSE; sequential MNIST: error rate, in points)
 * @param records - that task's runs of `dale-bench rnn`
 * @returns Markdown bullets
 */
export function rnnFindings(task: RnnTaskName, records: readonly RnnRecord[]): string[] {
  const runs = (model: string) => records.filter((r) => r.task === task && r.model === model);
  const ranked = (model: string) => runs(model).map(rankedFinal);
  const has = (...models: string[]) => models.every((m) => runs(m).length > 0);
  const lines: string[] = [];
  if (has("colei", "rnn")) lines.push(`- ColEI learns worse than the standard RNN (higher final test ${task === "adding" ? "MSE" : "error"}): ${worseVerdict(ranked("colei"), ranked("rnn"))}.`);
  if (has("colei", "dann")) lines.push(`- ColEI learns worse than DANN: ${worseVerdict(ranked("colei"), ranked("dann"))}.`);
  if (has("dann", "rnn")) lines.push(`- DANN learns as well as the standard RNN: ${sameVerdict(task, ranked("dann"), ranked("rnn"), finiteFinals(runs("dann")), finiteFinals(runs("rnn")))}.`);
  if (has("colei", "rnn") || has("colei", "dann")) {
    const against = (["rnn", "dann"] as const).filter((m) => has(m)).map((m) => `than ${m === "rnn" ? "the RNN" : "DANN"}: ${spreadVerdict(finiteFinals(runs("colei")), finiteFinals(runs(m)))}`);
    lines.push(`- ColEI is more variable across seeds (standard deviation of the final metric, F test, runs that did not diverge) ${against.join("; ")}.`);
  }
  if (has("colei-noclip", "colei")) {
    const diverged = runs("colei-noclip").filter((r) => r.diverged !== undefined).length;
    lines.push(`- Without gradient clipping ColEI is unstable (ends worse than clipped ColEI, a diverged run counting as the worst; ${diverged} of ${runs("colei-noclip").length} diverged): ${worseVerdict(ranked("colei-noclip"), ranked("colei"))}.`);
  }
  return lines;
}

/** "consistent" when the two-sided rank-sum test finds no difference; with Welch's interval of the difference. */
function sameVerdict(task: RnnTaskName, a: readonly number[], b: readonly number[], finiteA: readonly number[], finiteB: readonly number[]): string {
  const greater = rankSumTest(a, b);
  if (!Number.isFinite(greater.p) || greater.n1 < 2 || greater.n2 < 2) return `no test (${greater.n1} and ${greater.n2} runs; at least 2 each needed)`;
  const p = twoSidedRankSumP(a, b);
  const c = compareMeanStd(meanStd(finiteA), meanStd(finiteB));
  const gap = c === null ? "" : `; DANN − RNN ${metricText(task, c.difference, true)} (Welch 95% CI ± ${metricText(task, c.differenceCi95)})`;
  const stats = `two-sided rank-sum ${pValuePhrase(p)}, ${greater.n1} and ${greater.n2} runs${gap}`;
  if (p >= 0.05) return `**consistent**: no difference detected (${stats})`;
  return `**not shown**: DANN ends ${greater.p < rankSumTest(b, a).p ? "worse" : "better"} (${stats})`;
}

/** The std ratio a / b with the two-sided F test: **holds** when a's spread is larger at p < 0.05. */
function spreadVerdict(a: readonly number[], b: readonly number[]): string {
  const c = compareMeanStd(meanStd(a), meanStd(b));
  if (c === null) return `no test (${a.length} and ${b.length} finite runs)`;
  const stats = `std ratio ${c.stdRatio.toFixed(1)}, ${pValuePhrase(c.spreadP)}`;
  if (c.spreadP < 0.05) return c.stdRatio > 1 ? `**holds** (${stats})` : `**the opposite holds** (${stats})`;
  return `not shown (${stats})`;
}
