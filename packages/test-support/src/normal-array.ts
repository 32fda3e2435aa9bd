/**
 * `n` normals N(0, std²) from a seeded source, as float64: xᵢ = zᵢ · std, drawn in order (so
 * `normalArray(rng, n)` holds exactly the numbers of `Float64Array.from({ length: n }, () => rng.normal())`).
 * Any source with `normal()` fits: `@dale-nn/ei-init`'s `createRandomSource(seed)` or {@link seededRandom}.
 *
 * @param source - the stream; advanced by `n` normals.
 * @param n - how many, an integer ≥ 0.
 * @param std - the standard deviation. Default 1.
 * @returns the values, length `n`.
 * @throws RangeError when `n` is not an integer ≥ 0, naming it.
 * @example
 * const R = normalArray(createRandomSource(1), B * ne); // weights of a random linear readout of the outputs
 */
export function normalArray(source: { normal(): number }, n: number, std = 1): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`normalArray: n must be an integer >= 0; got ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = source.normal() * std;
  return out;
}
