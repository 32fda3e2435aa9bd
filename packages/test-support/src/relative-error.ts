/**
 * The relative error of `a` against the reference `b` in the Euclidean norm:
 *
 *   ‖a − b‖₂ / max(‖b‖₂, 1e-30),
 *
 * summed over the entries of `b` (an `a` longer than `b` is compared on its first `b.length`
 * entries). The floor keeps an all-zero reference from dividing by zero.
 *
 * @param a - the values under test (a tensor's `dataSync()`, a gradient, ...).
 * @param b - the reference (a float64 result, finite differences, ...).
 * @returns the relative error, ≥ 0 (NaN when any compared entry is NaN).
 * @throws nothing.
 * @example
 * relativeError([1, 2.001], [1, 2]); // ≈ 4.5e-4
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}
