import type { InitArray } from "./init-array.js";
import type { RandomSource } from "./random-source.js";
import { requirePositive } from "@dale-nn/core/validation";

/**
 * Draws an array of i.i.d. exponential values with the given scale
 * (scale = mean = standard deviation = 1 / rate λ), as used for every excitatory weight in
 * Cornford et al. (2021), Sec. 3 and App. B.
 *
 * @param rng - the random source
 * @param shape - the array's shape
 * @param scale - mean of the distribution (> 0)
 * @returns the samples as an {@link InitArray}
 * @throws RangeError if `scale` is not a finite positive number
 * @example
 * const w = sampleExponential(createRandomSource(0), [500, 784], 0.045);
 */
export function sampleExponential(rng: RandomSource, shape: readonly number[], scale: number): InitArray {
  requirePositive("sampleExponential", "scale", scale);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.exponential(scale);
  return { values, shape: [...shape] };
}

/**
 * Draws an array of i.i.d. normal values N(0, std^2).
 *
 * @param rng - the random source
 * @param shape - the array's shape
 * @param std - standard deviation (> 0)
 * @returns the samples as an {@link InitArray}
 * @throws RangeError if `std` is not a finite positive number
 * @example
 * const w = sampleNormal(createRandomSource(0), [10, 20], 0.1);
 */
export function sampleNormal(rng: RandomSource, shape: readonly number[], std: number): InitArray {
  requirePositive("sampleNormal", "std", std);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return { values, shape: [...shape] };
}

/**
 * Draws an array of i.i.d. uniform values in [low, high).
 *
 * @param rng - the random source
 * @param shape - the array's shape
 * @param low - lower bound
 * @param high - upper bound (> low)
 * @returns the samples as an {@link InitArray}
 * @throws RangeError if `high <= low`
 * @example
 * const w = sampleUniform(createRandomSource(0), [100, 100], -0.1, 0.1);
 */
export function sampleUniform(rng: RandomSource, shape: readonly number[], low: number, high: number): InitArray {
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) {
    throw new RangeError(`sampleUniform: need finite low < high; got low=${low}, high=${high}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * rng.uniform();
  return { values, shape: [...shape] };
}
