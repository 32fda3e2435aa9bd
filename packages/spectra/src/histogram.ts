import { isTensorLike, type TensorLike } from "./tensor-like.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** Number of equal-width bins, an integer ≥ 1. */
  bins: number;
  /**
   * `[lo, hi]` covered by the bins (lo < hi, both finite); values outside are not counted. Default:
   * `[min, max]` of the values (`[v − 0.5, v + 0.5]` when all values equal v), as numpy does.
   */
  range?: readonly [number, number];
}

/** Result of {@link histogram}. */
export interface Histogram {
  /** `bins + 1` increasing bin edges; bin k is [edges[k], edges[k+1]), the last bin also holds edges[bins]. */
  edges: Float64Array;
  /** Number of values in each bin. */
  counts: Uint32Array;
}

/**
 * Histogram with equal-width bins, e.g. of singular values (Li et al. 2023, Fig. 3 D-F, Fig. 5-6 D-F).
 *
 * edges_k = lo + k (hi − lo) / bins for k = 0 … bins; value x is counted in bin
 * ⌊(x − lo) / (hi − lo) · bins⌋, with x = hi in the last bin (numpy.histogram's convention).
 * For density, divide counts by (total count · bin width).
 *
 * @param values - finite numbers: an array, a typed array, or a tensor-like of any shape (flattened)
 * @param options - `bins` and an optional `range`; see {@link HistogramOptions}
 * @returns `{ edges, counts }`
 * @throws RangeError on a non-integer or < 1 `bins`, an invalid `range`, a NaN / ±Infinity value,
 *   or an empty `values` without a `range`
 * @example
 * histogram(singularValues(w), { bins: 50 });
 * histogram([0, 0.5, 1, 2], { bins: 2, range: [0, 2] }); // edges [0, 1, 2], counts [2, 2]
 */
export function histogram(values: ArrayLike<number> | TensorLike, options: HistogramOptions): Histogram {
  const context = "histogram";
  if (options == null || typeof options !== "object") {
    throw new TypeError(`${context}: options must be an object { bins, range? }; got ${formatValue(options)}`);
  }
  const bins = requireInteger(context, "bins", options.bins, 1);
  const flat = isTensorLike(values) ? values.dataSync() : values;
  if (flat == null || typeof flat.length !== "number") {
    throw new TypeError(`${context}: values must be an array, a typed array or a tensor; got ${formatValue(values)}`);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(`${context}: values has a non-finite entry ${formatValue(x)} at index ${i}; expected finite numbers`);
    }
    if (x < min) min = x;
    if (x > max) max = x;
  }
  let lo: number;
  let hi: number;
  if (options.range !== undefined) {
    const range = options.range;
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      !Number.isFinite(range[0]) ||
      !Number.isFinite(range[1]) ||
      !(range[0] < range[1])
    ) {
      throw new RangeError(`${context}: range must be [lo, hi] with finite lo < hi; got ${formatValue(range)}`);
    }
    [lo, hi] = range;
  } else {
    if (flat.length === 0) {
      throw new RangeError(`${context}: values is empty; give a range to get empty bins`);
    }
    lo = min;
    hi = max;
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
  }
  const edges = new Float64Array(bins + 1);
  const width = hi - lo;
  for (let k = 0; k < bins; k++) edges[k] = lo + (width * k) / bins;
  edges[bins] = hi;
  const counts = new Uint32Array(bins);
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i]!;
    if (x < lo || x > hi) continue;
    let k = Math.min(bins - 1, Math.floor(((x - lo) / width) * bins));
    // Correct the rare off-by-one of the floating-point division against the stored edges.
    if (k > 0 && x < edges[k]!) k--;
    else if (k < bins - 1 && x >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  return { edges, counts };
}
