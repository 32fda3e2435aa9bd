/**
 * `n` uniforms in [lo, hi) from a seeded source, as float64: xᵢ = lo + (hi − lo) · uᵢ, drawn in
 * order (so `uniformArray(rng, n)` holds exactly the numbers of
 * `Float64Array.from({ length: n }, () => rng.uniform())`). Any source with `uniform()` fits:
 * `@dale-nn/ei-init`'s `createRandomSource(seed)` or {@link seededRandom}.
 *
 * @param source - the stream; advanced by `n` uniforms.
 * @param n - how many, an integer ≥ 0.
 * @param lo - the lower end. Default 0.
 * @param hi - the upper end. Default 1.
 * @returns the values, length `n`.
 * @throws RangeError when `n` is not an integer ≥ 0, naming it.
 * @example
 * const xs = uniformArray(createRandomSource(1), B * d); // inputs in [0, 1)
 */
export function uniformArray(source: { uniform(): number }, n: number, lo = 0, hi = 1): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uniformArray: n must be an integer >= 0; got ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * source.uniform();
  return out;
}
