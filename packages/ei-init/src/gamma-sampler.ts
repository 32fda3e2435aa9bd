import type { InitArray } from "./init-array.js";
import type { RandomSource } from "./random-source.js";
import { requirePositive } from "@dale-nn/core/validation";

/** One Gamma(k, 1) draw, Marsaglia & Tsang (2000); k < 1 through Gamma(k + 1) · U^{1/k}. */
function gammaDraw(rng: RandomSource, k: number): number {
  if (k < 1) return gammaDraw(rng, k + 1) * Math.pow(1 - rng.uniform(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = 0;
    let v = 0;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform(); // (0, 1]
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Draws an array of i.i.d. Gamma(k, θ) values (shape k, scale θ: mean kθ, variance kθ²), the
 * magnitude distribution of pycog's recurrent weights (Song, Yang & Wang 2016, Methods: gamma with
 * k = 2 by default). Marsaglia & Tsang's (2000) squeeze method on the seeded source, so the same
 * seed gives the same numbers everywhere.
 *
 * @param rng - the random source
 * @param shape - the array's shape
 * @param k - shape parameter (> 0; k = 1 is the exponential)
 * @param scale - θ (> 0); default 1
 * @returns the samples as an {@link InitArray}
 * @throws RangeError if `k` or `scale` is not a finite positive number
 * @example
 * const m = sampleGamma(createRandomSource(0), [50, 50], 2, 0.5); // mean 1, variance 0.5
 */
export function sampleGamma(rng: RandomSource, shape: readonly number[], k: number, scale = 1): InitArray {
  requirePositive("sampleGamma", "k (gamma shape)", k);
  requirePositive("sampleGamma", "scale", scale);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = gammaDraw(rng, k) * scale;
  return { values, shape: [...shape] };
}
