import { toRandomSource, type InitArray, type RandomSource } from "@dale-nn/ei-init";
import { formatShape, requireInteger } from "@dale-nn/core";

/**
 * Fan-in and fan-out of a kernel as TensorFlow computes them: for [kh, kw, in, out] (a conv, a
 * depthwise [3, 3, C, 1] or a pointwise [1, 1, C_in, C_out] kernel) fan_in = kh·kw·in and
 * fan_out = kh·kw·out; for [in, out] (dense) in and out; for a vector [n] both are n.
 *
 * @param shape - the kernel shape
 * @returns the fans
 * @throws RangeError for a shape of another rank or with a non-positive dimension
 * @example
 * kernelFans([3, 3, 32, 1]); // { fanIn: 288, fanOut: 9 }
 */
export function kernelFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  shape.forEach((s, i) => requireInteger("kernelFans", `shape[${i}]`, s, 1));
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  if (shape.length === 4) {
    const receptive = shape[0]! * shape[1]!;
    return { fanIn: receptive * shape[2]!, fanOut: receptive * shape[3]! };
  }
  throw new RangeError(`kernelFans: expected a kernel of rank 1, 2 or 4; got shape ${formatShape(shape)}`);
}

/**
 * Glorot-uniform draws (Glorot & Bengio 2010; TF's `glorot_uniform`, the default of
 * `tf.get_variable` in the reference code): U(−a, a), a = √(6 / (fan_in + fan_out)) with
 * {@link kernelFans}. With `nonneg` the draws are |U(−a, a)|, i.e. U(0, a), the distribution of
 * |W̃| (used for the "projected" parametrisation, whose variable is W itself). For a vector [n]
 * (the StandardEI f̃, "Glorot 1-D") a = √(3 / n).
 *
 * @param rng - a seed or random source
 * @param shape - the kernel shape
 * @param nonneg - take absolute values; default false
 * @returns the draws
 * @throws RangeError on a bad shape or seed
 * @example
 * const d = glorotUniformKernel(0, [3, 3, 32, 1]);
 */
export function glorotUniformKernel(rng: number | RandomSource, shape: readonly number[], nonneg = false): InitArray {
  const { fanIn, fanOut } = kernelFans(shape);
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const source = toRandomSource(rng, "glorotUniformKernel");
  const size = shape.reduce((p, s) => p * s, 1);
  const values = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    const v = (2 * source.uniform() - 1) * a;
    values[k] = nonneg ? Math.abs(v) : v;
  }
  return { values, shape: [...shape] };
}

/**
 * Variance-scaling fan-in draws, TF's `variance_scaling_initializer()` default (scale 1,
 * mode fan_in, truncated normal): N(0, σ²) truncated at ±2σ, σ = √(1 / fan_in) / 0.87962566103423978
 * (the correction that makes the truncated draws' standard deviation √(1 / fan_in)). The
 * feedforward convs of the paper's networks use it.
 *
 * @param rng - a seed or random source
 * @param shape - the kernel shape
 * @returns the draws
 * @throws RangeError on a bad shape or seed
 * @example
 * const k = varianceScalingFanInKernel(0, [3, 3, 3, 16]);
 */
export function varianceScalingFanInKernel(rng: number | RandomSource, shape: readonly number[]): InitArray {
  const { fanIn } = kernelFans(shape);
  const sigma = Math.sqrt(1 / fanIn) / 0.87962566103423978;
  const source = toRandomSource(rng, "varianceScalingFanInKernel");
  const size = shape.reduce((p, s) => p * s, 1);
  const values = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    let z = source.normal();
    while (Math.abs(z) > 2) z = source.normal();
    values[k] = z * sigma;
  }
  return { values, shape: [...shape] };
}
