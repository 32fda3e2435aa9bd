/**
 * Central finite differences in float64 of a scalar function of a flat parameter vector, the
 * reference that gradient tests compare tfjs gradients with:
 *
 *   ∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h   for every i,
 *
 * with error O(h²) (plus the rounding of f, about ε_f / h). `theta` is perturbed in place, one entry
 * at a time, and each entry is restored exactly before the next, so on return `theta` holds its
 * original values.
 *
 * @param f - the scalar function; it reads `theta` (the same array, perturbed) and must not keep it.
 * @param theta - the point, float64; perturbed during the call and restored.
 * @param h - the step. Default 1e-6 (float64 references of smooth losses of O(1) inputs).
 * @returns the estimated gradient, one entry per entry of `theta`.
 * @throws whatever `f` throws (then `theta[i]` may be left perturbed).
 * @example
 * centralDifferences((t) => t[0]! ** 2 + 3 * t[1]!, Float64Array.from([2, 5])); // ≈ [4, 3]
 */
export function centralDifferences(f: (theta: Float64Array) => number, theta: Float64Array, h = 1e-6): Float64Array {
  const grad = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const old = theta[i]!;
    theta[i] = old + h;
    const fp = f(theta);
    theta[i] = old - h;
    const fm = f(theta);
    theta[i] = old;
    grad[i] = (fp - fm) / (2 * h);
  }
  return grad;
}
