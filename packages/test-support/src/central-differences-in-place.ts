import { centralDifferences } from "./central-differences.js";

/**
 * Central finite differences of a float64 loss with respect to one group of its parameters, held
 * in `values` and read by `loss` through a closure (the usual float64 reference: one host array per
 * weight of a layer):
 *
 *   ∂L/∂v_i ≈ (L(v + h e_i) − L(v − h e_i)) / 2h   for every i,
 *
 * perturbing `values` in place, one entry at a time, each restored exactly before the next.
 * {@link centralDifferences} with `values` as θ and a function that ignores its argument.
 *
 * @param values - the parameter group, float64; perturbed during the call and restored.
 * @param loss - the scalar loss, which reads `values` (and any other groups) itself.
 * @param h - the step. Default 1e-6.
 * @returns ∂L/∂values, one entry per entry of `values`.
 * @throws whatever `loss` throws.
 * @example
 * const w = Float64Array.from([1, 2]);
 * centralDifferencesInPlace(w, () => w[0]! * w[1]!); // ≈ [2, 1]
 */
export function centralDifferencesInPlace(values: Float64Array, loss: () => number, h = 1e-6): Float64Array {
  return centralDifferences(() => loss(), values, h);
}
