/**
 * The largest absolute error of `a` against the reference `b`, relative to the scale of `b`:
 *
 *   maxᵢ |aᵢ − bᵢ| / max(maxᵢ |bᵢ|, 1e-30),
 *
 * over the entries of `b`: a forward check that is not dominated by the few largest outputs the
 * way a norm is, and not blown up by outputs near 0 the way an elementwise ratio is.
 *
 * @param a - the values under test.
 * @param b - the reference.
 * @returns the error, ≥ 0 (NaN when any compared entry is NaN).
 * @throws nothing.
 * @example
 * maxRelativeError([1, 10.01], [1, 10]); // ≈ 1e-3
 */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(den, 1e-30);
}
