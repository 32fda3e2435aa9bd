import { readValues } from "./internal/read-array.js";
import { skewnessOf } from "./internal/skewness-of.js";

/**
 * Sample skewness in population form (paper 002, Sec. 2, eq. 4; Samonds et al. 2014):
 *
 *   γ = m₃ / m₂^{3/2},  m_p = (1/M) Σ_k (r_k − r̄)^p,
 *
 * without the small-sample correction. High when a unit responds strongly to few stimuli. Two-pass
 * float64 sums. A spread at rounding level (√m₂ ≤ 64 ε max|r|, e.g. constant responses) has no
 * asymmetry and gives 0.
 *
 * @param values - M >= 1 finite responses (array or typed array)
 * @returns γ
 * @throws RangeError on an empty list or a non-finite value
 * @example
 * skewness([0, 0, 0, 1]); // 1.1547… = (2/√3)
 */
export function skewness(values: ArrayLike<number>): number {
  const v = readValues(values, "skewness", "values");
  if (v.length === 0) throw new RangeError("skewness: values is empty; expected at least one response");
  return skewnessOf(v, 0, 1, v.length);
}

