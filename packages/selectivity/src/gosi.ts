import { formatValue } from "@dale-nn/core/validation";
import { gosiOf } from "./internal/gosi-of.js";
import { readValues } from "./internal/read-array.js";

/**
 * Global orientation selectivity index of one tuning curve (paper 002, Sec. 2, eq. 3; Wörgötter &
 * Eysel 1987):
 *
 *   gOSI = |Σ_k r(θ_k) e^{i 2θ_k}| / Σ_k r(θ_k),
 *
 * 1 for a unit that responds at one orientation only, 0 for a flat curve (over equally spaced
 * orientations covering 180°); for r(θ) = 1 + c cos 2(θ − θ₀) on such a grid it is c / 2.
 *
 * @param curve - responses r(θ_k) >= 0 (rates, e.g. after ReLU), not all 0
 * @param orientations - θ_k in radians, the same length as `curve`
 * @returns gOSI in [0, 1]
 * @throws RangeError on different lengths, an empty curve, a negative or non-finite response, a
 *   non-finite orientation, or a curve whose sum is 0
 * @example
 * const thetas = Array.from({ length: 18 }, (_, k) => (k * Math.PI) / 18);
 * gosi(thetas.map((t) => 1 + 0.6 * Math.cos(2 * t)), thetas); // 0.3
 */
export function gosi(curve: ArrayLike<number>, orientations: ArrayLike<number>): number {
  const context = "gosi";
  const r = readValues(curve, context, "curve");
  const th = readValues(orientations, context, "orientations");
  if (r.length === 0) throw new RangeError(`${context}: curve is empty; expected one response per orientation`);
  if (r.length !== th.length) {
    throw new RangeError(`${context}: curve has ${r.length} responses but orientations has ${th.length}; expected one response per orientation`);
  }
  for (let k = 0; k < r.length; k++) {
    if ((r[k] as number) < 0) {
      throw new RangeError(`${context}: curve[${k}] is ${formatValue(r[k])}; expected responses >= 0 (eq. 3 is defined for rates; apply a ReLU first)`);
    }
  }
  const value = gosiOf(r, 0, 1, th);
  if (Number.isNaN(value)) throw new RangeError(`${context}: the responses sum to 0; gOSI is undefined for a unit that never responds`);
  return value;
}

