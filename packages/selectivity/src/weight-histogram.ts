import { formatValue, requireInteger } from "@dale-nn/core/validation";
import type { WeightsInput } from "./connection-density.js";
import { weightLists } from "./internal/weight-lists.js";
import { readValues } from "./internal/read-array.js";

/** Options of {@link weightHistogram}. */
export interface WeightHistogramOptions {
  /** Number of equal-width bins, integer >= 1; default 100 (as the reference plots). */
  bins?: number;
  /** Bin the base-10 logarithm of |w| (paper 002, Fig. 3a-d, x-axis log₁₀ w); default true. */
  log10?: boolean;
  /** `[lo, hi]` of the (log) values; default `[min, max]` (`[v − 0.5, v + 0.5]` when all equal v). */
  range?: readonly [number, number];
}

/** Result of {@link weightHistogram}. */
export interface WeightHistogram {
  /** `bins + 1` increasing edges; bin b is [edges[b], edges[b+1]), the last one closed. */
  readonly edges: Float64Array;
  /** Weights per bin. */
  readonly counts: Uint32Array;
  /** Weights that are exactly 0 when `log10` (log₁₀ 0 = −∞, not binned). */
  readonly zeros: number;
  /** Weights outside `range` (not binned). */
  readonly outside: number;
  /** All weights read (binned + zeros + outside). */
  readonly total: number;
}

/**
 * Histogram of connection weights, by default of log₁₀|w| (paper 002, Fig. 3a-d: a strong mode
 * above the density threshold log₁₀ exp(−10) ≈ −4.34 and weaker modes below):
 *
 *   edges_b = lo + b (hi − lo) / bins;  x counted in bin ⌊(x − lo) / (hi − lo) · bins⌋, x = hi in the last,
 *
 * numpy.histogram's convention. Several weight sets are pooled. Divide counts by total · bin width
 * for a density.
 *
 * @param weights - one set of weights or a list of them (see {@link WeightsInput})
 * @param options - bins, log scale and range; see {@link WeightHistogramOptions}
 * @returns `{ edges, counts, zeros, outside, total }`
 * @throws RangeError on bad bins or range, a non-finite weight, or nothing to bin without a range
 * @example
 * const h = weightHistogram(weightBlock(w, g.PN, g.PN), { bins: 60, range: [-20, 0] });
 */
export function weightHistogram(weights: WeightsInput | readonly WeightsInput[], options: WeightHistogramOptions = {}): WeightHistogram {
  const context = "weightHistogram";
  const bins = requireInteger(context, "bins", options.bins ?? 100, 1);
  const log = options.log10 ?? true;
  const values: number[] = [];
  let zeros = 0;
  let total = 0;
  for (const [name, list] of weightLists(weights, context)) {
    const v = readValues(list, context, name);
    total += v.length;
    for (let e = 0; e < v.length; e++) {
      const x = v[e] as number;
      if (!log) values.push(x);
      else if (x === 0) zeros++;
      else values.push(Math.log10(Math.abs(x)));
    }
  }
  let lo: number;
  let hi: number;
  if (options.range !== undefined) {
    const r = options.range;
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
      throw new RangeError(`${context}: range must be [lo, hi] with finite lo < hi; got ${formatValue(r)}`);
    }
    [lo, hi] = r as [number, number];
  } else {
    if (values.length === 0) throw new RangeError(`${context}: no non-zero weights to bin; give a range to get empty bins`);
    lo = Infinity;
    hi = -Infinity;
    for (const x of values) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, b) => (b === bins ? hi : lo + (b * (hi - lo)) / bins));
  const counts = new Uint32Array(bins);
  let outside = 0;
  for (const x of values) {
    if (x < lo || x > hi) {
      outside++;
      continue;
    }
    let b = x === hi ? bins - 1 : Math.floor(((x - lo) / (hi - lo)) * bins);
    // Rounding near an edge: follow the edges array exactly.
    while (b > 0 && x < (edges[b] as number)) b--;
    while (b < bins - 1 && x >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  return { edges, counts, zeros, outside, total };
}
